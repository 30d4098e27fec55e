"""``eager.nn.utils.prune``: PyTorch's pruning API. Each function prunes ``module.<name>``
in place and returns the module: the parameter moves to ``<name>_orig``, the mask is the buffer
``<name>_mask`` and ``<name>`` is recomputed as their product before every forward.

    >>> import eager, eager.nn as nn
    >>> from eager.nn.utils import prune
    >>> layer = prune.l1_unstructured(nn.Linear(4, 2), "weight", amount=0.5)
    >>> [n for n, _ in layer.named_parameters()], [n for n, _ in layer.named_buffers()]
    (['bias', 'weight_orig'], ['weight_mask'])
    >>> int((layer.weight == 0).sum())
    4

Which entries go: the smallest magnitudes (L1), the channels of smallest L-n norm (Ln), or
those drawn by eager's generator as torch draws them (Random), so one seed gives one mask.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import eager

from ...tensor import Tensor
from .convert_parameters import parameters_to_vector
from .prune_base import (
    BasePruningMethod,
    PruningContainer,
    check_amount,
    check_structured,
    units_to_prune,
)
from .topk_ties import topk_indices

__all__ = ["BasePruningMethod", "PruningContainer", "Identity", "RandomUnstructured",
           "L1Unstructured", "RandomStructured", "LnStructured", "CustomFromMask", "identity",
           "random_unstructured", "l1_unstructured", "random_structured", "ln_structured",
           "global_unstructured", "custom_from_mask", "remove", "is_pruned"]


def _topk(values: Tensor, k: int, largest: bool) -> Tensor:
    """The indices ``topk`` gives, tied values picked as PyTorch's CPU kernel picks them."""
    return eager.tensor(topk_indices(values.detach().numpy(), k, largest))


class Identity(BasePruningMethod):
    """Prunes nothing (the mask is all ones): gives a parameter the pruned form."""

    PRUNING_TYPE = "unstructured"

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        return default_mask

    @classmethod
    def apply(cls, module: Any, name: str) -> BasePruningMethod:  # type: ignore[override]
        return super().apply(module, name)


class _EntryPruning(BasePruningMethod):
    """Prunes ``amount`` single entries (a fraction or a count): those `_pruned` picks."""

    PRUNING_TYPE = "unstructured"

    def __init__(self, amount: int | float) -> None:
        check_amount(amount)
        self.amount = amount

    def _pruned(self, t: Tensor, k: int) -> Tensor:
        raise NotImplementedError

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        k = units_to_prune(self.amount, t.nelement())
        mask = default_mask.clone()
        if k:
            mask.view(-1)[self._pruned(t, k)] = 0
        return mask


class RandomUnstructured(_EntryPruning):
    """Prunes ``amount`` entries (a fraction or a count) chosen at random."""

    def _pruned(self, t: Tensor, k: int) -> Tensor:
        # The k largest of one uniform draw per entry: torch's draw, so the same seed prunes
        # the same entries.
        return eager.topk(eager.rand_like(t).view(-1), k=k).indices

    @classmethod
    def apply(cls, module: Any, name: str, amount: int | float  # type: ignore[override]
              ) -> BasePruningMethod:
        return super().apply(module, name, amount=amount)


class L1Unstructured(_EntryPruning):
    """Prunes the ``amount`` entries of smallest magnitude."""

    def _pruned(self, t: Tensor, k: int) -> Tensor:
        return _topk(eager.abs(t).view(-1), k, largest=False)

    @classmethod
    def apply(cls, module: Any, name: str, amount: int | float,  # type: ignore[override]
              importance_scores: Tensor | None = None) -> BasePruningMethod:
        return super().apply(module, name, amount=amount, importance_scores=importance_scores)


class _ChannelPruning(BasePruningMethod):
    """Prunes ``amount`` whole channels along ``dim``: all but those `_kept` picks."""

    PRUNING_TYPE = "structured"

    def __init__(self, amount: int | float, dim: int = -1) -> None:
        check_amount(amount)
        self.amount = amount
        self.dim = dim

    def _kept(self, t: Tensor, channels: int, k: int) -> Tensor:
        raise NotImplementedError

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        check_structured(t, self.dim)
        channels = t.shape[self.dim]
        k = units_to_prune(self.amount, channels)
        if not k:
            return default_mask
        mask = eager.zeros_like(t)
        index: list = [slice(None)] * t.dim()
        index[self.dim] = self._kept(t, channels, k)  # indices or a bool mask of channels
        mask[tuple(index)] = 1
        return mask * default_mask.to(dtype=mask.dtype)


class RandomStructured(_ChannelPruning):
    """Prunes ``amount`` whole channels along ``dim``, chosen at random."""

    def _kept(self, t: Tensor, channels: int, k: int) -> Tensor:
        draw = eager.rand(channels)
        return draw > eager.kthvalue(draw, k=k).values  # the k lowest draws go

    @classmethod
    def apply(cls, module: Any, name: str, amount: int | float,  # type: ignore[override]
              dim: int = -1) -> BasePruningMethod:
        return super().apply(module, name, amount=amount, dim=dim)


