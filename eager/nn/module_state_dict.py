"""``state_dict`` / ``load_state_dict`` with PyTorch's per-module walk and its hooks.

The second link of `Module`'s class chain (``ModuleTree <- ModuleStateDict <- ModuleState
<- Module``). As in PyTorch, ``state_dict`` asks each module for its own entries
(``_save_to_state_dict``) and recurses into its children, running the module's state-dict
pre-hooks before and post-hooks after; ``load_state_dict`` hands each module the entries under
its prefix (``_load_from_state_dict``, after its load pre-hooks, which may rename keys), then
runs its load post-hooks, which may edit the missing/unexpected key lists:

    >>> from eager import nn
    >>> lin = nn.Linear(2, 1)
    >>> def rename(module, sd, prefix, *rest):
    ...     if prefix + "w" in sd:
    ...         sd[prefix + "weight"] = sd.pop(prefix + "w")
    >>> h = lin.register_load_state_dict_pre_hook(rename)
    >>> lin.load_state_dict({"w": eager.ones(1, 2), "bias": eager.zeros(1)})
    <All keys matched successfully>

Unlike PyTorch, the values are copied only once every key and shape has been checked: a load
that fails on a size mismatch, or on keys when no load post-hook could forgive them, leaves
the module untouched.
"""

from __future__ import annotations

import functools
import threading
import warnings
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import numpy as np

from ..tensor import Tensor
from ._hooks import RemovableHandle, add_hook
from .module_tree import ModuleTree
from .parameter import Parameter

