"""Weight normalization, the hook form ``torch.nn.utils.weight_norm`` (deprecated there in
favour of ``parametrizations.weight_norm``, with the same FutureWarning here):
``weight = g * v / ||v||``, the norm over every dim but ``dim`` (all dims for ``dim=None``).

`weight_norm` replaces the parameter ``weight`` by ``weight_g`` (the norms) and ``weight_v``
(the direction) and recomputes ``weight`` before every forward, from a forward pre-hook;
`remove_weight_norm` folds it back into one parameter.

    >>> import warnings, eager.nn as nn
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     layer = weight_norm(nn.Linear(3, 2))
    >>> [name for name, _ in layer.named_parameters()], tuple(layer.weight_g.shape)
    (['bias', 'weight_g', 'weight_v'], (2, 1))
"""

from __future__ import annotations

import warnings
from typing import Any

import shared_ops as ops

from ..module import Module
from ..parameter import Parameter


def norm_except_dim(v: Any, pow: float = 2, dim: int = 0) -> Any:  # noqa: A002
    """The 2-norm of ``v`` over every dim but ``dim`` (kept, the others of size 1), or of all
    of ``v`` (0-d) for ``dim == -1``, as ``torch.norm_except_dim``."""
    if pow != 2:
        raise NotImplementedError("norm_except_dim: only pow=2 is supported")
    if dim == -1:
        return ops.sqrt(ops.sum(ops.mul(v, v)))
    dim = dim % v.ndim
    axes = tuple(a for a in range(v.ndim) if a != dim)
    return ops.sqrt(ops.sum(ops.mul(v, v), axis=axes, keepdims=True))


def weight_from_norm(v: Any, g: Any, dim: int) -> Any:
    """``v * (g / ||v||)``: the weight that direction ``v`` and norms ``g`` stand for."""
    return ops.mul(v, ops.div(g, norm_except_dim(v, 2, dim)))


class WeightNorm:
    """The forward pre-hook of `weight_norm`: recomputes ``module.<name>``."""

    def __init__(self, name: str, dim: int | None) -> None:
        self.name = name
        self.dim = -1 if dim is None else dim

    def compute_weight(self, module: Module) -> Any:
        return weight_from_norm(getattr(module, self.name + "_v"),
                                getattr(module, self.name + "_g"), self.dim)

    @staticmethod
    def apply(module: Module, name: str, dim: int | None) -> WeightNorm:
        if find_hook(module, WeightNorm, name) is not None:
            raise RuntimeError("Cannot register two weight_norm hooks on the same "
                               f"parameter {name}")
        fn = WeightNorm(name, dim)
        weight = getattr(module, name)
        if type(weight).__name__ == "UninitializedParameter":
            raise ValueError("The module passed to `WeightNorm` can't have uninitialized "
                             "parameters. Make sure to run the dummy forward before applying "
                             "weight normalization")
        del module._parameters[name]
        module.register_parameter(name + "_g",
                                  Parameter(norm_except_dim(weight.detach(), 2, fn.dim)))
        module.register_parameter(name + "_v", Parameter(weight.detach()))
        setattr(module, name, fn.compute_weight(module))
        module.register_forward_pre_hook(fn)
        return fn

    def remove(self, module: Module) -> None:
        weight = self.compute_weight(module)
        delattr(module, self.name)
        del module._parameters[self.name + "_g"]
        del module._parameters[self.name + "_v"]
        setattr(module, self.name, Parameter(weight.detach()))

    def __call__(self, module: Module, inputs: Any) -> None:
        setattr(module, self.name, self.compute_weight(module))


def weight_norm(module: Module, name: str = "weight", dim: int | None = 0) -> Module:
    """Split ``module.<name>`` into ``<name>_g`` (norms) and ``<name>_v`` (direction)."""
    warnings.warn("`torch.nn.utils.weight_norm` is deprecated in favor of "
                  "`torch.nn.utils.parametrizations.weight_norm`.", FutureWarning, stacklevel=2)
    WeightNorm.apply(module, name, dim)
    return module


def remove_weight_norm(module: Module, name: str = "weight") -> Module:
    """Fold ``<name>_g`` and ``<name>_v`` back into one parameter ``<name>``."""
    return remove_hook(module, WeightNorm, name, "weight_norm")


def find_hook(module: Module, kind: type, name: str) -> Any:
    """The key of ``module``'s forward pre-hook of type ``kind`` on ``name``, or None."""
    for key, hook in module._forward_pre_hooks.items():
        if isinstance(hook, kind) and hook.name == name:
            return key
    return None


def remove_hook(module: Module, kind: type, name: str, what: str) -> Module:
    """Undo the ``kind`` hook (a weight_norm or spectral_norm) on ``name``: its ``remove``
    folds the parameter back; a ValueError naming ``what`` when there is none."""
    key = find_hook(module, kind, name)
    if key is None:
        raise ValueError(f"{what} of '{name}' not found in {module}")
    module._forward_pre_hooks[key].remove(module)
    del module._forward_pre_hooks[key]
    return module


__all__ = ["weight_norm", "remove_weight_norm", "norm_except_dim", "WeightNorm", "find_hook",
           "remove_hook"]
