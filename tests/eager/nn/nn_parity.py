"""Helpers for the eager.nn tests against PyTorch: the same weights in both (torch's state dict
copied into ours through NumPy), the same inputs, then outputs and every gradient compared."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import eager

RTOL, ATOL = 2e-4, 2e-5  # float32: a few ulps of accumulated rounding, relative and absolute


def load_torch_weights(ours: Any, theirs: Any) -> None:
    """Copy ``theirs`` (a torch Module) into ``ours``; the state dict keys must agree."""
    state = {k: v.detach().numpy().copy() for k, v in theirs.state_dict().items()}
    assert list(ours.state_dict()) == list(state)
    ours.load_state_dict(state)


def _flat(out: Any) -> list[Any]:
    if isinstance(out, tuple | list):
        return [leaf for o in out for leaf in _flat(o)]
    return [] if out is None else [out]


def _array(t: Any) -> np.ndarray:
    return t.detach().numpy() if hasattr(t, "detach") else np.asarray(t)


def assert_close(ours: Any, theirs: Any, rtol: float = RTOL, atol: float = ATOL,
                 what: str = "") -> None:
    a, b = _flat(ours), _flat(theirs)
    assert len(a) == len(b), what
    for x, y in zip(a, b, strict=True):
        xa, ya = _array(x), _array(y)
        assert xa.shape == ya.shape, (what, xa.shape, ya.shape)
        assert xa.dtype == ya.dtype or ya.dtype.kind == xa.dtype.kind, (what, xa.dtype, ya.dtype)
        np.testing.assert_allclose(xa, ya, rtol=rtol, atol=atol, err_msg=what)


def run_both(ours: Callable, theirs: Callable, inputs: Sequence[np.ndarray], torch: Any,
             grad: bool = True, rtol: float = RTOL, atol: float = ATOL,
             seed: int = 1) -> tuple[list, list]:
    """Call ``ours`` on eager tensors and ``theirs`` on torch tensors made from ``inputs``,
    compare the outputs, then backpropagate one random cotangent per float output through both
    and compare the inputs' gradients. Returns both input lists (for parameter checks)."""
    xe = [eager.tensor(a, requires_grad=grad and a.dtype.kind == "f")
          if isinstance(a, np.ndarray) else a for a in inputs]
    xt = [torch.tensor(a, requires_grad=grad and a.dtype.kind == "f")
          if isinstance(a, np.ndarray) else a for a in inputs]
    ye, yt = ours(*xe), theirs(*xt)
    assert_close(ye, yt, rtol, atol, "forward")
    if not grad:
        return xe, xt
    rng = np.random.default_rng(seed)
    pairs = [(e, t) for e, t in zip(_flat(ye), _flat(yt), strict=True)
             if t.dtype.is_floating_point and t.requires_grad]
    if not pairs:
        return xe, xt
    gs = [rng.standard_normal(tuple(t.shape)).astype(_array(t).dtype) for _, t in pairs]
    eager_total = sum((e * eager.tensor(g)).sum() for (e, _), g in zip(pairs, gs, strict=True))
    torch_total = sum((t * torch.tensor(g)).sum() for (_, t), g in zip(pairs, gs, strict=True))
    eager_total.backward()
    torch_total.backward()
    for i, (e, t) in enumerate(zip(xe, xt, strict=True)):
        if getattr(t, "grad", None) is not None:
            assert_close(e.grad, t.grad, rtol, atol, f"grad of input {i}")
    return xe, xt


def run_modules(ours: Any, theirs: Any, inputs: Sequence[np.ndarray], torch: Any,
                call: Callable | None = None, rtol: float = RTOL, atol: float = ATOL) -> None:
    """`run_both` on two modules with torch's weights loaded into ours, then every
    parameter's gradient compared by name."""
    load_torch_weights(ours, theirs)
    call = call or (lambda m, *xs: m(*xs))
    run_both(lambda *xs: call(ours, *xs), lambda *xs: call(theirs, *xs), inputs, torch,
             rtol=rtol, atol=atol)
    theirs_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        q = theirs_params[name]
        if q.grad is None:
            assert p.grad is None or not np.asarray(p.grad.numpy()).any(), name
        else:
            assert_close(p.grad, q.grad, rtol, atol, f"grad of {name}")


def module_pair(torch: Any, name: str, *args: Any, **kwargs: Any) -> tuple[Any, Any]:
    """eager's and torch's ``nn.<name>(*args, **kwargs)``, checked to print alike and to hold
    the same state dict keys and parameter shapes."""
    ours, theirs = getattr(eager.nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args,
                                                                                    **kwargs)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        assert tuple(p.shape) == tuple(q.shape)
    return ours, theirs


def assert_module_matches_torch(torch: Any, name: str, args: tuple, kwargs: dict,
                                inputs: Sequence[np.ndarray], call: Callable | None = None) -> None:
    """`module_pair`, then `run_modules` on ``inputs``: outputs and every gradient agree."""
    ours, theirs = module_pair(torch, name, *args, **kwargs)
    run_modules(ours, theirs, inputs, torch, call=call)


def randn(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)
