"""A Module's state: the tables that hold it (`Registry`), dtype conversion (``to``), and
pickling/copying.

The third link of `Module`'s class chain (``ModuleTree <- ModuleStateDict <- ModuleState <-
Module``): state is read and written through the tree walk. Loading (`ModuleStateDict`)
writes into the existing parameter arrays (the static mode may share them); only a dtype
change replaces a parameter's storage, because it cannot happen in place.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from shared_ops.device import NO_CUDA, check_device, device
from shared_ops.device import TYPES as DEVICE_TYPES

from ..shared_memory import share_memory_
from ..tensor import Tensor
from ..types.dtypes import bfloat16
from ..types.legacy import type_spec_dtype
from .module_state_dict import IncompatibleKeys, LoadResult, ModuleStateDict
from .module_tree import SelfModule

__all__ = ["Registry", "ModuleState", "IncompatibleKeys", "LoadResult", "HOOK_TABLES"]

# --- the three tables, mirrored into the instance dict ---------------------------------------
# The tables a Module keeps its entries in, in the order ``__getattr__`` (and PyTorch's) looks
# a name up: when one name is in two tables, the attribute is the earlier table's entry.
TABLES = ("_parameters", "_modules", "_buffers")
# Every hook table a Module holds, in PyTorch's order (each starts empty; the
# *_with_kwargs / *_always_called ones flag hook ids of the table before them).
HOOK_TABLES = ("_backward_pre_hooks", "_backward_hooks", "_forward_hooks",
               "_forward_hooks_with_kwargs", "_forward_hooks_always_called",
               "_forward_pre_hooks", "_forward_pre_hooks_with_kwargs", "_state_dict_hooks",
               "_state_dict_pre_hooks", "_load_state_dict_pre_hooks",
               "_load_state_dict_post_hooks")
_MISSING = object()


def _lookup(attrs: dict, name: str) -> Any:
    """What ``module.name`` shows from the tables of the module whose ``__dict__`` is attrs."""
    for table in TABLES:
        entries = attrs.get(table)
        if entries is not None and name in entries:
            return entries[name]
    return _MISSING


class Registry(dict):
    """One of a Module's name -> value tables (``_parameters``, ``_modules``, ``_buffers``)
    that also mirrors each entry into its owner's ``__dict__``.

    Why: ``forward`` reads ``self.weight``, ``self.fc1``... on every call. Kept only in the
    tables, as PyTorch keeps them, each read first fails normal attribute lookup and then runs
    ``Module.__getattr__`` in Python; mirrored, a read is a plain instance-dict hit (a measured
    trick: docs/PERFORMANCE.md). The table stays the truth that everything else walks
    (``named_parameters``, ``state_dict``...); the mirror is a cache kept in step by overriding
    *every* method that changes the table, so writing straight into it works as it does in
    PyTorch:

        >>> from eager import nn
        >>> m = nn.Linear(2, 1)
        >>> m._parameters["scale"] = nn.Parameter(eager.ones(1))
        >>> m.scale is m._parameters["scale"]
        True
        >>> del m._parameters["scale"]; hasattr(m, "scale")
        False

    A name that normal lookup finds elsewhere first (a plain attribute such as ``training``,
    a method) is not mirrored, so it keeps winning, as in PyTorch. The owner is held weakly
    (no reference cycle: a dropped model is freed at once) and left out when pickling or
    copying: `ModuleState.__setstate__` binds fresh tables.
    """

    __slots__ = ("_owner",)

    def __init__(self, owner: object | None = None) -> None:
        super().__init__()
        self._owner = None if owner is None else weakref.ref(owner)

    def _change(self, names: Iterable[str], method: Callable, *args: Any) -> Any:
        """Run ``method(self, *args)``, a dict method that changes the entries ``names``, and
        bring the owner's attributes of those names in step."""
        owner = None if self._owner is None else self._owner()
        if owner is None:  # not bound yet (being unpickled or copied)
            return method(self, *args)
        attrs = owner.__dict__
        shadowed = {name for name in names if _shadowed(owner, attrs, name)}
        result = method(self, *args)
        for name in names:
            if name in shadowed:
                continue
            value = _lookup(attrs, name)
            if value is _MISSING:
                attrs.pop(name, None)
            else:
                attrs[name] = value
        return result

    def __setitem__(self, name: str, value: Any) -> None:
        self._change((name,), dict.__setitem__, name, value)

    def __delitem__(self, name: str) -> None:
        self._change((name,), dict.__delitem__, name)

    def pop(self, name: str, *default: Any) -> Any:
        if name not in self:  # nothing changes (Module._forget pops from every table)
            return dict.pop(self, name, *default)
        return self._change((name,), dict.pop, name)

    def popitem(self) -> tuple[str, Any]:
        last = next(reversed(self), None)  # the entry popitem takes
        return self._change(() if last is None else (last,), dict.popitem)

    def setdefault(self, name: str, default: Any = None) -> Any:
        return self._change((name,), dict.setdefault, name, default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        changes = dict(*args, **kwargs)
        self._change(changes, dict.update, changes)

    def __ior__(self, other: Any) -> Registry:
        self.update(other)
        return self

    def clear(self) -> None:
        self._change(list(self), dict.clear)

    def __reduce__(self) -> tuple:
        # Entries only: a weak reference cannot be pickled, and a copy must not write into the
        # original's attributes.
        return type(self), (), None, None, iter(self.items())


def _shadowed(owner: object, attrs: dict, name: str) -> bool:
    """Whether normal lookup finds ``owner.name`` somewhere other than the mirror: a class
    attribute, or an instance attribute that is not the tables' entry (or, for a key that is
    no attribute name at all, nowhere)."""
    if not isinstance(name, str):
        return True
    if name in attrs:
        return attrs[name] is not _lookup(attrs, name)
    return hasattr(type(owner), name)


class ModuleState(ModuleStateDict):
    """``to``, ``float``, ``double``, sharing and pickling for `Module` (``state_dict`` and
    ``load_state_dict`` come from `ModuleStateDict`)."""

    # --- dtype conversion ----------------------------------------------------------------------
    def _apply_arrays(self: SelfModule, convert: Callable[[np.ndarray], np.ndarray]
                      ) -> SelfModule:
        # The one place a parameter's storage is *replaced* rather than written into: a dtype
        # change cannot happen in place. Graphs that captured the old array keep the old one.
        for module in self.modules():
            for table in (module._parameters, module._buffers):
                for t in table.values():
                    if t is None:
                        continue
                    new = convert(t._data)
                    if new is not t._data:
                        t._data = new
                        t._bump_version()
                        if t.grad is not None:
                            t.grad._data = convert(t.grad._data)
        return self

    def to(self: SelfModule, *args: Any, **kwargs: Any) -> SelfModule:
        """``to(dtype)``, ``to("cpu")``, ``to(device)``, ``to(tensor)``: convert floating-point
        parameters and buffers to the dtype (integer buffers keep theirs, like PyTorch); a
        device other than the CPU raises as PyTorch without CUDA does."""
        dtype = kwargs.pop("dtype", None)
        check_device(kwargs.pop("device", None))
        kwargs.pop("non_blocking", None)
        for a in list(args) + list(kwargs.values()):
            if isinstance(a, Tensor):
                dtype = a.dtype
            elif isinstance(a, device) or type(a) is int or (
                    isinstance(a, str) and a.split(":")[0] in DEVICE_TYPES):
                check_device(a)
            elif a is not None and not isinstance(a, bool):
                dtype = np.dtype(a)
        if dtype is None:
            return self
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(f"nn.Module.to only accepts floating point dtypes, but got desired "
                            f"dtype={dtype}")
        return self._apply_arrays(
            lambda a: a.astype(dtype) if a.dtype.kind == "f" and a.dtype != dtype else a)

    def float(self: SelfModule) -> SelfModule:
        return self.to(np.float32)

    def double(self: SelfModule) -> SelfModule:
        return self.to(np.float64)

    def half(self: SelfModule) -> SelfModule:
        """Floating parameters and buffers to float16 (NumPy's half precision)."""
        return self.to(np.float16)

    def bfloat16(self: SelfModule) -> SelfModule:
        """Raises the TypeError of every bfloat16 conversion in eager (NumPy has no bfloat16),
        before anything is converted."""
        return self.to(bfloat16)

    def type(self: SelfModule, dst_type: Any) -> SelfModule:
        """Cast every parameter and buffer (integer buffers too, unlike ``to``) to
        ``dst_type``: a dtype, a legacy type (``eager.DoubleTensor``) or its name."""
        dtype = np.dtype(type_spec_dtype(dst_type))
        if dtype.kind not in "fc" and any(p.requires_grad for p in self.parameters()):
            raise RuntimeError("data set to a tensor that requires gradients must be floating "
                               "point or complex dtype")
        return self._apply_arrays(lambda a: a if a.dtype == dtype else a.astype(dtype))

    def share_memory(self: SelfModule) -> SelfModule:
        """Move every parameter and buffer into memory shared with the processes this one
        forks afterwards (``Tensor.share_memory_``): Hogwild training updates one model."""
        for module in self.modules():
            for table in (module._parameters, module._buffers):
                for t in table.values():
                    if t is not None:
                        share_memory_(t)
        return self

    def to_empty(self: SelfModule, *, device: Any, recurse: bool = True) -> SelfModule:
        """Give every parameter and buffer (and gradient) fresh uninitialized storage of the
        same shape and dtype, keeping the objects: the second step of building a model
        without memory, before ``load_state_dict`` or ``reset_parameters`` fill it."""
        check_device(device)
        for module in self.modules() if recurse else (self,):
            for table in (module._parameters, module._buffers):
                for t in table.values():
                    if t is None:
                        continue
                    t._data = np.empty_like(t._data)
                    t._bump_version()
                    if t.grad is not None:
                        t.grad._data = np.empty_like(t.grad._data)
        return self

    def cpu(self: SelfModule) -> SelfModule:
        return self

    def cuda(self: SelfModule, device: Any = None) -> SelfModule:
        """Raises ``AssertionError: Torch not compiled with CUDA enabled``, as PyTorch without
        CUDA does (a program may catch it)."""
        raise AssertionError(NO_CUDA)

    # --- pickling and copying (copy.deepcopy, pickle) ------------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        # The mirrored attributes are left out (the tables hold them): the same state as a
        # module without the mirror, rebuilt by __setstate__.
        attrs = self.__dict__
        return {name: value for name, value in attrs.items()
                if value is not _lookup(attrs, name)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Fresh tables bound to this module: the unpickled ones know no owner, and those of a
        # shallow copy still belong to the original.
        self.__dict__.update(state)
        # Modules pickled before some hook tables existed get them empty, as PyTorch's
        # __setstate__ adds the attributes newer versions introduced.
        for name in HOOK_TABLES:
            self.__dict__.setdefault(name, OrderedDict())
        self.__dict__.setdefault("_is_full_backward_hook", None)
        for table in TABLES:
            if table in state:
                fresh = Registry(self)
                object.__setattr__(self, table, fresh)
                fresh.update(state[table])

