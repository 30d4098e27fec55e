"""Target shapes with dims unknown while building, in ``reshape``/``broadcast_to`` calls.

Code that reads a static shape and passes it on (``torch.flatten(x, 1)`` computes the target
``(x.shape[0], 64 * 7 * 7)``) may hand ``reshape`` a ``shape=`` with None (unknown) dims, or
with sizes of graph values (`SymbolicSize`). NumPy cannot reshape to None, so the static mode
stages such a call as the size-template op (`shared_ops.ops.runtime_shape`) instead:

* a size of a graph value becomes an expression over that value's dims;
* ``reshape``: the None dims of the target are x's own unknown dims, in order, when the
  known sizes agree (flatten, view back, split heads); else a single None is the -1;
* ``broadcast_to``: a None dim keeps x's own unknown dim at that place.

Anything else cannot be guessed and is refused at build time, saying what to pass instead.

    >>> import static
    >>> with static.Graph():
    ...     x = static.placeholder((None, 64, 7, 7), name="x")
    ...     static.reshape(x, shape=(None, 3136))
    <Node %reshape_dims: f32[?,3136] = reshape_dims>
"""

from __future__ import annotations

import math
from typing import Any

from shared_ops.aval import aval_of
from shared_ops.errors import ShapeError, describe_shapes, user_location
from shared_ops.tensor_api_core import is_dynamic, size_template

RESOLVED = ("reshape", "broadcast_to")


def needs_resolving(op_name: str, args: tuple, attrs: dict) -> bool:
    """Whether this call's ``shape=`` has dims the kernel could not take."""
    shape = attrs.get("shape")
    return op_name in RESOLVED and len(args) == 1 and isinstance(shape, tuple) and any(
        d is None or is_dynamic(d) for d in shape)


def resolve(op_name: str, x, shape: tuple) -> tuple[str, tuple, dict]:
    """``(op, args, attrs)`` staging the same as ``op_name(x, shape=shape)``."""
    xs = aval_of(x).shape
    given, sources = size_template(x, [d for d in shape if d is not None], op_name)
    it = iter(given)
    template = [None if d is None else next(it) for d in shape]
    if op_name == "reshape":
        template = _reshape_unknowns(xs, template, shape)
        new = "reshape_dims"
    else:
        lead = len(template) - len(xs)
        for i, d in enumerate(template):
            if d is None:
                k = i - lead
                if k < 0 or xs[k] is not None:
                    raise _refusal("broadcast_to", xs, shape, f"dim {i} of the target is None "
                                   "where x has no unknown dim to keep; pass a size")
                template[i] = ("dim", 0, k)
        new = "broadcast_dims"
    if all(isinstance(d, int) for d in template):
        return op_name, (x,), {"shape": tuple(template)}
    return new, (x, *sources), {"dims": tuple(template)}


def _reshape_unknowns(xs: tuple, template: list, shape: tuple) -> list:
    nones = [i for i, d in enumerate(template) if d is None]
    if not nones:
        return template
    unknown = [k for k, d in enumerate(xs) if d is None]
    known_x = math.prod(d for d in xs if d is not None)
    known_t = math.prod(d for d in template if isinstance(d, int) and d != -1)
    plain = all(isinstance(d, int) or d is None for d in template)
    if len(nones) == len(unknown) and plain and known_t and (
            known_x % known_t == 0 if -1 in template else known_x == known_t):
        for i, k in zip(nones, unknown, strict=True):
            template[i] = ("dim", 0, k)
        return template
    if len(nones) == 1 and -1 not in template:
        template[nones[0]] = -1
        return template
    raise _refusal("reshape", xs, shape, "its unknown dims (None) do not match x's; pass "
                   "-1 or sizes of graph values (x.size(0)) for them")


def _refusal(op: str, xs: tuple, shape: tuple, why: str) -> ShapeError:
    target = "(" + ", ".join("?" if d is None else repr(d) for d in shape) + ")"
    return ShapeError(op, f"cannot stage {op} of {describe_shapes(xs)} to {target}: {why}",
                      shapes=[xs], location=user_location())


def materialize(args: tuple) -> tuple[Any, ...]:
    """Arguments with every `SymbolicSize` as its 0-d int64 graph value."""
    return tuple(a.node if is_dynamic(a) and hasattr(a, "node") else a for a in args)
