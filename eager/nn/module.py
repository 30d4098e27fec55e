"""`Module`: the base class of every layer and model, as in PyTorch.

A Module keeps its parameters, buffers and submodules in three dicts (each mirrored into the
instance's attributes: see `Registry`), filled by plain attribute assignment
(``self.fc1 = Linear(10, 5)``), and derives everything else from them:
iteration (``parameters()``, ``named_modules()``...), ``state_dict`` / ``load_state_dict``,
train/eval mode, dtype conversion, hooks, and a ``repr`` printed exactly like PyTorch's:

    >>> from eager import nn
    >>> nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    Sequential(
      (0): Linear(in_features=2, out_features=3, bias=True)
      (1): ReLU()
    )
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from ..tensor import Tensor
from ._hooks import RemovableHandle, add_hook
from .module_call import (
    BUFFER_REGISTRATION_HOOKS,
    GLOBAL_HOOK_IDS,
    MODULE_REGISTRATION_HOOKS,
    PARAMETER_REGISTRATION_HOOKS,
    call_with_hooks,
    registered,
)
from .module_state import HOOK_TABLES, IncompatibleKeys, ModuleState, Registry
from .parameter import Parameter, buffer_persistence

__all__ = ["Module", "IncompatibleKeys"]

_MIXED_BACKWARD_HOOKS = ("Cannot use both regular backward hooks and full backward hooks on a "
                         "single Module. Please use only one of them.")


def indent_nested(text: str, spaces: int) -> str:
    r"""Indent every line but the first (PyTorch's nesting rule for module reprs; the
    containers' reprs use it too).

        >>> print(indent_nested("Sequential(\n  (0): ReLU()\n)", 2))
        Sequential(
            (0): ReLU()
          )
    """
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    return lines[0] + "\n" + "\n".join(" " * spaces + line for line in lines[1:])


class Module(ModuleState):
    """Base class for layers and models: subclass it, assign layers in ``__init__``, define
    ``forward``, and call the instance.

        >>> class Net(Module):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.fc = nn.Linear(4, 2)
        ...     def forward(self, x):
        ...         return self.fc(x)
    """

    training: bool

    def __init__(self) -> None:
        # object.__setattr__: our own __setattr__ routes by value type and needs these first.
        # Each table mirrors its entries into self.__dict__, so reading ``self.weight`` is a
        # plain attribute hit (see `Registry`).
        object.__setattr__(self, "_parameters", Registry(self))
        object.__setattr__(self, "_buffers", Registry(self))
        object.__setattr__(self, "_non_persistent_buffers", set())
        object.__setattr__(self, "_modules", Registry(self))
        # PyTorch's hook tables; the *_with_kwargs / *_always_called ones flag hook ids.
        for table in HOOK_TABLES:
            object.__setattr__(self, table, OrderedDict())
        # None until a backward hook is registered; then whether it was a full one (the two
        # kinds cannot be mixed on one module, as in PyTorch).
        object.__setattr__(self, "_is_full_backward_hook", None)
        object.__setattr__(self, "training", True)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            f'Module [{type(self).__name__}] is missing the required "forward" function')

    # --- calling -------------------------------------------------------------------------------
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # The common case (no hooks) costs one dict truth test each on top of forward.
        if self._forward_pre_hooks or self._forward_hooks or self._backward_hooks or \
                self._backward_pre_hooks or GLOBAL_HOOK_IDS:
            return call_with_hooks(self, args, kwargs)
        return self.forward(*args, **kwargs)

    def register_forward_pre_hook(self, hook: Callable, *, prepend: bool = False,
                                  with_kwargs: bool = False) -> RemovableHandle:
        """``hook(module, args) -> None or new args`` (with ``with_kwargs``:
        ``hook(module, args, kwargs) -> None or (new args, new kwargs)``), run before
        ``forward``, after the hooks registered earlier (or before them all with
        ``prepend=True``)."""
        return add_hook(self._forward_pre_hooks, hook, prepend,
                        ((self._forward_pre_hooks_with_kwargs, with_kwargs),))

    def register_forward_hook(self, hook: Callable, *, prepend: bool = False,
                              with_kwargs: bool = False, always_call: bool = False
                              ) -> RemovableHandle:
        """``hook(module, args, output) -> None or new output`` (with ``with_kwargs``:
        ``hook(module, args, kwargs, output)``), run after ``forward``; with ``always_call``
        it runs even when forward raises."""
        return add_hook(self._forward_hooks, hook, prepend,
                        ((self._forward_hooks_with_kwargs, with_kwargs),
                         (self._forward_hooks_always_called, always_call)))

    def register_full_backward_pre_hook(self, hook: Callable, prepend: bool = False
                                        ) -> RemovableHandle:
        """``hook(module, grad_output) -> None or new grad_output``, run when the gradients
        w.r.t. the module's outputs are computed (None for an output that got none)."""
        return add_hook(self._backward_pre_hooks, hook, prepend)

    def register_full_backward_hook(self, hook: Callable, prepend: bool = False
                                    ) -> RemovableHandle:
        """``hook(module, grad_input, grad_output) -> None or new grad_input``, run when the
        gradients w.r.t. the module's inputs are computed: one entry per positional argument
        (None for a non-Tensor), one per output."""
        if self._is_full_backward_hook is False:
            raise RuntimeError(_MIXED_BACKWARD_HOOKS)
        object.__setattr__(self, "_is_full_backward_hook", True)
        return add_hook(self._backward_hooks, hook, prepend)

    def register_backward_hook(self, hook: Callable) -> RemovableHandle:
        """Deprecated: ``hook(module, grad_input, grad_output)`` on the last op of forward
        only (a FutureWarning at call time says what it misses); prefer
        `register_full_backward_hook`."""
        if self._is_full_backward_hook is True:
            raise RuntimeError(_MIXED_BACKWARD_HOOKS)
        object.__setattr__(self, "_is_full_backward_hook", False)
        return add_hook(self._backward_hooks, hook)

    # --- registration --------------------------------------------------------------------------
    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Add a parameter (or a ``None`` placeholder, like a missing bias) under ``name``."""
        self._check_registration("_parameters", "parameter", name, param, Parameter,
                                 "eager.nn.Parameter")
        if param is not None and PARAMETER_REGISTRATION_HOOKS:
            param = registered(PARAMETER_REGISTRATION_HOOKS, self, name, param)
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Add state that is not a parameter (running statistics...) to the module."""
        self._check_registration("_buffers", "buffer", name, tensor, Tensor, "eager.Tensor")
        if tensor is not None and BUFFER_REGISTRATION_HOOKS:
            tensor = registered(BUFFER_REGISTRATION_HOOKS, self, name, tensor)
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers.discard(name)
        else:
            self._non_persistent_buffers.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Add a child module under ``name`` (``self.name = module`` does the same)."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        self._check_name(name, "module", self._modules)
        self._set_module(name, module)

    def _set_module(self, name: str, module: Module | None) -> None:
        if MODULE_REGISTRATION_HOOKS:
            module = registered(MODULE_REGISTRATION_HOOKS, self, name, module)
        self._modules[name] = module

    register_module = add_module

    def _check_registration(self, table: str, kind: str, name: str, value: Any,
                            expected: type, expected_name: str) -> None:
        """PyTorch's checks before registering ``value`` (or None) as a ``kind`` in the dict
        attribute ``table``: ``Module.__init__`` has run, the name is new, the type fits."""
        if table not in self.__dict__:
            raise AttributeError(f"cannot assign {kind} before Module.__init__() call")
        self._check_name(name, kind, self.__dict__[table])
        if value is not None and not isinstance(value, expected):
            raise TypeError(f"cannot assign '{type(value).__name__}' object to {kind} "
                            f"'{name}' ({expected_name} or None required)")

    def _check_name(self, name: str, kind: str, store: dict) -> None:
        """PyTorch's checks on a new name: a string, no ".", not empty, and not an attribute
        already unless it is one of ``store`` (the parameters, buffers or modules)."""
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string. Got {type(name).__name__}")
        if "." in name:
            raise KeyError(f'{kind} name can\'t contain "."')
        if name == "":
            raise KeyError(f'{kind} name can\'t be empty string ""')
        if hasattr(self, name) and name not in store:
            raise KeyError(f"attribute '{name}' already exists")

    def __setattr__(self, name: str, value: Any) -> None:
        params = self.__dict__.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._forget(name, keep=params)
            self.register_parameter(name, value)
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(f"cannot assign '{type(value).__name__}' as parameter '{name}' "
                                "(eager.nn.Parameter or None expected)")
            params[name] = None
        elif isinstance(value, Module):
            if params is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._forget(name, keep=self._modules)
            self._set_module(name, value)
        elif params is not None and name in self._modules:
            if value is not None:
                raise TypeError(f"cannot assign '{type(value).__name__}' as child module "
                                f"'{name}' (eager.nn.Module or None expected)")
            self._set_module(name, None)
        elif params is not None and buffer_persistence(value) is not None:
            self._forget(name, keep=self._buffers)
            self.register_buffer(name, value, persistent=buffer_persistence(value))
        elif params is not None and name in self._buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign '{type(value).__name__}' as buffer '{name}' "
                                "(eager.Tensor or None expected)")
            if BUFFER_REGISTRATION_HOOKS:
                value = registered(BUFFER_REGISTRATION_HOOKS, self, name, value)
            self._buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name: str, keep: dict) -> None:
        """Drop ``name`` from every place an attribute can live before it is re-registered in
        the table ``keep``, where a replaced entry keeps its place (as in PyTorch: swapping a
        layer of a Sequential must not change the order it runs in)."""
        self.__dict__.pop(name, None)
        for table in (self._parameters, self._buffers, self._modules):
            if table is not keep:
                table.pop(name, None)
        self._non_persistent_buffers.discard(name)

    def __getattr__(self, name: str) -> Any:
        # Only reached when normal lookup fails, which the tables' mirror in __dict__ makes the
        # rare case (a missing name, a module not yet initialised or unpickled); the lookup in
        # the tables is PyTorch's rule, and what the mirror caches.
        d = self.__dict__
        params = d.get("_parameters")
        if params is not None:
            if name in params:
                return params[name]
            modules = d["_modules"]
            if name in modules:
                return modules[name]
            buffers = d["_buffers"]
            if name in buffers:
                return buffers[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        for table in (self._parameters, self._buffers, self._modules):
            if name in table:
                del table[name]
                self._non_persistent_buffers.discard(name)
                return
        object.__delattr__(self, name)

    def __dir__(self) -> list[str]:
        keys = list(super().__dir__()) + list(self._parameters) + list(self._modules) + \
            list(self._buffers)
        return sorted(k for k in set(keys) if not k[0].isdigit())

    # --- printing ------------------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The text inside the parentheses of this module's repr (layers override it)."""
        return ""

    def _get_name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [f"({key}): " + indent_nested(repr(module), 2)
                       for key, module in self._modules.items()]
        lines = extra_lines + child_lines
        text = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                text += extra_lines[0]
            else:
                text += "\n  " + "\n  ".join(lines) + "\n"
        return text + ")"