EXTRA_STATE = "_extra_state"
_NEVER = ("Reached a code path in Module.{}() that should never be called. Please file an "
          "issue at https://github.com/pytorch/pytorch/issues/new?template=bug-report.yml to "
          "report this bug.")


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict`` returns: keys the module wanted but did not get, and the rest."""

    missing_keys: list[str]
    unexpected_keys: list[str]


class LoadResult(IncompatibleKeys):
    """The `IncompatibleKeys` ``load_state_dict`` returns, printed as PyTorch prints it:

        >>> LoadResult(["bias"], [])
        _IncompatibleKeys(missing_keys=['bias'], unexpected_keys=[])
        >>> LoadResult([], [])
        <All keys matched successfully>
    """

    __slots__ = ()

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return (f"_IncompatibleKeys(missing_keys={self.missing_keys!r}, "
                f"unexpected_keys={self.unexpected_keys!r})")

    __str__ = __repr__


class WrappedHook:
    """A load pre-hook registered with ``with_module=True`` gets the module first (held
    weakly, as PyTorch's ``_WrappedHook`` holds it)."""

    def __init__(self, hook: Callable, module: Any = None) -> None:
        self.hook = hook
        functools.update_wrapper(self, hook)
        self.with_module = module is not None
        if self.with_module:
            self.module = weakref.ref(module)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.with_module:
            module = self.module()
            if module is None:
                raise RuntimeError("You are trying to call the hook of a dead Module!")
            return self.hook(module, *args, **kwargs)
        return self.hook(*args, **kwargs)

    # Copied or pickled with its module held strongly, so a deepcopy of the module gets a
    # hook bound to the copy (a weak reference would still name the original).
    def __getstate__(self) -> dict:
        state = {"hook": self.hook, "with_module": self.with_module}
        if self.with_module:
            state["module"] = self.module()
        return state

    def __setstate__(self, state: dict) -> None:
        self.hook = state["hook"]
        self.with_module = state["with_module"]
        if self.with_module:
            if state["module"] is None:
                raise RuntimeError("You are trying to revive the hook of a dead Module!")
            self.module = weakref.ref(state["module"])


# The copies a running ``load_state_dict`` has checked but not yet made (per thread; a hook
# that loads another module gets its own list): `_load_from_state_dict` appends to it.
_pending = threading.local()


def _size(shape: tuple) -> str:
    """Shapes in messages, spelled like PyTorch's ``torch.Size([5, 10])``."""
    return f"torch.Size([{', '.join(str(d) for d in shape)}])"


def _load_one(module: Any, name: str, target: Tensor, value: Any, assign: bool) -> None:
    """Write ``value`` into ``module``'s parameter or buffer ``name`` (``target``); with
    ``assign``, make the checkpoint's own tensor the module's (same storage and dtype, a
    parameter keeping ``requires_grad``), as PyTorch's ``assign=True`` does."""
    if hasattr(target, "materialize"):  # an uninitialized (lazy) one takes the shape
        target.materialize(np.shape(value))
    elif assign:
        tensor = value if isinstance(value, Tensor) else Tensor(np.asarray(value))
        if isinstance(target, Parameter):
            tensor = tensor.requires_grad_(target.requires_grad) if \
                isinstance(tensor, Parameter) else Parameter(tensor, target.requires_grad)
        setattr(module, name, tensor)
        return
    np.copyto(target._data, np.asarray(value), casting="unsafe")
    target._bump_version()


def _key_errors(missing: list, unexpected: list) -> list[str]:
    errors = []
    if missing:
        errors.append("Missing key(s) in state_dict: {}. ".format(
            ", ".join(f'"{k}"' for k in missing)))
    if unexpected:
        errors.append("Unexpected key(s) in state_dict: {}. ".format(
            ", ".join(f'"{k}"' for k in unexpected)))
    return errors


class ModuleStateDict(ModuleTree):
    """``state_dict``, ``load_state_dict`` and their hooks for `Module`."""

    # The version each module writes in the state dict's ``_metadata`` (a layer whose saved
    # form changed raises it and reads it back in ``_load_from_state_dict``).
    _version: int = 1
    _state_dict_hooks: OrderedDict
    _state_dict_pre_hooks: OrderedDict
    _load_state_dict_pre_hooks: OrderedDict
    _load_state_dict_post_hooks: OrderedDict
    _non_persistent_buffers: set

    # --- hooks ---------------------------------------------------------------------------------
    def register_state_dict_pre_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(module, prefix, keep_vars) -> None``, run before this module's
        ``state_dict`` entries are gathered."""
        return add_hook(self._state_dict_pre_hooks, hook)

    def register_state_dict_post_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(module, state_dict, prefix, local_metadata) -> None``, run after this
        module's and its children's entries are in ``state_dict`` (edit it in place)."""
        hook._from_public_api = True  # type: ignore[attr-defined]
        return add_hook(self._state_dict_hooks, hook)

    def _register_state_dict_hook(self, hook: Callable) -> RemovableHandle:
        """The older form of `register_state_dict_post_hook`: a new dict the hook returns
        replaces the state dict when this module is the one ``state_dict`` was called on."""
        if getattr(hook, "_from_public_api", False):
            raise RuntimeError("Cannot register the same function as the state dict post hook "
                               "that was previously registered via "
                               "register_state_dict_post_hook")
        return add_hook(self._state_dict_hooks, hook)

    def _register_load_state_dict_pre_hook(self, hook: Callable, with_module: bool = False
                                           ) -> RemovableHandle:
        """``hook([module,] state_dict, prefix, local_metadata, strict, missing_keys,
        unexpected_keys, error_msgs) -> None`` before this module loads its entries (the
        module is passed first only ``with_module``)."""
        return add_hook(self._load_state_dict_pre_hooks,
                        WrappedHook(hook, self if with_module else None))

    def register_load_state_dict_pre_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(module, state_dict, prefix, local_metadata, strict, missing_keys,
        unexpected_keys, error_msgs) -> None`` before this module loads its entries from
        ``state_dict`` (which it may change: renaming old keys, converting values)."""
        return self._register_load_state_dict_pre_hook(hook, with_module=True)

    def register_load_state_dict_post_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(module, incompatible_keys) -> None`` after this module and its children
        loaded; editing ``incompatible_keys.missing_keys`` / ``unexpected_keys`` in place
        changes what ``strict=True`` complains about."""
        return add_hook(self._load_state_dict_post_hooks, hook)

    # --- extra state ---------------------------------------------------------------------------
    def get_extra_state(self) -> Any:
        """Extra (non-tensor) state for ``state_dict``, under ``_extra_state``: override it
        together with `set_extra_state`."""
        raise RuntimeError(_NEVER.format("get_extra_state"))

    def set_extra_state(self, state: Any) -> None:
        """Take back what `get_extra_state` gave, from a loaded state dict."""
        raise RuntimeError(_NEVER.format("set_extra_state"))

    # --- saving --------------------------------------------------------------------------------
    def _save_to_state_dict(self, destination: dict, prefix: str, keep_vars: bool) -> None:
        """This module's own parameters, persistent buffers and extra state (not its
        children's) into ``destination``."""
        for name, p in self._parameters.items():
            if p is not None:
                destination[prefix + name] = p if keep_vars else p.detach()
        for name, b in self._buffers.items():
            if b is not None and name not in self._non_persistent_buffers:
                destination[prefix + name] = b if keep_vars else b.detach()
        if type(self).get_extra_state is not ModuleStateDict.get_extra_state:
            destination[prefix + EXTRA_STATE] = self.get_extra_state()

    def state_dict(self, *args: Any, destination: dict | None = None, prefix: str = "",
                   keep_vars: bool = False) -> Any:
        """Parameters and persistent buffers by dotted name, as detached Tensors that share
        memory with the module (copy them to snapshot)."""
        if args:
            warnings.warn("Positional args are being deprecated, use kwargs instead. Refer to "
                          "https://pytorch.org/docs/main/generated/torch.nn.Module.html"
                          "#torch.nn.Module.state_dict for details.", FutureWarning,
                          stacklevel=2)
            destination = args[0] if destination is None else destination
            prefix = args[1] if len(args) > 1 and prefix == "" else prefix
            keep_vars = args[2] if len(args) > 2 and keep_vars is False else keep_vars
        if destination is None:
            destination = OrderedDict()
            destination._metadata = OrderedDict()  # type: ignore[attr-defined]
        local_metadata = {"version": self._version}
        if hasattr(destination, "_metadata"):
            destination._metadata[prefix[:-1]] = local_metadata
        for hook in self._state_dict_pre_hooks.values():
            hook(self, prefix, keep_vars)
        self._save_to_state_dict(destination, prefix, keep_vars)
        for name, module in self._modules.items():
            if module is not None:
                module.state_dict(destination=destination, prefix=prefix + name + ".",
                                  keep_vars=keep_vars)
        for hook in self._state_dict_hooks.values():
            result = hook(self, destination, prefix, local_metadata)
            if not getattr(hook, "_from_public_api", False):
                if result is not None:
                    destination = result
            elif result is not None:
                raise RuntimeError("state_dict post-hook must return None")
        return destination

    # --- loading -------------------------------------------------------------------------------
    def _load_from_state_dict(self, state_dict: dict, prefix: str, local_metadata: dict,
                              strict: bool, missing_keys: list, unexpected_keys: list,
                              error_msgs: list) -> None:
        """Load this module's own entries (``prefix + name``) from ``state_dict``, appending
        to the three lists what is missing, unexpected or wrong (PyTorch's signature: layers
        override it to convert old checkpoints)."""
        for hook in self._load_state_dict_pre_hooks.values():
            hook(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                 error_msgs)
        local_state = {k: v for k, v in self._parameters.items() if v is not None}
        local_state.update((k, v) for k, v in self._buffers.items()
                           if v is not None and k not in self._non_persistent_buffers)
        assign = local_metadata.get("assign_to_params_buffers", False)
        pending = getattr(_pending, "copies", None)
        for name, target in local_state.items():
            key = prefix + name
            if key not in state_dict:
                if strict:
                    missing_keys.append(key)
                continue
            value = state_dict[key]
            if not (isinstance(value, Tensor | np.ndarray) or hasattr(value, "__array__")):
                error_msgs.append(f'While copying the parameter named "{key}", expected '
                                  "torch.Tensor or Tensor-like object from checkpoint but "
                                  f"received {type(value)}")
                continue
            shape = np.shape(value)
            lazy = hasattr(target, "materialize")
            if not lazy and target._data.ndim == 0 and shape == (1,):
                value, shape = value[0], ()  # a 1-element vector PyTorch 0.3 saved for a scalar
            if not lazy and shape != target._data.shape:
                error_msgs.append(f"size mismatch for {key}: copying a param with shape "
                                  f"{_size(shape)} from checkpoint, the shape in current "
                                  f"model is {_size(target._data.shape)}.")
            elif pending is None:
                _load_one(self, name, target, value, assign)
            else:
                pending.append((self, name, target, value, assign))
        extra_key = prefix + EXTRA_STATE
        if type(self).set_extra_state is not ModuleStateDict.set_extra_state:
            if extra_key in state_dict:
                self.set_extra_state(state_dict[extra_key])
            elif strict:
                missing_keys.append(extra_key)
        elif strict and extra_key in state_dict:
            unexpected_keys.append(extra_key)
        if strict:
            for key in state_dict:
                if key.startswith(prefix) and key != extra_key:
                    head = key[len(prefix):].split(".", 1)
                    if (head[0] not in self._modules) if len(head) > 1 else \
                            (head[0] not in local_state):
                        unexpected_keys.append(key)

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True,
                        assign: bool = False) -> IncompatibleKeys:
        """Copy values from ``state_dict`` into the parameters and buffers, in place.

        Every key and shape is checked before anything is copied; the error text is
        PyTorch's."""
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        missing: list[str] = []
        unexpected: list[str] = []
        errors: list[str] = []
        metadata = getattr(state_dict, "_metadata", None)
        state_dict = OrderedDict(state_dict)  # a copy the pre-hooks may change
        if metadata is not None:
            state_dict._metadata = metadata  # type: ignore[attr-defined]
        post: list = []  # the modules with post-hooks, in the order PyTorch runs them

        def load(module: ModuleStateDict, local: dict, prefix: str = "") -> None:
            local_metadata = {} if metadata is None else metadata.get(prefix[:-1], {})
            if assign:
                local_metadata["assign_to_params_buffers"] = assign
            module._load_from_state_dict(local, prefix, local_metadata, True, missing,
                                         unexpected, errors)
            for name, child in module._modules.items():
                if child is not None:
                    sub = prefix + name + "."
                    load(child, {k: v for k, v in local.items() if k.startswith(sub)}, sub)
            if module._load_state_dict_post_hooks:
                post.append(module)

        outer = getattr(_pending, "copies", None)
        _pending.copies = copies = []
        try:
            load(self, state_dict)
        finally:
            _pending.copies = outer
        if errors or (strict and not post and (missing or unexpected)):
            self._raise_load_errors(strict, missing, unexpected, errors)
        for args in copies:
            _load_one(*args)
        keys = LoadResult(missing, unexpected)  # the hooks edit these very lists
        for module in post:
            for hook in module._load_state_dict_post_hooks.values():
                if hook(module, keys) is not None:
                    raise AssertionError(
                        "Hooks registered with ``register_load_state_dict_post_hook`` are not "
                        "expected to return new values, if incompatible_keys need to be "
                        "modified, it should be done inplace.")
        if strict and (missing or unexpected):
            self._raise_load_errors(strict, missing, unexpected, errors)
        return LoadResult(missing, unexpected)

    def _raise_load_errors(self, strict: bool, missing: list, unexpected: list,
                           errors: list) -> None:
        messages = (_key_errors(missing, unexpected) if strict else []) + errors
        raise RuntimeError("Error(s) in loading state_dict for {}:\n\t{}".format(
            type(self).__name__, "\n\t".join(messages)))
