"""The one seam between the op library and the execution modes.

Calling an op is `call_op(op, *args, **attrs)` (it is ``Op.__call__``), which looks at the
kinds of the arguments:

* any argument of a registered mode's value type (a static ``Node``, an eager ``Tensor``) ->
  that mode's handler runs the op (the mode with the highest priority wins, so a static Node
  next to an eager Tensor stages into the graph);
* otherwise -> the kernel runs directly on the NumPy arrays.

Before either, the arguments are normalized the same way for every mode: Python scalars and
lists become arrays with the dtype rules of `shared_ops.dtypes`, unsupported dtypes are
rejected, and ops that promote get their inputs cast to one dtype (through the ``cast`` op, so
that the cast is recorded by the mode like any other op).

This module knows that modes exist but not which: eager and static register themselves with
`register_mode`. shared_ops imports neither.
"""

from __future__ import annotations

import contextlib
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import dtypes as dt
from .complex_support import admit as admit_complex
from .complex_support import has_complex
from .errors import DTypeError, OpError, user_location
from .int_scalars import wrapped_scalar
from .kernel_run import raise_kernel_error, run_kernel
from .op_table import OPS

_SCALARS = (bool, int, float, complex, np.bool_, np.integer, np.floating, np.complexfloating)


@dataclass(frozen=True)
class Mode:
    """A registered execution mode: which values it owns and how it applies an op to them."""

    name: str
    value_type: type
    apply: Callable[[Any, tuple, dict], Any]
    priority: int
    # True for a mode that computes values at once (eager), False for one that stages ops
    # into a graph: composites then keep their decomposition for the graph's passes to see.
    immediate: bool = False
    # A value's NumPy dtype, for the fast path (eager's ``Tensor.dtype`` is a torch-style
    # dtype object, slower to hash and compare).
    dtype_of: Callable[[Any], np.dtype] = operator.attrgetter("dtype")


_modes: list[Mode] = []
_mode_of_type: dict[type, Mode | None] = {}


def register_mode(name: str, value_type: type, apply: Callable, priority: int,
                  immediate: bool = False, dtype_of: Callable | None = None) -> None:
    """Route ops whose arguments include a ``value_type`` instance to ``apply(op, args, attrs)``.

    ``priority`` settles mixed arguments: static (builds graphs) outranks eager (runs now).
    ``immediate``: the mode computes values at once (see `Composite` for what that changes).
    ``dtype_of``: a value's NumPy dtype (default: its ``dtype`` attribute).
    """
    _modes[:] = [m for m in _modes if m.name != name]
    _modes.append(Mode(name, value_type, apply, priority, immediate,
                       dtype_of or operator.attrgetter("dtype")))
    _modes.sort(key=lambda m: -m.priority)
    _mode_of_type.clear()
    for m in _modes:  # known from the start: a mode's first values need no slow lookup
        _mode_for(m.value_type)


def _mode_for(t: type) -> Mode | None:
    try:
        return _mode_of_type[t]
    except KeyError:
        found = next((m for m in _modes if issubclass(t, m.value_type)), None)
        _mode_of_type[t] = found
        return found


def _value_mode(a) -> Mode | None:
    """The mode owning the value ``a``: the one that captured it, else its type's."""
    if _captured:
        mode = _captured.get(id(a))
        if mode is not None:
            return mode
    return _mode_for(type(a))


def mode_of(args) -> Mode | None:
    """The highest-priority mode owning any of ``args`` (None: plain arrays)."""
    best = None
    for a in args:
        mode = _value_mode(a)
        if mode is not None and (best is None or mode.priority > best.priority):
            best = mode
    return best


# Objects claimed by a mode for a while, whatever their type: while the static tracer runs a
# Module, the Module's eager parameters belong to the static mode, so that `weight.t()` inside
# `forward` is staged into the graph instead of computed once as a constant.
_captured: dict[int, Mode] = {}


@contextlib.contextmanager
def capture(objects, mode_name: str):
    """Route every op touching one of ``objects`` to the mode ``mode_name`` inside the block."""
    mode = next(m for m in _modes if m.name == mode_name)
    ids = [id(o) for o in objects]
    previous = {i: _captured[i] for i in ids if i in _captured}
    _captured.update(dict.fromkeys(ids, mode))
    try:
        yield
    finally:
        for i in ids:
            _captured.pop(i, None)
        _captured.update(previous)


_ndarray = np.ndarray
_SUPPORTED = dt.SUPPORTED_SET
_FLOATING = frozenset(d for d in _SUPPORTED if d.kind == "f")  # what a floating op takes as is
# Public names of the fast path's facts, for a mode's own operator methods that pre-check the
# commonest case (eager's ``Tensor.__add__``): which dtypes a call takes as they are, and the
# captured values (the same dict, only ever mutated in place: non-empty means "take call_op").
SUPPORTED_DTYPES = _SUPPORTED
FLOATING_DTYPES = _FLOATING
CAPTURED = _captured


