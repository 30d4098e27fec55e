"""Calling a Module that has hooks: forward pre-hooks, forward, forward hooks and the backward
hooks' wrappers, in PyTorch's order, plus the global hooks every module runs
(``torch.nn.modules.module.register_module_forward_hook`` / ``_pre_hook``, the backward ones)
and the global registration hooks (``register_module_buffer_registration_hook``...).

A hook registered ``with_kwargs=True`` sees the keyword arguments too:
``pre_hook(module, args, kwargs) -> None or (args, kwargs)`` and
``hook(module, args, kwargs, output) -> None or output``. A forward hook registered
``always_call=True`` also runs when forward (or an earlier hook) raises; its own error is then
only a warning, and the first error propagates:

    >>> import eager
    >>> scale = eager.nn.Identity()
    >>> h = scale.register_forward_pre_hook(lambda m, a, kw: (a, {}), with_kwargs=True)
    >>> scale(eager.ones(1), unused=3)
    tensor([1.])
"""

from __future__ import annotations

import warnings
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from ..tensor import Tensor
from ._hooks import BackwardHook, RemovableHandle, add_hook, attach_non_full_hooks, user_stacklevel

__all__ = ["register_module_forward_pre_hook", "register_module_forward_hook",
           "register_module_full_backward_pre_hook", "register_module_full_backward_hook",
           "register_module_backward_hook", "register_module_buffer_registration_hook",
           "register_module_module_registration_hook",
           "register_module_parameter_registration_hook", "call_with_hooks", "registered"]

# Global hooks, run before every module's own (PyTorch keeps them in torch.nn.modules.module).
GLOBAL_FORWARD_PRE_HOOKS: OrderedDict = OrderedDict()
GLOBAL_FORWARD_HOOKS: OrderedDict = OrderedDict()
GLOBAL_FORWARD_HOOKS_WITH_KWARGS: OrderedDict = OrderedDict()
GLOBAL_FORWARD_HOOKS_ALWAYS_CALLED: OrderedDict = OrderedDict()
GLOBAL_BACKWARD_PRE_HOOKS: OrderedDict = OrderedDict()
GLOBAL_BACKWARD_HOOKS: OrderedDict = OrderedDict()
# Every global hook's id: `Module.__call__` tests this one table for "any global hook".
GLOBAL_HOOK_IDS: OrderedDict = OrderedDict()
# Whether the global backward hooks are full ones (None until one is registered; the two
# kinds cannot be mixed, as on one module).
_global_kind: dict[str, bool | None] = {"full": None}
_MIXED_GLOBAL = ("Cannot use both regular backward hooks and full backward hooks as a global "
                 "Module hook. Please use only one of them.")


def _add_global(table: OrderedDict, hook: Callable, flags: tuple = ()) -> RemovableHandle:
    return add_hook(table, hook, flags=((GLOBAL_HOOK_IDS, True), *flags))


def register_module_forward_pre_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """``hook(module, args) -> None or new args`` before every module's forward, ahead of the
    module's own pre-hooks (for debugging and profiling, as in PyTorch)."""
    return _add_global(GLOBAL_FORWARD_PRE_HOOKS, hook)


def register_module_forward_hook(hook: Callable[..., Any], *, with_kwargs: bool = False,
                                 always_call: bool = False) -> RemovableHandle:
    """``hook(module, args, output)`` (``(module, args, kwargs, output)`` with
    ``with_kwargs``) after every module's forward, ahead of the module's own hooks."""
    return _add_global(GLOBAL_FORWARD_HOOKS, hook, (
        (GLOBAL_FORWARD_HOOKS_WITH_KWARGS, with_kwargs),
        (GLOBAL_FORWARD_HOOKS_ALWAYS_CALLED, always_call)))


def register_module_full_backward_pre_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """``hook(module, grad_output)`` for every module, ahead of its own backward pre-hooks."""
    return _add_global(GLOBAL_BACKWARD_PRE_HOOKS, hook)


def register_module_full_backward_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """``hook(module, grad_input, grad_output)`` for every module, ahead of its own full
    backward hooks."""
    return _add_backward(hook, full=True)


def register_module_backward_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """Deprecated: the non-full backward hook (see ``Module.register_backward_hook``) for
    every module."""
    return _add_backward(hook, full=False)


def _add_backward(hook: Callable, full: bool) -> RemovableHandle:
    if _global_kind["full"] is (not full):
        raise RuntimeError(_MIXED_GLOBAL)
    _global_kind["full"] = full
    return _add_global(GLOBAL_BACKWARD_HOOKS, hook)


# --- registration hooks: what every register_buffer / register_parameter / add_module (and
# the attribute assignments that do the same) passes its value through first.
BUFFER_REGISTRATION_HOOKS: OrderedDict = OrderedDict()
MODULE_REGISTRATION_HOOKS: OrderedDict = OrderedDict()
PARAMETER_REGISTRATION_HOOKS: OrderedDict = OrderedDict()


def register_module_buffer_registration_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """``hook(module, name, buffer) -> None or new buffer`` at every buffer registration."""
    return add_hook(BUFFER_REGISTRATION_HOOKS, hook)


def register_module_module_registration_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """``hook(module, name, submodule) -> None or new submodule`` at every child
    registration."""
    return add_hook(MODULE_REGISTRATION_HOOKS, hook)


