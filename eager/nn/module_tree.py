"""Walking a Module tree: children, descendants, parameters and buffers, with dotted names,
and what is applied across the tree (``apply``, ``train``/``eval``, ``zero_grad``).

The first link of `Module`'s class chain (``ModuleTree <- ModuleState <- Module``), kept
apart because it only follows ``_modules``, ``_parameters`` and ``_buffers``: every iterator
yields in registration order, each object once (a shared layer or parameter is listed under
its first name), like PyTorch's. It knows nothing of the classes built on it: the modules it
walks are typed as `ModuleTree`, and the methods that return ``self`` as the caller's own type.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from ..tensor_autograd import zero_grads

if TYPE_CHECKING:
    from ..tensor import Tensor
    from .parameter import Parameter

# ``self``'s own class, for methods that return it (``model.eval()`` is still the model).
SelfModule = TypeVar("SelfModule", bound="ModuleTree")


def _objects(named: Iterator[tuple[str, Any]]) -> Iterator[Any]:
    """The objects of ``(name, object)`` pairs: ``parameters()`` from ``named_parameters()``,
    and likewise for modules, children and buffers."""
    for _, obj in named:
        yield obj


class ModuleTree:
    """``named_modules``, ``children``, ``parameters``, ``buffers``... for `Module`."""

    _modules: dict
    _parameters: dict
    _buffers: dict

    def named_modules(self, memo: set | None = None, prefix: str = "",
                      remove_duplicate: bool = True) -> Iterator[tuple[str, ModuleTree]]:
        """This module and every descendant, depth first, with dotted names (``""`` for self)."""
        if memo is None:
            memo = set()
        if remove_duplicate and self in memo:
            return
        if remove_duplicate:
            memo.add(self)
        yield prefix, self
        for name, module in self._modules.items():
            if module is None:
                continue
            sub = prefix + ("." if prefix else "") + name
            yield from module.named_modules(memo, sub, remove_duplicate)

    def modules(self) -> Iterator[ModuleTree]:
        """This module and every descendant, depth first (`named_modules` without names)."""
        return _objects(self.named_modules())

    def named_children(self) -> Iterator[tuple[str, ModuleTree]]:
        """Direct submodules with their attribute names (each module once)."""
        seen = set()
        for name, module in self._modules.items():
            if module is not None and module not in seen:
                seen.add(module)
                yield name, module

    def children(self) -> Iterator[ModuleTree]:
        """Direct submodules, each once."""
        return _objects(self.named_children())

    def _named_members(self, table: str, prefix: str, recurse: bool,
                       remove_duplicate: bool = True) -> Iterator[tuple[str, Any]]:
        seen: set[int] = set()
        modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) \
            if recurse else [(prefix, self)]
        for mod_prefix, module in modules:
            for name, value in getattr(module, table).items():
                if value is None or (remove_duplicate and id(value) in seen):
                    continue
                seen.add(id(value))
                yield mod_prefix + ("." if mod_prefix else "") + name, value

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True) -> Iterator[tuple[str, Parameter]]:
        """``("fc1.weight", Parameter)`` pairs; a shared parameter appears once."""
        return self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """Every parameter (of descendants too, unless not ``recurse``), each once."""
        return _objects(self.named_parameters(recurse=recurse))

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:
        """``("bn.running_mean", Tensor)`` pairs (None entries skipped)."""
        return self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """Every buffer (of descendants too, unless not ``recurse``), each once."""
        return _objects(self.named_buffers(recurse=recurse))

    def apply(self: SelfModule, fn: Callable[[ModuleTree], None]) -> SelfModule:
        """Call ``fn`` on every submodule (children first) and then on self."""
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    # --- lookup by dotted name ---------------------------------------------------------------
    def get_submodule(self, target: str) -> ModuleTree:
        """The submodule at the dotted path ``target`` ("" is self), with PyTorch's
        AttributeErrors for a missing name or one that is not a module."""
        module = self
        for item in target.split(".") if target else ():
            if not hasattr(module, item):
                raise AttributeError(f"{type(module).__name__} has no attribute `{item}`")
            module = getattr(module, item)
            if not isinstance(module, ModuleTree):
                raise AttributeError(f"`{item}` is not an nn.Module")
        return module

    def get_parameter(self, target: str) -> Parameter:
        """The parameter at the dotted path ``target`` (``"0.weight"``)."""
        return self._get_registered(target, "_parameters", "an nn.Parameter")

    def get_buffer(self, target: str) -> Tensor:
        """The buffer at the dotted path ``target`` (``"1.running_mean"``)."""
        return self._get_registered(target, "_buffers", "a buffer")

    def _get_registered(self, target: str, table: str, kind: str) -> Any:
        """The entry of the submodule's ``table`` (its parameters or buffers) at ``target``,
        with PyTorch's errors for a missing attribute or one of another ``kind``."""
        module_path, _, name = target.rpartition(".")
        module = self.get_submodule(module_path)
        if not hasattr(module, name):
            raise AttributeError(f"{type(module).__name__} has no attribute `{name}`")
        entries = getattr(module, table)
        if name not in entries:
            raise AttributeError(f"`{name}` is not {kind}")
        return entries[name]

    # --- modes and gradients -------------------------------------------------------------------
    def train(self: SelfModule, mode: bool = True) -> SelfModule:
        """Set training mode (Dropout drops; ``eval()`` turns it off) here and in every child."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self: SelfModule) -> SelfModule:
        return self.train(False)

    def requires_grad_(self: SelfModule, requires_grad: bool = True) -> SelfModule:
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients of every parameter (or zero them in place)."""
        zero_grads(self.parameters(), set_to_none)