def call_op(op, *args, **attrs):
    """``op(*args, **attrs)``: every primitive call lands here (it is `Op.__call__`).

    The fast path covers arguments that need (almost) no normalization: ndarrays and values
    of one mode, none captured, all of supported dtypes (floating, for float ops) and of one
    dtype where the op promotes (an op that does not, such as a loss with integer targets,
    takes its inputs as they are); plus perhaps Python ``int``/``float`` scalars next to
    floating values of a fully promoting op (weak scalars take the values' dtype, exactly
    what `_promote` does). They go straight to the mode's ``apply`` or to the kernel;
    everything else takes `_bind_general` (a tuple or string passed where an input belongs,
    among others).
    NOTE: this fast path, its checks written out in this one frame, is a measured trick of the
    eager hot path (forward on Tensors, backward on ndarrays): docs/PERFORMANCE.md.
    """
    if op.variadic:  # concat([a, b], axis=0): one sequence of inputs
        (seq,) = args
        args = tuple(seq)
    if _captured:
        return _bind_general(op, args, attrs)
    # NOTE: the commonest calls first, one or two inputs of one kind (ndarrays, or values of
    # one mode) and one dtype object, checked with as few operations as can decide it: a
    # measured trick (docs/PERFORMANCE.md). Anything else takes the loop below, as before.
    mode = None
    n = len(args)
    if n == 2:
        x, y = args
        arg_type = type(x)
        if arg_type is _ndarray:
            dtype = x.dtype if type(y) is _ndarray and x.dtype is y.dtype else None
        else:
            mode = _mode_of_type.get(arg_type)
            y_type = type(y)
            if mode is None:
                dtype = None
            elif y_type is arg_type or _mode_of_type.get(y_type) is mode:
                dtype = mode.dtype_of(x)
                if dtype is not mode.dtype_of(y):
                    mode = dtype = None
            elif (y_type is float or y_type is int) and op.promote is True:
                # a weak scalar takes a floating value's dtype (as `_promote` does)
                dtype = mode.dtype_of(x)
                if dtype in _FLOATING:
                    args = (x, np.asarray(y, dtype))
                else:
                    mode = dtype = None
            else:
                mode = dtype = None
    elif n == 1:
        x = args[0]
        arg_type = type(x)
        mode = None if arg_type is _ndarray else _mode_of_type.get(arg_type)
        dtype = x.dtype if arg_type is _ndarray else None if mode is None else mode.dtype_of(x)
    else:
        dtype = None
    if dtype is None or dtype not in (_FLOATING if op.floating else _SUPPORTED):
        mode = dtype = None
        scalars = False
        for a in args:
            arg_type = type(a)
            if arg_type is _ndarray:
                a_dtype = a.dtype
            elif arg_type is float or arg_type is int:
                scalars = True
                continue
            else:
                # subclasses (eager's Parameter) are in the table once seen by _mode_for
                arg_mode = _mode_of_type.get(arg_type)
                if arg_mode is None or (mode is not None and arg_mode is not mode):
                    return _bind_general(op, args, attrs)
                mode = arg_mode
                a_dtype = arg_mode.dtype_of(a)
            if dtype is None:
                dtype = a_dtype
            elif a_dtype != dtype and (op.promote is not False or a_dtype not in _SUPPORTED
                                       or (op.floating and a_dtype.kind != "f")):
                return _bind_general(op, args, attrs)
        if dtype is None or dtype not in _SUPPORTED or (op.floating and dtype.kind != "f"):
            return _bind_general(op, args, attrs)
        if scalars:
            if op.promote is not True or dtype.kind != "f":
                return _bind_general(op, args, attrs)
            args = tuple([np.asarray(a, dtype) if type(a) in (float, int) else a
                          for a in args])
    if mode is not None:
        return mode.apply(op, args, attrs)
    try:
        out = op.kernel(*args, **attrs)
    except Exception as e:
        raise_kernel_error(op, args, attrs, e)
    return out if type(out) is _ndarray else np.asarray(out)


def _bind_general(op, args: tuple, attrs: dict):
    """Normalize the arguments (scalars, lists, dtypes, promotion), then hand them to the
    owning mode or to the kernel."""
    if not op.variadic and len(args) > 1:  # a variadic op's inputs are one sequence's items
        _reject_positional_attrs(op, args)
    if has_complex(args):  # only ops that compute with complex values take them
        op = admit_complex(op, args, mode_of(args))
        if not getattr(op, "primitive", False):  # a complex variant that is a function of ops
            return op(*args, **attrs)
    try:
        args = normalize_args(op, args)
    except OpError as e:  # an unsupported dtype: say where the user passed it
        raise e.with_location(user_location()) from None
    if op.floating:
        args = _to_floating(args)
    mode = mode_of(args)
    if mode is not None:
        return mode.apply(op, args, attrs)
    return run_kernel(op, args, attrs)


# Shapes, axes and dtypes; plain ints stay allowed (a dropout seed is an integer *input*).
_ATTR_LIKE = (tuple, list, str, type, np.dtype)


