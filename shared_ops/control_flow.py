"""Control flow defined once for both modes: `cond`, `while_loop` and `scan`.

On plain arrays and eager Tensors these simply run Python: one branch is called, the loop body
runs as often as the condition says. Eager gradients then flow through the ops actually
executed, like any other Python code. On symbolic values (static Nodes) the call is handed to
the handler the owning mode registered with `register_control_flow`: the static mode traces the
functions into subgraphs and builds one graph node (shared_ops never imports a mode).

Both paths check the same contract, so an error reads the same in either mode: a predicate
is a scalar, a loop body returns what it received (same count, shapes and dtypes).

    >>> import numpy as np
    >>> float(cond(np.array(True), lambda x: x * 2, lambda x: x - 1, np.float32(3)))
    6.0
    >>> [int(v) for v in while_loop(lambda i: i < 5, lambda i: (i + 2,), (np.int64(0),))]
    [6]
    >>> carry, ys = scan(lambda c, x: (c + x, c * x), np.float64(0), np.arange(3.0))
    >>> float(carry), ys.tolist()
    (3.0, [0.0, 0.0, 2.0])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import dispatch
from .aval import Aval, aval_of
from .errors import DTypeError, OpValueError, ShapeError, user_location
from .registry import OPS

__all__ = ["cond", "while_loop", "scan", "register_control_flow", "as_tuple", "check_same_avals"]

# mode name -> object with cond(pred, true_fn, false_fn, operands), while_loop(cond_fn,
# body_fn, loop_vars, maximum_iterations) and scan(fn, init, xs, length, reverse).
_handlers: dict[str, Any] = {}


def register_control_flow(mode_name: str, handler: Any) -> None:
    """Hand `cond`/`while_loop`/`scan` calls on values of mode ``mode_name`` to ``handler``."""
    _handlers[mode_name] = handler


def _handler_for(values) -> Any | None:
    mode = dispatch.mode_of([v for v in values if v is not None])
    return None if mode is None else _handlers.get(mode.name)


def as_tuple(value) -> tuple[tuple, bool]:
    """``(values, was_single)``: a tuple or list as a tuple, anything else as a 1-tuple."""
    if isinstance(value, tuple | list):
        return tuple(value), False
    return (value,), True


def _aval(value) -> Aval:
    if not hasattr(value, "dtype") or not hasattr(value, "shape"):
        value = dispatch.as_array(value, op="control flow")
    return aval_of(value)


def _compatible(a: Aval, b: Aval) -> bool:
    return a.dtype == b.dtype and a.ndim == b.ndim and all(
        p is None or q is None or p == q for p, q in zip(a.shape, b.shape, strict=True))


def check_same_avals(op: str, got: list[Aval], expected: list[Aval], what: str,
                     got_from: str, expected_from: str) -> None:
    """Raise a ShapeError/DTypeError unless ``got`` matches ``expected`` one by one (an unknown
    dim matches anything); the message names both sides, e.g. body_fn's result and the loop
    variable that went in."""
    if len(got) != len(expected):
        raise OpValueError(op, f"{got_from} returned {len(got)} {what}(s) but "
                           f"{expected_from} has {len(expected)}").with_location(user_location())
    for k, (g, e) in enumerate(zip(got, expected, strict=True)):
        if _compatible(g, e):
            continue
        err = DTypeError if g.dtype != e.dtype and g.shape == e.shape else ShapeError
        raise err(op, f"{got_from} returned {g} for {what} {k}, but {expected_from} has {e}; "
                  "they must agree in shape and dtype", shapes=(g.shape, e.shape),
                  dtypes=(g.dtype, e.dtype)).with_location(user_location())


def check_scalar_pred(op: str, aval: Aval, what: str = "pred") -> None:
    """A predicate must be a scalar: ``x.sum() > 0``, not ``x > 0``."""
    if aval.ndim != 0:
        raise ShapeError(op, f"{what} must be a scalar, got {aval}; reduce it first "
                         "(e.g. (x > 0).all() is not an op here: use x.sum() > 0 or x.max() > 0)",
                         shapes=(aval.shape,)).with_location(user_location())


# ---------------------------------------------------------------------------------------------
# cond


def cond(pred, true_fn: Callable, false_fn: Callable, *operands):
    """``true_fn(*operands)`` if ``pred`` else ``false_fn(*operands)`` (jax.lax.cond).

    ``pred`` is a scalar (any dtype, nonzero is true). Both branches take the operands and
    return the same structure (one value or a tuple) with the same shapes and dtypes; in a
    static graph both are traced and checked, and only the one selected at run time runs.
    Branches may also use values they close over.
    """
    handler = _handler_for([pred, *operands])
    if handler is not None:
        return handler.cond(pred, true_fn, false_fn, operands)
    check_scalar_pred("cond", _aval(pred))
    return (true_fn if bool(pred) else false_fn)(*operands)


# ---------------------------------------------------------------------------------------------
# while_loop


def while_loop(cond_fn: Callable, body_fn: Callable, loop_vars,
               maximum_iterations: int | None = None) -> tuple:
    """Repeat ``loop_vars = body_fn(*loop_vars)`` while ``cond_fn(*loop_vars)`` (tf.while_loop).

    ``loop_vars`` is a tuple; ``body_fn`` returns a tuple of the same length, shapes and dtypes
    (a single value is accepted for a single variable); the result is a tuple. At most
    ``maximum_iterations`` iterations run when it is given. In a static graph, a gradient
    through the loop needs ``maximum_iterations`` (the backward pass must know how many steps
    to keep); eager mode differentiates through the iterations taken.
    """
    loop_vars, _ = as_tuple(loop_vars)
    if maximum_iterations is not None and int(maximum_iterations) < 0:
        raise OpValueError("while_loop", f"maximum_iterations must be >= 0, got "
                           f"{maximum_iterations}").with_location(user_location())
    handler = _handler_for(loop_vars)
    if handler is not None:
        return handler.while_loop(cond_fn, body_fn, loop_vars, maximum_iterations)
    expected = [_aval(v) for v in loop_vars]
    values = loop_vars
    steps = 0
    while maximum_iterations is None or steps < maximum_iterations:
        keep_going = cond_fn(*values)
        check_scalar_pred("while_loop", _aval(keep_going), "cond_fn's result")
        if not bool(keep_going):
            break
        values, _ = as_tuple(body_fn(*values))
        check_same_avals("while_loop", [_aval(v) for v in values], expected, "loop variable",
                         "body_fn", "loop_vars")
        steps += 1
    return tuple(values)


# ---------------------------------------------------------------------------------------------
# scan


def scan(fn: Callable, init, xs, length: int | None = None, reverse: bool = False):
    """``fn(carry, x) -> (carry, y)`` over the leading axis of ``xs`` (jax.lax.scan).

    Returns ``(final_carry, ys)`` with the ``y`` of every step stacked along a new leading
    axis. ``carry`` and ``y`` may be single arrays or tuples of arrays (``y`` may be None);
    ``xs`` an array, a tuple of arrays with equal leading dims, or None with ``length``
    given. The carry must keep its shapes and dtypes. ``reverse=True`` walks the steps last to
    first (``ys[t]`` still belongs to ``xs[t]``).
    """
    carry, single_carry = as_tuple(init)
    x_leaves, single_x = ((), False) if xs is None else as_tuple(xs)
    handler = _handler_for([*carry, *x_leaves])
    if handler is not None:
        return handler.scan(fn, init, xs, length, reverse)
    n = scan_length([_aval(x) for x in x_leaves], length)
    if n is None or n == 0:
        raise OpValueError("scan", "scan over zero steps has no ys to stack in eager mode; "
                           "give xs with at least one row").with_location(user_location())
    expected = [_aval(c) for c in carry]
    per_step: list = [None] * n
    y_single = False
    for t in (range(n - 1, -1, -1) if reverse else range(n)):
        x = None if xs is None else (x_leaves[0][t] if single_x else
                                     tuple(leaf[t] for leaf in x_leaves))
        new_carry, y = split_step_result(fn(carry[0] if single_carry else carry, x))
        carry, _ = as_tuple(new_carry)
        check_same_avals("scan", [_aval(c) for c in carry], expected, "carry", "fn", "init")
        per_step[t], y_single = ((), False) if y is None else as_tuple(y)
    final = carry[0] if single_carry else tuple(carry)
    if not per_step[0]:
        return final, None
    stack = OPS["stack"]
    ys = tuple(stack([step[k] for step in per_step], axis=0) for k in range(len(per_step[0])))
    return final, ys[0] if y_single else ys


def split_step_result(out) -> tuple[Any, Any]:
    """A scan step's ``(carry, y)``, with a clear error when ``fn`` returned something else."""
    if not isinstance(out, tuple | list) or len(out) != 2:
        raise OpValueError("scan", f"fn must return a pair (carry, y), got "
                           f"{type(out).__name__}").with_location(user_location())
    return out[0], out[1]


def scan_length(x_avals: list[Aval], length: int | None) -> int | None:
    """The number of steps: the xs' common leading dim (``None`` if unknown) or ``length``."""
    if not x_avals:
        if length is None:
            raise OpValueError("scan", "with xs=None, pass length=").with_location(
                user_location())
        return int(length)
    for a in x_avals:
        if a.ndim == 0:
            raise ShapeError("scan", f"xs must have a leading axis to scan over, got {a}",
                             shapes=(a.shape,)).with_location(user_location())
    dims = {a.shape[0] for a in x_avals} - {None}
    if len(dims) > 1:
        shapes = [a.shape for a in x_avals]
        raise ShapeError("scan", f"xs leading dims differ: {sorted(dims)}; every xs array "
                         "needs the same number of steps", shapes=shapes).with_location(
                             user_location())
    n = dims.pop() if dims else None
    if length is not None and n is not None and int(length) != n:
        raise ShapeError("scan", f"length={length} but xs have {n} steps").with_location(
            user_location())
    return n if n is not None else (None if length is None else int(length))
