"""``gradcheck`` and ``gradgradcheck``: compare backward's gradients with central finite
differences, with PyTorch's signatures, errors and random draws.

    >>> import eager
    >>> x = eager.randn(3, dtype=eager.float64, requires_grad=True)
    >>> eager.autograd.gradcheck(lambda x: (x * x).sum(), (x,))
    True

Use float64 inputs: float32 differences are too coarse for the default tolerances (a warning
says so, as PyTorch's). ``gradgradcheck`` without ``grad_outputs`` draws them as PyTorch does
(``uniform(-1, 1)`` from the global generator, one per differentiable output, after calling
the function once), so the random stream after it is PyTorch's. The checks are PyTorch's slow
mode: ``fast_mode`` gives the same verdicts without its random projections; ``nondet_tol``,
``check_undefined_grad`` and ``masked`` are accepted (eager's backward is deterministic, an
undefined gradient is zeros); the batched and forward-mode checks are not available.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from ..tensor_base import wrap_array


class GradcheckError(RuntimeError):
    """A gradient that does not match (PyTorch's ``torch.autograd.gradcheck.GradcheckError``)."""


def _inputs(inputs) -> tuple:
    return tuple(inputs) if isinstance(inputs, list | tuple) else (inputs,)


def _outputs(value) -> tuple:
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def _wants_grad(x: Any) -> bool:
    return bool(getattr(x, "requires_grad", False))


def numerical_jacobian(fn: Callable, inputs: tuple, eps: float) -> list[list[np.ndarray | None]]:
    """Per input, per output, the (input numel, output numel) Jacobian by central differences
    (None for an input that does not require grad), PyTorch's layout.

    Perturbs each input element in place without bumping its version: the graphs recorded
    while evaluating are thrown away. Grad mode stays on (``fn`` may differentiate inside).
    """
    jacobians: list[list[np.ndarray | None]] = []
    for x in inputs:
        if not _wants_grad(x):
            jacobians.append([None])
            continue
        flat = x._data.reshape(-1)  # a view: writing it perturbs x
        rows = []
        for j in range(flat.size):
            orig = flat[j].item()
            flat[j] = orig + eps
            plus = _flat_outputs(fn(*inputs))
            flat[j] = orig - eps
            minus = _flat_outputs(fn(*inputs))
            flat[j] = orig
            rows.append([(p - m) / (2 * eps) for p, m in zip(plus, minus, strict=True)])
        jacobians.append([np.stack([r[k] for r in rows]) if rows else np.zeros((0, 0))
                          for k in range(len(rows[0]) if rows else 0)])
    return jacobians


def _flat_outputs(value) -> list[np.ndarray]:
    return [np.asarray(o._data, dtype=np.float64).reshape(-1) for o in _outputs(value)]


def analytical_jacobian(fn: Callable, inputs: tuple, check_grad_dtypes: bool = False,
                        create_graph: bool = False) -> list[list[np.ndarray | None]]:
    """The same Jacobians from backward: one ``autograd.grad`` per output element."""
    from . import grad

    outputs = _outputs(fn(*inputs))
    wanted = [x for x in inputs if _wants_grad(x)]
    blocks = {id(x): [np.zeros((x._data.size, o._data.size)) for o in outputs] for x in wanted}
    for k, out in enumerate(outputs):
        if not out.requires_grad:
            continue
        for i in range(out._data.size):
            seed = np.zeros(out._data.shape, out._data.dtype)
            seed.reshape(-1)[i] = 1
            gs = grad(out, wanted, grad_outputs=wrap_array(seed), retain_graph=True,
                      allow_unused=True, create_graph=create_graph)
            for x, g in zip(wanted, gs, strict=True):
                if g is None:
                    continue
                if check_grad_dtypes and g._data.dtype != x._data.dtype:
                    raise GradcheckError("Gradient has dtype mismatch")
                blocks[id(x)][k][:, i] = np.asarray(g._data, np.float64).reshape(-1)
    return [blocks[id(x)] if _wants_grad(x) else [None] for x in inputs]


def _unsupported(**flags: bool) -> None:
    for name, on in flags.items():
        if on:
            raise NotImplementedError(f"gradcheck: {name}=True is not available in eager "
                                      "(no batched or forward-mode checks)")


def gradcheck(func: Callable, inputs: Any, *, eps: float = 1e-06, atol: float = 1e-05,
              rtol: float = 0.001, raise_exception: bool = True, nondet_tol: float = 0.0,
              check_undefined_grad: bool = True, check_grad_dtypes: bool = False,
              check_batched_grad: bool = False, check_batched_forward_grad: bool = False,
              check_forward_ad: bool = False, check_backward_ad: bool = True,
              fast_mode: bool = False, masked: bool | None = None) -> bool:
    """True when backward's gradients of ``func(*inputs)`` match finite differences.

    On a mismatch raises `GradcheckError` (or returns False with ``raise_exception=False``)
    naming the output and the input, with both Jacobians, as PyTorch's.
    """
    _unsupported(check_batched_grad=check_batched_grad,
                 check_batched_forward_grad=check_batched_forward_grad,
                 check_forward_ad=check_forward_ad)
    inputs = _inputs(inputs)
    if not any(_wants_grad(x) for x in inputs):
        raise ValueError("gradcheck expects at least one input tensor to require gradient, "
                         "but none of them have requires_grad=True.")
    for i, x in enumerate(inputs):
        if _wants_grad(x) and x._data.dtype not in (np.float64, np.complex128):
            warnings.warn(f"Input #{i} requires gradient and is not a double precision "
                          "floating point or complex. This check will likely fail if all the "
                          "inputs are not of double precision floating point or complex. ",
                          UserWarning, stacklevel=2)
    if not check_backward_ad:
        return True
    try:
        numerical = numerical_jacobian(func, inputs, eps)
        analytical = analytical_jacobian(func, inputs, check_grad_dtypes)
        for i, (nums, anas) in enumerate(zip(numerical, analytical, strict=True)):
            for j, (num, ana) in enumerate(zip(nums, anas, strict=True)):
                if num is not None and not np.allclose(ana, num, rtol=rtol, atol=atol):
                    raise GradcheckError(
                        f"Jacobian mismatch for output {j} with respect to input {i},\n"
                        f"numerical:{wrap_array(num)!r}\nanalytical:{wrap_array(ana)!r}\n")
    except GradcheckError:
        if raise_exception:
            raise
        return False
    return True


def gradgradcheck(func: Callable, inputs: Any, grad_outputs: Any = None, *,
                  eps: float = 1e-06, atol: float = 1e-05, rtol: float = 0.001,
                  gen_non_contig_grad_outputs: bool = False, raise_exception: bool = True,
                  nondet_tol: float = 0.0, check_undefined_grad: bool = True,
                  check_grad_dtypes: bool = False, check_batched_grad: bool = False,
                  check_fwd_over_rev: bool = False, check_rev_over_rev: bool = True,
                  fast_mode: bool = False, masked: bool = False) -> bool:
    """Check second derivatives: `gradcheck` of the (create_graph) gradients of ``func``
    contracted with ``grad_outputs``, which are inputs too (drawn as PyTorch draws them when
    not given: see the module docstring)."""
    from . import grad

    inputs = _inputs(inputs)
    if grad_outputs is None:
        outputs = [o for o in _outputs(func(*inputs)) if o.requires_grad]
        grad_outputs = tuple(_random_grad_output(o) for o in outputs)
    else:
        grad_outputs = _inputs(grad_outputs)
    n = len(grad_outputs)
    wanted = [i for i, x in enumerate(inputs) if _wants_grad(x)]

    def first_grads(*args: Any) -> tuple:
        outs = [o for o in _outputs(func(*args[:len(args) - n])) if o.requires_grad]
        gs = grad(outs, [args[i] for i in wanted], list(args[len(args) - n:]),
                  create_graph=True, allow_unused=True)
        return tuple(g for g in gs if g is not None)

    return gradcheck(first_grads, inputs + tuple(grad_outputs), eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, nondet_tol=nondet_tol,
                     check_undefined_grad=check_undefined_grad,
                     check_grad_dtypes=check_grad_dtypes, check_batched_grad=check_batched_grad,
                     fast_mode=fast_mode, check_forward_ad=check_fwd_over_rev,
                     check_backward_ad=check_rev_over_rev, masked=masked)


def _random_grad_output(out: Any) -> Any:
    """PyTorch's ``make_tensor(out.shape, low=-1, high=1, requires_grad=True)``: an empty
    tensor filled by ``uniform_(-1, 1)`` from the global generator (float64 for an output
    that is not floating)."""
    dtype = out._data.dtype if out._data.dtype.kind in "fc" else np.dtype(np.float64)
    if dtype.kind == "c":  # its real view is filled: real and imaginary parts interleaved
        parts = wrap_array(np.empty((*out._data.shape, 2), np.finfo(dtype).dtype))
        values = parts.uniform_(-1, 1)._data.view(dtype).reshape(out._data.shape)
        return wrap_array(values).requires_grad_()
    drawn = wrap_array(np.empty(out._data.shape, dtype)).uniform_(-1, 1)
    return drawn.requires_grad_()


__all__ = ["GradcheckError", "analytical_jacobian", "gradcheck", "gradgradcheck",
           "numerical_jacobian"]

