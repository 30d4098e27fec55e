"""``gradcheck``: compare backward's gradients with central finite differences.

    >>> import eager
    >>> x = eager.randn(3, dtype=eager.float64, requires_grad=True)
    >>> eager.autograd.gradcheck(lambda x: (x * x).sum(), (x,))
    True

Use float64 inputs: float32 differences are too coarse for the default tolerances.
"""

from __future__ import annotations

import numpy as np

from ..tensor_base import wrap_array


def _inputs(inputs) -> tuple:
    return tuple(inputs) if isinstance(inputs, list | tuple) else (inputs,)


def _outputs(value) -> tuple:
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def numerical_jacobian(fn, inputs: tuple, eps: float) -> list[np.ndarray]:
    """Per differentiable input, a (n_outputs_total, n_input) Jacobian by central differences.

    Perturbs each input element in place without bumping its version: the graphs recorded
    while evaluating are thrown away. Grad mode stays on (``fn`` may differentiate inside).
    """
    jacobians = []
    for x in inputs:
        if not getattr(x, "requires_grad", False):
            jacobians.append(None)
            continue
        flat = x._data.reshape(-1)  # a view: writing it perturbs x
        columns = []
        for j in range(flat.size):
            orig = flat[j].item()
            flat[j] = orig + eps
            plus = _flat_outputs(fn(*inputs))
            flat[j] = orig - eps
            minus = _flat_outputs(fn(*inputs))
            flat[j] = orig
            columns.append((plus - minus) / (2 * eps))
        jacobians.append(np.stack(columns, axis=1) if columns else None)
    return jacobians


def _flat_outputs(value) -> np.ndarray:
    return np.concatenate([np.asarray(o._data, dtype=np.float64).reshape(-1)
                           for o in _outputs(value)])


def analytical_jacobian(fn, inputs: tuple, create_graph: bool = False) -> list[np.ndarray]:
    """The same Jacobians from backward: one ``autograd.grad`` per output element."""
    from . import grad

    outputs = _outputs(fn(*inputs))
    wanted = [x for x in inputs if getattr(x, "requires_grad", False)]
    n_out = sum(o._data.size for o in outputs)
    rows = {id(x): np.zeros((n_out, x._data.size)) for x in wanted}
    row = 0
    for out in outputs:
        for i in range(out._data.size):
            seed = np.zeros(out._data.shape, out._data.dtype)
            seed.reshape(-1)[i] = 1
            if out.requires_grad:
                gs = grad(out, wanted, grad_outputs=wrap_array(seed), retain_graph=True,
                          allow_unused=True, create_graph=create_graph)
                for x, g in zip(wanted, gs, strict=True):
                    if g is not None:
                        rows[id(x)][row] = np.asarray(g._data, np.float64).reshape(-1)
            row += 1
    return [rows[id(x)] if getattr(x, "requires_grad", False) else None for x in inputs]


def gradcheck(fn, inputs, *, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              raise_exception: bool = True) -> bool:
    """True when backward's gradients of ``fn(*inputs)`` match finite differences.

    On a mismatch, raises (or returns False with ``raise_exception=False``) naming the input
    and showing both Jacobians.
    """
    inputs = _inputs(inputs)
    numerical = numerical_jacobian(fn, inputs, eps)
    analytical = analytical_jacobian(fn, inputs)
    for i, (num, ana) in enumerate(zip(numerical, analytical, strict=True)):
        if num is None:
            continue
        if not np.allclose(ana, num, rtol=rtol, atol=atol):
            if not raise_exception:
                return False
            raise RuntimeError(f"Jacobian mismatch for output 0 with respect to input {i},\n"
                               f"numerical:{num}\nanalytical:{ana}\n")
    return True


def gradgradcheck(fn, inputs, *, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
                  raise_exception: bool = True) -> bool:
    """Check second derivatives: gradcheck of the (create_graph) gradient of ``sum(fn)``."""
    from . import grad

    inputs = _inputs(inputs)
    wanted = [x for x in inputs if getattr(x, "requires_grad", False)]

    def first_grads(*xs):
        outs = _outputs(fn(*xs))
        total = outs[0].sum()
        for o in outs[1:]:
            total = total + o.sum()
        gs = grad(total, wanted, create_graph=True, allow_unused=True)
        return tuple(g for g in gs if g is not None)

    return gradcheck(first_grads, inputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
