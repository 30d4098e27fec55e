"""`same`: one expression written for both libraries, run on eager and on torch from the
same arrays, compared on value, dtype, shape and (optionally) the gradients of every float
input; `same_error` does the same for a raised exception."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")


def _run(lib, fn: Callable, arrays: tuple, grad: bool):
    inputs = [lib.tensor(a, requires_grad=grad and np.asarray(a).dtype.kind == "f")
              for a in arrays]
    out = fn(lib, *inputs)
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    grads = []
    if any(t.requires_grad for t in inputs):
        # A fixed non-uniform weight per output element, so a wrong routing of gradients shows.
        total = sum((o * lib.tensor(np.linspace(0.5, 1.5, o.numel()).reshape(tuple(o.shape))
                                    .astype(np.float64)).to(o.dtype)).sum()
                    for o in outs if o.dtype.is_floating_point)
        total.backward()
        grads = [t.grad for t in inputs if t.requires_grad]
    return outs, grads


def _check(ours, theirs, what: str) -> None:
    assert str(ours.dtype) == str(theirs.dtype), f"{what}: {ours.dtype} != {theirs.dtype}"
    assert tuple(ours.shape) == tuple(theirs.shape), f"{what}: {ours.shape} != {theirs.shape}"
    np.testing.assert_allclose(ours.detach().numpy().astype(np.float64),
                               theirs.detach().numpy().astype(np.float64),
                               rtol=1e-5, atol=1e-6, err_msg=what)


def same(fn: Callable[[Any], Any], *arrays, grad: bool = False) -> None:
    """``fn(lib, *tensors)`` agrees between eager and torch (and so do the input gradients
    of a weighted sum of its float outputs, with ``grad``)."""
    ours, our_grads = _run(eager, fn, arrays, grad)
    theirs, their_grads = _run(torch, fn, arrays, grad)
    assert len(ours) == len(theirs)
    for k, (o, t) in enumerate(zip(ours, theirs, strict=True)):
        _check(o, t, f"output {k}")
    assert len(our_grads) == len(their_grads)
    for k, (o, t) in enumerate(zip(our_grads, their_grads, strict=True)):
        _check(o, t, f"gradient of input {k}")


def same_error(kind: type[BaseException], fn: Callable[[Any], Any], *arrays,
               match_message: bool = True) -> None:
    """``fn(lib, *tensors)`` raises ``kind`` in both libraries (with the same message)."""
    with pytest.raises(kind) as theirs:
        fn(torch, *[torch.tensor(a) for a in arrays])
    with pytest.raises(kind) as ours:
        fn(eager, *[eager.tensor(a) for a in arrays])
    if match_message:
        assert str(ours.value) == str(theirs.value)
