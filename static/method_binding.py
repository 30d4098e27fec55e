"""``@static.function`` on a method: one `Function` per instance, without keeping instances.

    class Model(nn.Module):
        @static.function
        def forward(self, x): ...

Each instance needs its own traces (they capture its parameters), so the class-level Function
keeps one per instance in a ``WeakKeyDictionary``. That Function must not hold its instance
strongly: a dictionary value that refers to its own key keeps the entry, and every instance
that ever called the method, alive for good (with its traces, Sessions and plan buffers).

So the per-instance Function calls a `WeakMethod` (the instance held by a weak reference),
and ``instance.method`` returns a `BoundFunction`: the per-instance Function together with
a strong reference to the instance, as an ordinary bound method holds it. While the caller
holds it (``step = Model().forward; step(x)``) the instance lives; once nothing does, the
instance goes and its Function's traces with it. ``a.forward is a.forward`` holds while
either is referenced (the binding is cached weakly).
"""

from __future__ import annotations

import contextlib
import inspect
import types
import weakref
from collections.abc import Callable
from typing import Any


class WeakMethod:
    """``fn`` bound to ``obj`` through a weak reference: ``__call__`` is ``fn(obj, ...)``.

    It shows the bound method's name and signature (placeholder names come from them) and
    its ``__self__`` (the Module whose parameters a trace captures)."""

    def __init__(self, fn: Callable, obj: Any):
        self._fn = fn
        self._ref = weakref.ref(obj)
        method = types.MethodType(fn, obj)
        self.__qualname__ = getattr(fn, "__qualname__", type(fn).__name__)
        self.__name__ = getattr(fn, "__name__", self.__qualname__)
        # A callable without a signature: placeholder names default to input_k.
        with contextlib.suppress(TypeError, ValueError):
            self.__signature__ = inspect.signature(method)

    @property
    def __self__(self) -> Any:
        return self._ref()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        obj = self._ref()
        if obj is None:  # only reachable by keeping the per-instance Function itself
            raise ReferenceError(f"static.function: the instance {self.__qualname__} was "
                                 "bound to no longer exists")
        return self._fn(obj, *args, **kwargs)


class BoundFunction:
    """``instance.method`` for a ``static.function`` method: calls and attributes (``ledger``,
    ``get_concrete_function``...) are those of the instance's own Function (``__func__``);
    ``__self__`` keeps the instance alive while this object is held."""

    __slots__ = ("__func__", "__self__", "__weakref__")

    def __init__(self, function: Any, obj: Any):
        self.__func__ = function
        self.__self__ = obj

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.__func__(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__func__, name)

    def __repr__(self) -> str:
        return repr(self.__func__)  # the instance's Function is what it stands for


def bind(cache: weakref.WeakKeyDictionary, obj: Any, make: Callable[[WeakMethod], Any],
         fn: Callable) -> BoundFunction:
    """``obj``'s binding of the method ``fn``: its Function from ``cache`` (made with
    ``make(WeakMethod(fn, obj))`` on first use) and ``obj``."""
    entry = cache.get(obj)
    if entry is None:
        entry = cache[obj] = [make(WeakMethod(fn, obj)), None]
    binding = entry[1]() if entry[1] is not None else None
    if binding is None:
        binding = BoundFunction(entry[0], obj)
        entry[1] = weakref.ref(binding)
    return binding
