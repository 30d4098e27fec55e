"""A Module's state: ``state_dict`` / ``load_state_dict`` and dtype conversion (``to``).

A mixin of `Module`. Loading writes into the existing parameter arrays (the static mode may
share them); only a dtype change replaces a parameter's storage, because it cannot happen in
place.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from ..tensor import Tensor

if TYPE_CHECKING:
    from .module import Module


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict`` returns: keys the module wanted but did not get, and the rest."""

    missing_keys: list[str]
    unexpected_keys: list[str]


class ModuleState:
    """``state_dict``, ``load_state_dict``, ``to``, ``float``, ``double`` for `Module`."""

    def state_dict(self, destination: dict | None = None, prefix: str = "",
                   keep_vars: bool = False) -> OrderedDict:
        """Parameters and persistent buffers by dotted name, as detached Tensors that share
        memory with the module (copy them to snapshot)."""
        out = OrderedDict() if destination is None else destination
        for mod_prefix, module in self.named_modules(prefix=prefix, remove_duplicate=False):
            dot = mod_prefix + ("." if mod_prefix else "")
            for name, p in module._parameters.items():
                if p is not None:
                    out[dot + name] = p if keep_vars else p.detach()
            for name, b in module._buffers.items():
                if b is not None and name not in module._non_persistent_buffers:
                    out[dot + name] = b if keep_vars else b.detach()
        return out

    def load_state_dict(self, state_dict: dict, strict: bool = True,
                        assign: bool = False) -> IncompatibleKeys:
        """Copy values from ``state_dict`` into the parameters and buffers, in place.

        Unlike PyTorch, every key and shape is checked before anything is copied: a failed load
        leaves the module untouched. The error text is PyTorch's.
        """
        own = self.state_dict(keep_vars=True)
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        errors = []
        if strict:
            if unexpected:
                errors.append("Unexpected key(s) in state_dict: {}. ".format(
                    ", ".join(f'"{k}"' for k in unexpected)))
            if missing:
                errors.insert(0, "Missing key(s) in state_dict: {}. ".format(
                    ", ".join(f'"{k}"' for k in missing)))
        pairs = []
        for key, target in own.items():
            if key not in state_dict:
                continue
            value = np.asarray(state_dict[key])
            if value.shape != target._data.shape:
                errors.append(f"size mismatch for {key}: copying a param with shape "
                              f"{_size(value.shape)} from checkpoint, the shape in current "
                              f"model is {_size(target._data.shape)}.")
            else:
                pairs.append((target, value))
        if errors:
            raise RuntimeError("Error(s) in loading state_dict for {}:\n\t{}".format(
                type(self).__name__, "\n\t".join(errors)))
        for target, value in pairs:
            if assign:
                target._data = value.copy()
            else:
                np.copyto(target._data, value, casting="unsafe")
            target._bump_version()
        return IncompatibleKeys(missing, unexpected)

    # --- dtype conversion ----------------------------------------------------------------------
    def _apply_arrays(self, convert: Callable[[np.ndarray], np.ndarray]) -> Module:
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

    def to(self, *args: Any, **kwargs: Any) -> Module:
        """``to(dtype)``, ``to("cpu")``, ``to(tensor)``: convert floating-point parameters and
        buffers to the dtype (integer buffers keep theirs, like PyTorch)."""
        dtype = kwargs.pop("dtype", None)
        for a in list(args) + list(kwargs.values()):
            if isinstance(a, Tensor):
                dtype = a.dtype
            elif isinstance(a, str) and a.split(":")[0] == "cpu":
                continue
            elif a is not None:
                dtype = np.dtype(a)
        if dtype is None:
            return self
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(f"nn.Module.to only accepts floating point dtypes, but got desired "
                            f"dtype={dtype}")
        return self._apply_arrays(
            lambda a: a.astype(dtype) if a.dtype.kind == "f" and a.dtype != dtype else a)

    def float(self) -> Module:
        return self.to(np.float32)

    def double(self) -> Module:
        return self.to(np.float64)

    def cpu(self) -> Module:
        return self


def _size(shape: tuple) -> str:
    """Shapes in messages, spelled like PyTorch's ``torch.Size([5, 10])``."""
    return f"eager.Size([{', '.join(str(d) for d in shape)}])"