def _reject_positional_attrs(op, args: tuple) -> None:
    """Attrs are keyword-only: ``transpose(x, (1, 0))`` would otherwise turn the axes into a
    second *input* array and compute something else entirely. Scalars and lists are fine where
    the op promotes them (``mul(x, 2.0)``, ``where(c, x, 0.0)``)."""
    if op.promote is True:
        return
    scalar_ok = range(len(args)) if op.promote is True else (op.promote or ())
    for i, a in enumerate(args[1:], start=1):
        if isinstance(a, _ATTR_LIKE) and i not in scalar_ok:
            raise TypeError(f"{op.name}: positional argument {i} is {a!r}, not an array; "
                            f"pass attributes by keyword (e.g. {op.name}(x, axis=...))")


# ---------------------------------------------------------------------------------------------
# Argument normalization: scalars, lists, dtypes, promotion.


def normalize_args(op, args: tuple) -> tuple:
    """``args`` as ``op``'s kernel takes them, the same for every mode: Python scalars and
    lists as arrays (dtypes by `shared_ops.dtypes`' rules), unsupported dtypes refused, and,
    where the op promotes, its inputs cast to one dtype (arrays directly, a mode's values
    through the ``cast`` op). Arguments that need none of it come back as they are.

        >>> normalize_args(OPS["add"], (np.ones(2, np.float32), 2))[1]
        array(2., dtype=float32)
    """
    promote = op.promote
    needs_work = False
    for a in args:
        if not hasattr(a, "dtype") or isinstance(a, np.generic):
            needs_work = True
        elif type(a) is np.ndarray and a.dtype not in dt.SUPPORTED_SET:
            dt.check_supported(a.dtype, op=op.name)
    if promote:
        positions = range(len(args)) if promote is True else promote
        if not needs_work:
            first = args[positions[0]].dtype
            if all(args[i].dtype == first for i in positions):
                return args
        return _promote(op, list(args), positions)
    if not needs_work:
        return args
    return tuple(a if hasattr(a, "dtype") and not isinstance(a, np.generic)
                 else as_array(a, op=op.name) for a in args)


def as_array(value, *, op: str = "tensor", dtype: np.dtype | None = None) -> np.ndarray:
    """A Python scalar, list or NumPy value as an array with the framework's default dtypes."""
    if dtype is None:
        dtype = dt.infer_dtype(value)
        dt.check_supported(dtype, op=op)
    try:
        return np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as e:
        raise DTypeError(op, f"cannot make an array of {dtype} from {_brief(value)}: {e}")\
            .with_location(user_location()) from None


def _brief(value) -> str:
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."


def _promote(op, args: list, positions) -> tuple:
    arrays = [args[i] for i in positions
              if hasattr(args[i], "dtype") and not isinstance(args[i], np.generic)]
    # zero-dim tensors count only when of a higher category (PyTorch's tiers)
    base = dt.tensor_result_dtype([a.dtype for a in arrays], [len(a.shape) == 0 for a in arrays]) \
        if arrays else None
    target = base
    for i in positions:
        a = args[i]
        if not hasattr(a, "dtype") or isinstance(a, np.generic):
            if not isinstance(a, _SCALARS):
                a = args[i] = as_array(a, op=op.name)
                target = a.dtype if target is None else dt.result_dtype(target, a.dtype)
                continue
            a_dtype = dt.weak_scalar_dtype(a, base) if base is not None else dt.scalar_dtype(a)
            target = a_dtype if target is None else dt.result_dtype(target, a_dtype)
    for i in positions:
        a = args[i]
        if isinstance(a, _SCALARS):
            args[i] = wrapped_scalar(a, target, op.name) \
                if type(a) is int and target.kind in "iu" else np.asarray(a, dtype=target)
        elif a.dtype != target:
            args[i] = a.astype(target) if type(a) is np.ndarray else cast(a, target)
    for i, a in enumerate(args):  # non-promoted positions still need arrays
        if not hasattr(a, "dtype") or isinstance(a, np.generic):
            args[i] = as_array(a, op=op.name)
    return tuple(args)


def _to_floating(args: tuple) -> tuple:
    if all(a.dtype.kind in "fc" for a in args):
        return args
    return tuple(a if a.dtype.kind in "fc" else
                 a.astype(dt.DEFAULT_FLOAT) if type(a) is np.ndarray else
                 cast(a, dt.DEFAULT_FLOAT)
                 for a in args)


def cast(x, dtype: np.dtype):
    """Cast through the registered ``cast`` op, so that modes record the conversion."""
    return OPS["cast"](x, dtype=dtype)


def all_immediate(args: tuple, kwargs: dict) -> bool:
    """True when no argument belongs to a mode that stages ops into a graph (composites then
    may run their fused immediate form, see `composite_calls.call_composite`)."""
    for values in (args, kwargs.values()) if kwargs else (args,):
        for a in values:
            arg_mode = _value_mode(a)
            if arg_mode is not None and not arg_mode.immediate:
                return False
    return True
