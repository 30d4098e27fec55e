"""Optimizer hooks with PyTorch's API: per optimizer, ``register_step_pre_hook`` /
``register_step_post_hook`` and the state-dict hooks (``register_state_dict_pre_hook``,
``..._post_hook``, ``register_load_state_dict_pre_hook``, ``..._post_hook``); for every
optimizer at once, `register_optimizer_step_pre_hook` / `register_optimizer_step_post_hook`.

Step hooks run around every ``step`` of every class (`OptimizerHooks.__init_subclass__` wraps
each class's own ``step``, `Optimizer`'s included), and see ``(optimizer, args, kwargs)``
where ``args`` starts with the optimizer, as PyTorch passes them: global pre-hooks, then the
optimizer's, then the step, then the optimizer's post-hooks, then the global ones. A pre-hook
may return new ``(args, kwargs)``.

    >>> import eager
    >>> opt = eager.optim.SGD([eager.nn.Parameter(eager.ones(1))], lr=0.1)
    >>> handle = opt.register_step_post_hook(lambda o, args, kwargs: print("stepped"))
    >>> opt.step()
    stepped
    >>> handle.remove()
"""

from __future__ import annotations

import functools
import itertools
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

# One handle class for Module and optimizer hooks, as PyTorch shares
# torch.utils.hooks.RemovableHandle.
from ..nn._hooks import RemovableHandle, add_hook

_global_pre_hooks: OrderedDict = OrderedDict()
_global_post_hooks: OrderedDict = OrderedDict()


def register_optimizer_step_pre_hook(hook: Callable) -> RemovableHandle:
    """``hook(optimizer, args, kwargs)`` before every optimizer's ``step``."""
    return add_hook(_global_pre_hooks, hook)


def register_optimizer_step_post_hook(hook: Callable) -> RemovableHandle:
    """``hook(optimizer, args, kwargs)`` after every optimizer's ``step``."""
    return add_hook(_global_post_hooks, hook)


def _prependable_registrar(kind: str, doc: str) -> Callable:
    """The method ``register_<kind>(hook, prepend=False)``: adds ``hook`` to the optimizer's
    ``_optimizer_<kind>s`` (first when ``prepend``) and returns its handle."""
    table = f"_optimizer_{kind}s"

    def register(self: OptimizerHooks, hook: Callable, prepend: bool = False) -> RemovableHandle:
        return add_hook(self._hooks(table), hook, prepend)

    register.__name__ = f"register_{kind}"
    register.__qualname__ = f"OptimizerHooks.register_{kind}"
    register.__doc__ = doc
    return register


def with_step_hooks(step: Callable) -> Callable:
    """``step`` wrapped to run the global and the optimizer's step hooks around it."""
    @functools.wraps(step)
    def hooked(*args: Any, **kwargs: Any) -> Any:
        self = args[0]
        own = self.__dict__
        if not (_global_pre_hooks or _global_post_hooks or own.get("_optimizer_step_pre_hooks")
                or own.get("_optimizer_step_post_hooks")):
            return step(*args, **kwargs)  # no hooks: the step as it is (the hot path)
        for hook in itertools.chain(_global_pre_hooks.values(),
                                    self._hooks("_optimizer_step_pre_hooks").values()):
            result = hook(self, args, kwargs)
            if result is not None:
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise RuntimeError(f"{step} must return None or a tuple of (new_args, "
                                       f"new_kwargs), but got {result}.")
                args, kwargs = result
        out = step(*args, **kwargs)
        for hook in itertools.chain(self._hooks("_optimizer_step_post_hooks").values(),
                                    _global_post_hooks.values()):
            hook(self, args, kwargs)
        return out

    hooked.hooked = True  # type: ignore[attr-defined]
    return hooked


class OptimizerHooks:
    """The hook registries of an optimizer (a base of `Optimizer`)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        step = cls.__dict__.get("step")
        if step is not None and not getattr(step, "hooked", False):
            cls.step = with_step_hooks(step)  # type: ignore[attr-defined]

    def _hooks(self, name: str) -> OrderedDict:
        # Created on first use: optimizers restored by __setstate__ have none yet.
        hooks = self.__dict__.get(name)
        if hooks is None:
            hooks = self.__dict__[name] = OrderedDict()
        return hooks

    def register_step_pre_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(optimizer, args, kwargs)`` before each ``step``; may return new
        ``(args, kwargs)``."""
        return add_hook(self._hooks("_optimizer_step_pre_hooks"), hook)

    def register_step_post_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(optimizer, args, kwargs)`` after each ``step``."""
        return add_hook(self._hooks("_optimizer_step_post_hooks"), hook)

    # The four state-dict hook registrars share PyTorch's signature ``(hook, prepend=False)``.
    register_state_dict_pre_hook = _prependable_registrar(
        "state_dict_pre_hook", "``hook(optimizer)`` before ``state_dict`` builds its result.")
    register_state_dict_post_hook = _prependable_registrar(
        "state_dict_post_hook",
        "``hook(optimizer, state_dict)`` after; a returned dict replaces the result.")
    register_load_state_dict_pre_hook = _prependable_registrar(
        "load_state_dict_pre_hook",
        "``hook(optimizer, state_dict)`` before loading; a returned dict is loaded instead.")
    register_load_state_dict_post_hook = _prependable_registrar(
        "load_state_dict_post_hook", "``hook(optimizer)`` after loading.")

    def _state_dict_with_hooks(self, build: Callable[[], dict]) -> dict:
        for hook in self._hooks("_optimizer_state_dict_pre_hooks").values():
            hook(self)
        state = build()
        for hook in self._hooks("_optimizer_state_dict_post_hooks").values():
            replaced = hook(self, state)
            if replaced is not None:
                state = replaced
        return state

    def _load_with_hooks(self, state_dict: dict, load: Callable[[dict], None]) -> None:
        for hook in self._hooks("_optimizer_load_state_dict_pre_hooks").values():
            replaced = hook(self, state_dict)
            if replaced is not None:
                state_dict = replaced
        load(state_dict)
        for hook in self._hooks("_optimizer_load_state_dict_post_hooks").values():
            hook(self)
