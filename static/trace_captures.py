"""What a traced function reads from outside its arguments, found before it is traced.

`static.function` over a plain function (not a Module or a method) would otherwise freeze
every Module parameter and tensor it reads through a closure or a global: the op staging
them would see a value, not a variable, and bake it in as a constant, so later training of
the Module is not seen and ``minimize`` has nothing to train. `outside_values` looks at the
names the function's code reads (``inspect.getclosurevars``: its closure cells and the
globals it uses, and the same for the functions it calls by name), and returns:

* ``captured``: ``(name, object)`` pairs to capture by reference, as `static.trace` captures
  a Module's parameters: every parameter and buffer of a Module (``model.fc.weight``), and
  every tensor or NumPy array read directly (``scale``) or one attribute into a plain object
  (``trainer.model``);
* ``frozen``: ``(name, why)`` for values read that cannot be captured by reference (an
  array-like whose ``np.asarray`` is a copy each time): these become constants, and
  `static.function` warns, naming them.

    >>> import numpy as np
    >>> scale = np.ones(3, np.float32)
    >>> def f(x):
    ...     return x * scale
    >>> [name for name, _ in outside_values(f)[0]]
    ['scale']
"""

from __future__ import annotations

import inspect
import types
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from shared_ops.errors import user_location

from .pytree import flatten, unflatten
from .trace_ledger import TraceLedger
from .traced import is_array_like

__all__ = ["capture_outside", "outside_values", "run_eagerly", "stale_reason"]

# How deep to follow functions called by name (f calls helper calls model...).
_MAX_DEPTH = 3


def outside_values(fn: Callable) -> tuple[list[tuple[str, Any]], list[tuple[str, str]]]:
    """``(captured, frozen)`` for the values ``fn`` reads outside its arguments (see above)."""
    captured: list[tuple[str, Any]] = []
    frozen: list[tuple[str, str]] = []
    seen: set[int] = set()
    _scan(fn, captured, frozen, seen, 0)
    return captured, frozen


def _scan(fn: Callable, captured: list, frozen: list, seen: set[int], depth: int) -> None:
    if id(fn) in seen or depth > _MAX_DEPTH:
        return
    seen.add(id(fn))
    code_fn = getattr(fn, "__func__", fn)  # a bound method's function
    if not isinstance(code_fn, types.FunctionType):
        return
    try:
        found = inspect.getclosurevars(code_fn)
    except (TypeError, ValueError):
        return
    for name, value in [*found.nonlocals.items(), *found.globals.items()]:
        if id(value) in seen:
            continue
        if isinstance(value, types.FunctionType):
            _scan(value, captured, frozen, seen, depth + 1)
        elif not _take(name, value, captured, frozen, seen) and _plain_object(value):
            # One level into a plain object (``trainer.model``, ``cfg.scale``).
            for key, attr in vars(value).items():
                if id(attr) not in seen:
                    _take(f"{name}.{key}", attr, captured, frozen, seen)


def _take(name: str, value: Any, captured: list, frozen: list, seen: set[int]) -> bool:
    """Capture ``value`` if it is a Module or a tensor-like; False if it is neither."""
    if hasattr(value, "named_parameters") and not isinstance(value, type):
        seen.add(id(value))  # a Module: all its parameters and buffers
        captured.extend((f"{name}.{k}", p) for k, p in value.named_parameters())
        if hasattr(value, "named_buffers"):
            captured.extend((f"{name}.{k}", b) for k, b in value.named_buffers())
        return True
    if _is_tensor_like(value):
        seen.add(id(value))
        if _by_reference(value):
            captured.append((name, value))
        else:
            frozen.append((name, f"{type(value).__name__} whose np.asarray() is a copy"))
        return True
    return False


def _plain_object(value: Any) -> bool:
    """An instance of a user class (not a module, class, function or builtin value)."""
    return (hasattr(value, "__dict__") and not isinstance(value, type | types.ModuleType)
            and not callable(value))


def _is_tensor_like(value: Any) -> bool:
    return (not isinstance(value, type) and hasattr(value, "__array__")
            and hasattr(value, "shape") and hasattr(value, "dtype")
            and not hasattr(value, "aval"))  # a static Node is not a value to capture


def _by_reference(value: Any) -> bool:
    """Whether a graph variable can share this value's storage (so updates are seen)."""
    try:
        a, b = np.asarray(value), np.asarray(value)
    except Exception:  # any failure means: not by reference
        return False
    return a is b and a.flags.writeable


def capture_outside(fn: Callable, who: str, ledger: TraceLedger,
                    warned: set[str]) -> list[tuple[str, Any]]:
    """`outside_values` of ``fn`` for a trace: the captured ones noted in ``ledger``, each
    frozen one noted there and warned about once (``warned`` holds the names warned of)."""
    captured, frozen = outside_values(fn)
    ledger.note_captured([name for name, _ in captured])
    for name, why_frozen in frozen:
        ledger.note_frozen(name, why_frozen)
        if name in warned:
            continue
        warned.add(name)
        message = (f"{who}: {name!r} ({why_frozen}) is baked into the trace as a constant: "
                   "later changes to it are not seen. Make it a Parameter or an array the "
                   "function can share, or pass it as an argument")
        where = user_location()
        if where is None:
            warnings.warn(message, UserWarning, stacklevel=2)
        else:
            warnings.warn_explicit(message, UserWarning, where.filename, where.lineno)
    return captured


def stale_reason(shared: tuple) -> str | None:
    """Why a trace no longer reads its parameters (None: it does), given its ``(object,
    variable)`` pairs. Optimizers update in place; only code that rebinds a parameter's
    array (``p.data = ...``) makes this happen."""
    for obj, var in shared:
        if np.asarray(obj) is not var.value:
            return f"parameter {var.name} was given a new array (p.data = ...)"
    return None


def run_eagerly(fn: Callable, who: str, args: tuple, kwargs: dict) -> Any:
    """``static.config.run_functions_eagerly(True)``: the Python as written, on the values
    given, nothing traced; array results come back as arrays, as traced."""
    try:
        out = fn(*args, **kwargs)
    except Exception as e:
        e.add_note(f"(raised while running {who} eagerly, as "
                   "static.config.run_functions_eagerly(True) asks; graph-building code such "
                   "as static.optim's minimize or static.gradients needs tracing)")
        raise
    leaves: list[Any] = []
    template = flatten(out, leaves)
    return unflatten(template, iter([np.asarray(v) if is_array_like(v) else v
                                     for v in leaves]))
