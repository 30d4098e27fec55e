"""PyTorch's ``torch._foreach_*`` functions: one elementwise op applied to every tensor of a
list, as optimizers and weight-averaging code call them (an EMA of a model's weights is
``_foreach_mul_(ema, d); _foreach_add_(ema, params, alpha=1 - d)``).

Torch runs these as multi-tensor kernels, one launch for the whole list; here each is a loop
over the list calling the tensor's own method, so results, dtypes, autograd and in-place
checks are exactly the single-tensor op's. The names start with an underscore, as torch's do;
the table `FOREACH_FUNCTIONS` is what ``eager`` exposes::

    >>> import eager
    >>> params = [eager.ones(2), eager.ones(3)]
    >>> eager._foreach_mul_(params, 0.5)[1]
    tensor([0.5000, 0.5000, 0.5000])
    >>> eager._foreach_add(params, [1.0, 2.0])
    (tensor([1.5000, 1.5000]), tensor([2.5000, 2.5000, 2.5000]))

Out-of-place forms return a tuple of new tensors; in-place forms (trailing ``_``) modify the
list's tensors and return the list itself, as torch 2.13 does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .tensor_base import TensorBase

# Elementwise ops with no second operand; each has a Tensor method and its in-place twin.
_UNARY = ("abs", "acos", "asin", "atan", "ceil", "cos", "cosh", "erf", "erfc", "exp",
          "expm1", "floor", "frac", "lgamma", "log", "log10", "log1p", "log2", "neg",
          "reciprocal", "round", "rsqrt", "sigmoid", "sign", "sin", "sinh", "sqrt", "tan",
          "tanh", "trunc")
# Ops with a second operand: a scalar, a list of scalars (one per tensor) or a list of
# tensors; ``add``/``sub`` take ``alpha=`` with a tensor list.
_BINARY = ("add", "sub", "mul", "div", "maximum", "minimum", "clamp_min", "clamp_max", "pow")
# In-place twins the Tensor spells differently from ``name + "_"``.
_IN_PLACE_METHOD = {"maximum": "clamp_min_", "minimum": "clamp_max_"}


def _check_list(name: str, tensors: Any) -> list:
    if isinstance(tensors, TensorBase) or not isinstance(tensors, Sequence):
        raise TypeError(f"_foreach_{name}(): argument 'self' must be a list of tensors, not "
                        f"{type(tensors).__name__}")
    if not tensors:
        raise RuntimeError("Tensor list must have at least one tensor.")
    return list(tensors)


def _per_tensor(name: str, tensors: list, other: Any) -> list:
    """``other`` spread over the list: a list must match its length (torch's messages); a
    scalar or a single tensor (a 0-d tensor as torch's scalar) is used for every entry."""
    if isinstance(other, Sequence) and not isinstance(other, TensorBase | str):
        if len(other) != len(tensors):
            if other and isinstance(other[0], TensorBase):
                raise RuntimeError("Tensor lists must have the same number of tensors, got "
                                   f"{len(tensors)} and {len(other)}")
            raise RuntimeError("Tensor list must have same number of elements as scalar list.")
        return list(other)
    return [other] * len(tensors)


def _in_place(tensors: list, method: str, *columns: list, **kwargs: Any) -> list:
    for i, t in enumerate(tensors):
        getattr(t, method)(*(c[i] for c in columns), **kwargs)
    return tensors


def _unary(name: str) -> tuple[Callable, Callable]:
    def out_of_place(self: Sequence) -> tuple:
        return tuple(getattr(t, name)() for t in _check_list(name, self))

    def in_place(self: Sequence) -> Sequence:
        _in_place(_check_list(name, self), name + "_")
        return self

    return out_of_place, in_place


def _binary(name: str) -> tuple[Callable, Callable]:
    method_ = _IN_PLACE_METHOD.get(name, name + "_")

    def out_of_place(self: Sequence, other: Any, *, alpha: Any = None) -> tuple:
        tensors = _check_list(name, self)
        extra = {} if alpha is None else {"alpha": alpha}
        return tuple(getattr(t, name)(o, **extra)
                     for t, o in zip(tensors, _per_tensor(name, tensors, other), strict=True))

    def in_place(self: Sequence, other: Any, *, alpha: Any = None) -> Sequence:
        tensors = _check_list(name, self)
        extra = {} if alpha is None else {"alpha": alpha}
        _in_place(tensors, method_, _per_tensor(name, tensors, other), **extra)
        return self

    return out_of_place, in_place


def _pow_scalar_base(name: str, out_of_place: Callable) -> Callable:
    """``_foreach_pow`` also takes a scalar base and a list of exponents."""
    def pow_(self: Any, exponent: Any) -> tuple:
        if isinstance(self, int | float):
            exponents = _check_list(name, exponent)
            return tuple(self ** t for t in exponents)
        return out_of_place(self, exponent)

    return pow_


def _pointwise(name: str) -> tuple[Callable, Callable]:
    """``addcmul``/``addcdiv``: ``self + value * t1 (*|/) t2``, ``value`` a scalar or one per
    tensor (a list, or a 1-d tensor of them)."""
    def values(tensors: list, value: Any) -> list:
        if isinstance(value, TensorBase):
            value = value.tolist()
        return _per_tensor(name, tensors, value)

    def out_of_place(self: Sequence, tensor1: Sequence, tensor2: Sequence,
                     value: Any = 1) -> tuple:
        tensors = _check_list(name, self)
        t1, t2 = _per_tensor(name, tensors, tensor1), _per_tensor(name, tensors, tensor2)
        return tuple(getattr(t, name)(a, b, value=v) for t, a, b, v in
                     zip(tensors, t1, t2, values(tensors, value), strict=True))

    def in_place(self: Sequence, tensor1: Sequence, tensor2: Sequence,
                 value: Any = 1) -> Sequence:
        tensors = _check_list(name, self)
        for t, a, b, v in zip(tensors, _per_tensor(name, tensors, tensor1),
                              _per_tensor(name, tensors, tensor2), values(tensors, value),
                              strict=True):
            getattr(t, name + "_")(a, b, value=v)
        return self

    return out_of_place, in_place


def _lerp() -> tuple[Callable, Callable]:
    def out_of_place(self: Sequence, tensors1: Sequence, weight: Any) -> tuple:
        tensors = _check_list("lerp", self)
        return tuple(t.lerp(e, w) for t, e, w in
                     zip(tensors, _per_tensor("lerp", tensors, tensors1),
                         _per_tensor("lerp", tensors, weight), strict=True))

    def in_place(self: Sequence, tensors1: Sequence, weight: Any) -> Sequence:
        tensors = _check_list("lerp", self)
        _in_place(tensors, "lerp_", _per_tensor("lerp", tensors, tensors1),
                  _per_tensor("lerp", tensors, weight))
        return self

    return out_of_place, in_place


def _foreach_norm(self: Sequence, ord: Any = 2, dtype: Any = None) -> tuple:
    """The ``ord``-norm of each tensor (flattened), optionally computed in ``dtype``."""
    tensors = _check_list("norm", self)
    return tuple((t if dtype is None else t.to(dtype)).norm(p=ord) for t in tensors)


def _foreach_max(self: Sequence) -> tuple:
    """The largest element of each tensor."""
    return tuple(t.max() for t in _check_list("max", self))


def _foreach_copy_(self: Sequence, src: Sequence, non_blocking: bool = False) -> Sequence:
    """Copy each tensor of ``src`` into the matching tensor of ``self``."""
    tensors = _check_list("copy_", self)
    _in_place(tensors, "copy_", _per_tensor("copy_", tensors, src))
    return self


def _foreach_zero_(self: Sequence) -> Sequence:
    """Fill every tensor with zeros."""
    _in_place(_check_list("zero_", self), "zero_")
    return self


def _foreach_clone(self: Sequence) -> tuple:
    """A copy of each tensor."""
    return tuple(t.clone() for t in _check_list("clone", self))


def _table() -> dict[str, Callable]:
    table: dict[str, Callable] = {}
    families = [(name, _unary(name), "Elementwise ``{0}`` of each tensor.") for name in _UNARY]
    families += [(name, _binary(name),
                  "Elementwise ``{0}`` of each tensor with a scalar, one scalar per tensor, or "
                  "the matching tensor of a second list.") for name in _BINARY]
    families += [(name, _pointwise(name),
                  "``self + value * tensor1 {op} tensor2`` for each triple of tensors.")
                 for name in ("addcmul", "addcdiv")]
    families.append(("lerp", _lerp(),
                     "``self + weight * (end - self)`` for each tensor, ``weight`` a scalar or "
                     "a list of tensors."))
    for name, (out_of_place, in_place), doc in families:
        if name == "pow":
            out_of_place = _pow_scalar_base(name, out_of_place)
        op = "/" if name == "addcdiv" else "*"
        for fn, suffix, note in ((out_of_place, "", " Returns a tuple of new tensors."),
                                 (in_place, "_", " In place; returns the list.")):
            fn.__name__ = fn.__qualname__ = f"_foreach_{name}{suffix}"
            fn.__doc__ = doc.format(name, op=op) + note
            table[fn.__name__] = fn
    for fn in (_foreach_norm, _foreach_max, _foreach_copy_, _foreach_zero_, _foreach_clone):
        table[fn.__name__] = fn
    return table


FOREACH_FUNCTIONS: dict[str, Callable] = _table()

__all__ = ["FOREACH_FUNCTIONS"]
