"""Which ops compute with complex values, and how their gradients follow PyTorch's convention.

Complex tensors are NumPy ``complex64``/``complex128`` arrays, stored as they are. They never
take the dispatcher's fast path (`shared_ops.dtypes.SUPPORTED_SET` is real), so every call
with a complex argument reaches `admit`, which lets it through only into:

* the ops in `HOLOMORPHIC`: arithmetic, views and reshapes, sums, products, ``exp``...:
  their kernels compute complex values as they are and their gradient rules, written for
  real inputs as ``g * f'(z)``, become PyTorch's complex rule by conjugation (below);
* the ops declared complex-native by `complex_native` (``conj``, ``real``, ``abs`` of complex,
  the FFTs, in `shared_ops/ops/complex_ops.py` and `fft_ops.py`), whose rules are written for
  complex values;
* or a complex twin of an op (`complex_variant`): ``abs`` of a complex value is
  ``complex_abs``, with its own rule.

Every other op refuses a complex value with PyTorch's error (``lt``: NotImplementedError
``"lt_cpu" not implemented for 'ComplexFloat'``); a staged graph (the static mode) refuses
them all, naming the op: static graphs do not compute with complex values.

**The gradient convention** is PyTorch's: for a real loss ``L`` of ``z = x + iy`` the gradient
is ``dL/dx + i dL/dy`` (twice the derivative by ``conj(z)``), and an op's rule maps the
output's gradient ``g`` to ``g * conj(f'(z))`` for a holomorphic ``f``. A real rule computes
``g * f'(z)``, so the complex rule is ``conj(rule(conj(g)))``: `complex_rule_op` makes that
twin of an op once and the eager mode records it for complex outputs; there a real input of
the op takes the real part of its gradient.

    >>> from shared_ops.op_table import OPS
    >>> complex_rule_op(OPS["mul"]).name, complex_rule_op(OPS["mul"]) is OPS["mul"]
    ('mul', False)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn

import numpy as np

from . import dtypes as dt
from .op_table import OPS

__all__ = ["HOLOMORPHIC", "admit", "complex_native", "complex_rule_op", "complex_variant",
           "has_complex", "real_pairs", "refuse_staged", "torch_dtype_name"]

# Ops whose kernel computes complex values correctly and whose rule is correct for them after
# conjugation: holomorphic (or complex-linear: views, sums, indexing) in their complex inputs.
HOLOMORPHIC = frozenset({
    "add", "sub", "mul", "div", "neg", "cast", "exp", "log", "sqrt", "sin", "cos", "tan",
    "tanh", "sinh", "cosh", "sigmoid", "tanh_grad", "sigmoid_grad", "pow", "add_n", "sum",
    "prod", "cumsum", "numel", "reshape", "transpose", "expand_dims", "squeeze", "broadcast_to",
    "sum_to", "concat", "concat_part", "stack", "pad", "flip", "roll", "tril", "triu", "tile",
    "tile_grad", "full_like", "index", "index_add", "index_set", "take_along_axis",
    "gather_elements", "scatter_add", "scatter_elements", "matmul", "contract", "diagonal",
    "diagonal_scatter", "slice_dims", "slice_dims_grad", "dim_size", "reshape_dims",
    "broadcast_dims", "eq", "ne", "where", "stop_gradient", "repeat_indices", "linalg_solve",
    "linalg_inv", "argwhere", "diagonal_mask",
})

_NATIVE: set[str] = set()  # complex-native ops: their rules are written for complex values
# op name -> the op (or function of ops) that computes it for complex inputs
_VARIANTS: dict[str, str | Callable] = {}
_TWINS: dict[object, object] = {}  # op -> its conjugated-rule twin

# PyTorch's own words for ops it refuses on complex values (the rest: _generic_refusal).
_NOT_SUPPORTED = {
    "relu": (NotImplementedError, "clamp is not supported for complex types"),
    "clamp_tensor": (NotImplementedError, "clamp is not supported for complex types"),
    "maximum": (RuntimeError, "maximum not implemented for complex tensors."),
    "minimum": (RuntimeError, "minimum not implemented for complex tensors."),
    "argsort": (RuntimeError, " Sort does not support complex dtypes on CPU"),
    "sign": (NotImplementedError, "Unlike NumPy, torch.sign is not intended to support complex "
                                  "numbers. Please use torch.sgn instead."),
    "max": (NotImplementedError, "\"max_all\" not implemented for '{}'"),
    "min": (NotImplementedError, "\"min_all\" not implemented for '{}'"),
    **{name: (NotImplementedError, f"{name} is not supported for complex inputs")
       for name in ("floor", "ceil", "trunc", "round")},
    **{name: (NotImplementedError, f"\"{name}_cpu\" not implemented for '{{}}'")
       for name in ("lt", "le", "gt", "ge")},
}


def torch_dtype_name(dtype: np.dtype) -> str:
    """PyTorch's scalar type name in its messages: ``ComplexFloat``, ``Double``, ``Long``."""
    return {"complex64": "ComplexFloat", "complex128": "ComplexDouble", "float16": "Half",
            "float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int",
            "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}[np.dtype(dtype).name]


def complex_native(*names: str) -> None:
    """Declare the ops ``names`` complex-native: they take complex values, and their gradient
    rules are written for them (no conjugation)."""
    _NATIVE.update(names)


def complex_variant(name: str, variant: str | Callable) -> None:
    """Compute op ``name`` as op ``variant`` (or a function of ops taking the same arguments)
    when an argument is complex (``abs`` of a complex value is ``complex_abs``: a real result,
    and a rule of its own)."""
    _VARIANTS[name] = variant


def _kind(a) -> str | None:
    if type(a) is complex:
        return "c"
    dtype = getattr(a, "dtype", None)
    return getattr(dtype, "kind", None)


def has_complex(args: tuple) -> bool:
    """Whether an argument is complex (a complex array or value, or a Python complex)."""
    return any(_kind(a) == "c" for a in args)


def admit(op, args: tuple, mode):
    """The op that computes ``op`` on ``args``, some of them complex: ``op`` itself, its complex
    variant, or PyTorch's error. ``mode``: the dispatch mode of the call (None: arrays); only
    the immediate one (eager) computes with complex values."""
    if mode is not None and not mode.immediate:
        if mode.name.startswith("static"):
            refuse_staged(op.name)
        raise NotImplementedError(
            f"{op.name}: complex values are not supported in {mode.name} mode here"
            + (" (torch.func.jvp computes forward derivatives on the tape, complex values "
               "included)" if mode.name == "forward_ad" else ""))
    variant = _VARIANTS.get(op.name)
    if variant is not None:
        return OPS[variant] if isinstance(variant, str) else variant
    if op.name in HOLOMORPHIC or op.name in _NATIVE:
        return op
    dtype = next(np.dtype(a.dtype if hasattr(a, "dtype") else np.complex64)
                 for a in args if _kind(a) == "c")
    kind, message = _NOT_SUPPORTED.get(op.name, (RuntimeError, f"\"{op.name}\" not "
                                                 "implemented for '{}'"))
    raise kind(message.format(torch_dtype_name(dtype)))


def refuse_staged(name: str) -> NoReturn:
    """Static graphs do not compute with complex values: say so, naming the op."""
    raise TypeError(f"{name}: static graphs do not compute with complex values; run complex "
                    "code (torch.fft, view_as_complex...) in eager mode")


def real_pairs(a: np.ndarray) -> np.ndarray:
    """A contiguous complex array as a flat view of its (real, imag) pairs (writes reach it):
    how torch's optimizers update a complex parameter."""
    if not a.flags.c_contiguous:
        raise RuntimeError("a complex parameter must be contiguous to be updated")
    return a.reshape(-1).view(dt.real_part(a.dtype))


def complex_rule_op(op):
    """``op`` as recorded for a complex output: complex-native ops as they are; any other op
    a twin (same name, kernel and facets, one per op) whose rule is ``conj(rule(conj(g)))``."""
    if op.name in _NATIVE:
        return op
    twin = _TWINS.get(op)
    if twin is None:
        twin = _TWINS[op] = _conjugated(op)
    return twin


def _conjugated(op):
    twin = object.__new__(type(op))
    for slot in type(op).__slots__:
        if slot != "__weakref__" and hasattr(op, slot):
            object.__setattr__(twin, slot, getattr(op, slot))
    twin.vjp = _conjugated_rule(op.vjp)
    return twin


def _conjugated_rule(rule: Callable) -> Callable:
    def complex_rule(g, inputs, out, **attrs):
        conj = OPS["conj"]
        grads = rule(conj(g), inputs, out, **attrs)
        # a real input takes the real part of its gradient (PyTorch's rule)
        return tuple(None if gi is None else conj(gi) if x.dtype.kind == "c" else
                     OPS["real"](gi) for gi, x in zip(grads, inputs, strict=True))
    return complex_rule