def register_module_parameter_registration_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """``hook(module, name, param) -> None or new parameter`` at every parameter
    registration."""
    return add_hook(PARAMETER_REGISTRATION_HOOKS, hook)


def registered(hooks: OrderedDict, module: Any, name: str, value: Any) -> Any:
    """``value`` as the registration ``hooks`` leave it (each may return a replacement)."""
    for hook in list(hooks.values()):
        result = hook(module, name, value)
        if result is not None:
            value = result
    return value


def _backward_hooks(module: Any) -> tuple[list, list, list]:
    """The full, non-full and pre backward hooks of one call: the global ones first."""
    full, non_full = [], []
    for kind, table in ((_global_kind["full"], GLOBAL_BACKWARD_HOOKS),
                        (module._is_full_backward_hook, module._backward_hooks)):
        if kind is True:
            full += table.values()
        elif kind is False:
            non_full += table.values()
    return full, non_full, [*GLOBAL_BACKWARD_PRE_HOOKS.values(),
                            *module._backward_pre_hooks.values()]


class _Call:
    """One call's arguments and result, which the always-called hooks still see when forward
    raises (the arguments as the pre-hooks left them, the result None)."""

    def __init__(self, module: Any, args: tuple, kwargs: dict) -> None:
        self.module = module
        self.args = args
        self.kwargs = kwargs
        self.result: Any = None
        self.called: set = set()  # ids of always-call hooks that already ran

    def run(self) -> Any:
        module = self.module
        # Taken before any hook runs: a hook that registers another does not change this call.
        forward = module.forward
        full, non_full, pre = _backward_hooks(module)
        self._pre_hooks()
        backward = None
        if full or pre:
            backward = BackwardHook(module, full, pre)
            self.args = backward.setup_input_hook(self.args)
        self.result = forward(*self.args, **self.kwargs)
        self._forward_hooks()
        if backward is not None:
            if not isinstance(self.result, Tensor | tuple):
                warnings.warn("For backward hooks to be called, module output should be a "
                              f"Tensor or a tuple of Tensors but received {type(self.result)}",
                              stacklevel=user_stacklevel())
            self.result = backward.setup_output_hook(self.result)
        if non_full:
            attach_non_full_hooks(module, non_full, self.args, self.result)
        return self.result

    def _pre_hooks(self) -> None:
        module = self.module
        with_kwargs = module._forward_pre_hooks_with_kwargs
        for hook_id, hook in (*GLOBAL_FORWARD_PRE_HOOKS.items(),
                              *module._forward_pre_hooks.items()):
            if hook_id in with_kwargs:
                result = hook(module, self.args, self.kwargs)
                if result is None:
                    continue
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise RuntimeError("forward pre-hook must return None or a tuple of "
                                       f"(new_args, new_kwargs), but got {result}.")
                self.args, self.kwargs = result
            else:
                result = hook(module, self.args)
                if result is not None:
                    self.args = result if isinstance(result, tuple) else (result,)

    def _forward_hooks(self) -> None:
        module = self.module
        for hook_id, hook in (*GLOBAL_FORWARD_HOOKS.items(), *module._forward_hooks.items()):
            if hook_id in module._forward_hooks_always_called or \
                    hook_id in GLOBAL_FORWARD_HOOKS_ALWAYS_CALLED:
                self.called.add(hook_id)
            result = self._run_forward_hook(hook_id, hook)
            if result is not None:
                self.result = result

    def _run_forward_hook(self, hook_id: int, hook: Callable) -> Any:
        if hook_id in self.module._forward_hooks_with_kwargs or \
                hook_id in GLOBAL_FORWARD_HOOKS_WITH_KWARGS:
            return hook(self.module, self.args, self.kwargs, self.result)
        return hook(self.module, self.args, self.result)

    def run_always_called(self) -> None:
        """After forward raised: the ``always_call`` hooks that have not run yet, each one's
        own error turned into a warning (the forward's error is the one that propagates)."""
        module = self.module
        for table, flags, kind in (
                (GLOBAL_FORWARD_HOOKS, GLOBAL_FORWARD_HOOKS_ALWAYS_CALLED, "global module"),
                (module._forward_hooks, module._forward_hooks_always_called, "module")):
            for hook_id, hook in list(table.items()):
                if hook_id not in flags or hook_id in self.called:
                    continue
                try:
                    # PyTorch passes no kwargs to a global hook on this path, with_kwargs or not.
                    result = hook(module, self.args, self.result) if table is \
                        GLOBAL_FORWARD_HOOKS else self._run_forward_hook(hook_id, hook)
                except Exception as e:  # noqa: BLE001 (silenced, as PyTorch does)
                    warnings.warn(f"{kind} forward hook with ``always_call=True`` raised an "
                                  "exception that was silenced as another error was raised "
                                  f"in forward: {e}", stacklevel=user_stacklevel())
                    continue
                if result is not None:
                    self.result = result


def call_with_hooks(module: Any, args: tuple, kwargs: dict) -> Any:
    """``module(*args, **kwargs)`` with its hooks and the global ones (`Module.__call__` comes
    here only when there is some hook)."""
    call = _Call(module, args, kwargs)
    try:
        return call.run()
    except Exception:
        call.run_always_called()
        raise