class LnStructured(_ChannelPruning):
    """Prunes the ``amount`` channels along ``dim`` of smallest L-``n`` norm."""

    def __init__(self, amount: int | float, n: int | float | str, dim: int = -1) -> None:
        super().__init__(amount, dim)
        self.n = n

    def _kept(self, t: Tensor, channels: int, k: int) -> Tensor:
        dim = self.dim % t.dim()
        norms = eager.norm(t, p=self.n, dim=[d for d in range(t.dim()) if d != dim])
        return _topk(norms, channels - k, largest=True)

    @classmethod
    def apply(cls, module: Any, name: str, amount: int | float,  # type: ignore[override]
              n: int | float | str, dim: int, importance_scores: Tensor | None = None
              ) -> BasePruningMethod:
        return super().apply(module, name, amount=amount, n=n, dim=dim,
                             importance_scores=importance_scores)


class CustomFromMask(BasePruningMethod):
    """Prunes where a given ``mask`` is 0."""

    PRUNING_TYPE = "global"

    def __init__(self, mask: Tensor) -> None:
        self.mask = mask

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        if default_mask.shape != self.mask.shape:
            raise AssertionError(f"default_mask shape {default_mask.shape} must match "
                                 f"self.mask shape {self.mask.shape}")
        return default_mask * self.mask.to(dtype=default_mask.dtype)

    @classmethod
    def apply(cls, module: Any, name: str, mask: Tensor  # type: ignore[override]
              ) -> BasePruningMethod:
        return super().apply(module, name, mask=mask)


# --- the functions -------------------------------------------------------------------------------
def identity(module: Any, name: str) -> Any:
    """Give ``module.<name>`` the pruned form without pruning anything."""
    Identity.apply(module, name)
    return module


def random_unstructured(module: Any, name: str, amount: int | float) -> Any:
    """Prune ``amount`` random entries of ``module.<name>``."""
    RandomUnstructured.apply(module, name, amount)
    return module


def l1_unstructured(module: Any, name: str, amount: int | float,
                    importance_scores: Tensor | None = None) -> Any:
    """Prune the ``amount`` entries of ``module.<name>`` of smallest magnitude (or of
    smallest ``importance_scores``)."""
    L1Unstructured.apply(module, name, amount=amount, importance_scores=importance_scores)
    return module


def random_structured(module: Any, name: str, amount: int | float, dim: int) -> Any:
    """Prune ``amount`` random channels of ``module.<name>`` along ``dim``."""
    RandomStructured.apply(module, name, amount, dim)
    return module


def ln_structured(module: Any, name: str, amount: int | float, n: int | float | str, dim: int,
                  importance_scores: Tensor | None = None) -> Any:
    """Prune the ``amount`` channels of ``module.<name>`` along ``dim`` of smallest L-``n``
    norm."""
    LnStructured.apply(module, name, amount, n, dim, importance_scores=importance_scores)
    return module


def custom_from_mask(module: Any, name: str, mask: Tensor) -> Any:
    """Prune ``module.<name>`` where ``mask`` is 0."""
    CustomFromMask.apply(module, name, mask)
    return module


def global_unstructured(parameters: Iterable, pruning_method: type,
                        importance_scores: dict | None = None, **kwargs: Any) -> None:
    """Prune the ``(module, name)`` pairs of ``parameters`` together: one unstructured
    ``pruning_method(**kwargs)`` decides over all their entries at once."""
    if not isinstance(parameters, Iterable):
        raise TypeError("global_unstructured(): parameters is not an Iterable")
    parameters = list(parameters)
    importance_scores = {} if importance_scores is None else importance_scores
    if not isinstance(importance_scores, dict):
        raise TypeError("global_unstructured(): importance_scores must be of type dict")
    scores = parameters_to_vector([importance_scores.get((m, n), getattr(m, n))
                                   for m, n in parameters])
    # The masks so far (ones for a parameter not pruned yet): pruned entries stay pruned.
    masks = parameters_to_vector([getattr(m, n + "_mask") if hasattr(m, n + "_mask")
                                  else eager.ones_like(getattr(m, n)) for m, n in parameters])
    method = pruning_method(**kwargs)
    if method.PRUNING_TYPE != "unstructured":
        raise TypeError('Only "unstructured" PRUNING_TYPE supported for the `pruning_method`. '
                        f"Found method {pruning_method} of type {method.PRUNING_TYPE}")
    method._tensor_name = "temp"
    container = PruningContainer()
    container._tensor_name = "temp"
    container.add_pruning_method(method)
    final = container.compute_mask(scores, masks)
    start = 0
    for module, name in parameters:
        param = getattr(module, name)
        custom_from_mask(module, name, mask=final[start:start + param.numel()].view_as(param))
        start += param.numel()


def remove(module: Any, name: str) -> Any:
    """Make the pruning of ``module.<name>`` permanent (a plain parameter again)."""
    for key, hook in module._forward_pre_hooks.items():
        if isinstance(hook, BasePruningMethod) and hook._tensor_name == name:
            hook.remove(module)
            del module._forward_pre_hooks[key]
            return module
    raise ValueError(f"Parameter '{name}' of module {module} has to be pruned before pruning "
                     "can be removed")


def is_pruned(module: Any) -> bool:
    """Whether any submodule of ``module`` has a pruning hook."""
    return any(isinstance(hook, BasePruningMethod)
               for sub in module.modules() for hook in sub._forward_pre_hooks.values())
