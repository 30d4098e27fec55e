"""Run one scenario under torch and under eager and compare the results as pytrees: the
scenarios of this directory take the library (``torch`` or ``eager``) as their argument."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")


@contextlib.contextmanager
def _quiet(lib: Any):
    """torch's first forward-mode call scripts its decompositions with torch.jit.script, which
    warns that it is deprecated, and its linearize traces with fx, which warns about a
    get_attr node: torch's own warnings, silenced for torch's run only."""
    with warnings.catch_warnings():
        if lib is torch:
            warnings.filterwarnings("ignore", message="`torch.jit.script` is deprecated",
                                    category=DeprecationWarning)
            warnings.filterwarnings("ignore", message="Attempted to insert a get_attr Node",
                                    category=UserWarning)
        yield


def under_both(scenario: Callable[[Any], Any]) -> tuple[Any, Any]:
    """``(scenario(torch), scenario(eager))``, each after seeding its generator with 0."""
    results = []
    for lib in (torch, eager):
        lib.manual_seed(0)
        with _quiet(lib):
            results.append(scenario(lib))
    return results[0], results[1]


def errors_under_both(scenario: Callable[[Any], Any]) -> tuple[tuple, tuple]:
    """The exception (type name, message) each library raises running ``scenario``."""
    out = []
    for lib in (torch, eager):
        try:
            with _quiet(lib):
                scenario(lib)
        except Exception as e:  # noqa: BLE001 (the point is to compare whatever is raised)
            out.append((type(e).__name__, str(e)))
        else:
            out.append(("no error", ""))
    return out[0], out[1]


def assert_same_error(scenario: Callable[[Any], Any]) -> None:
    """Both libraries raise the same exception type with the same message."""
    t, e = errors_under_both(scenario)
    assert t[0] != "no error"
    assert e == t


def _is_tensor(v: Any) -> bool:
    return isinstance(v, torch.Tensor | eager.Tensor)


def assert_trees_close(t_tree: Any, e_tree: Any, atol: float = 1e-5, rtol: float = 1e-5,
                       grad_flags: bool = True) -> None:
    """Same containers (type, keys, length), same shapes and dtypes, values within tolerance,
    and (``grad_flags``) the same ``requires_grad`` on every tensor."""
    if _is_tensor(t_tree):
        assert _is_tensor(e_tree), f"expected a tensor, got {type(e_tree)}"
        assert tuple(t_tree.shape) == tuple(e_tree.shape)
        assert str(t_tree.dtype).split(".")[-1] == str(e_tree.dtype).split(".")[-1]
        if grad_flags:
            assert t_tree.requires_grad == e_tree.requires_grad
        np.testing.assert_allclose(e_tree.detach().numpy(), t_tree.detach().numpy(),
                                   atol=atol, rtol=rtol)
        return
    assert type(t_tree).__name__ == type(e_tree).__name__, (type(t_tree), type(e_tree))
    if isinstance(t_tree, dict):
        assert list(t_tree) == list(e_tree)
        for k in t_tree:
            assert_trees_close(t_tree[k], e_tree[k], atol, rtol, grad_flags)
    elif isinstance(t_tree, list | tuple):
        assert len(t_tree) == len(e_tree)
        for a, b in zip(t_tree, e_tree, strict=True):
            assert_trees_close(a, b, atol, rtol, grad_flags)
    else:
        assert t_tree == e_tree


def arrays(seed: int, *shapes: tuple, dtype: str = "float32") -> list[np.ndarray]:
    """Seeded random arrays of the given shapes (each scenario makes tensors of them)."""
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s).astype(dtype) for s in shapes]
