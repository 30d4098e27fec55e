"""Argument checks shared by the optimizers, with PyTorch's messages."""

from __future__ import annotations

from typing import Any

from ..tensor import Tensor


def typename(obj: Any) -> str:
    """``torch.typename``: what PyTorch's errors call the type of ``obj``."""
    if isinstance(obj, Tensor):
        return obj.type()
    module = getattr(obj, "__module__", "") or ""
    qualname = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if qualname is None:
        module, qualname = type(obj).__module__ or "", type(obj).__qualname__
    return qualname if module in ("", "builtins") else f"{module}.{qualname}"


def check_lr(lr: Any) -> None:
    """PyTorch's check of a learning rate that is a Tensor (the rest is per optimizer)."""
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")


def check_flags(foreach: bool | None, fused: bool | None, differentiable: bool) -> None:
    """The implementation switches PyTorch takes. ``foreach`` and ``fused`` choose among
    implementations that compute the same update, so they are kept in the group and have no
    effect here; a ``differentiable`` step (autograd through the update) is not available."""
    if differentiable:
        raise NotImplementedError("differentiable=True is not supported: eager optimizers "
                                  "update the parameters' arrays in place, outside autograd")
    if fused and foreach:
        raise RuntimeError("`fused` and `foreach` cannot be `True` together.")


def check_non_negative(*named: tuple[str, Any]) -> None:
    """PyTorch's ``Invalid <name>: <value>`` ValueError for the first value that is not
    ``>= 0`` (NaN included), in the order given."""
    for name, value in named:
        if not value >= 0.0:
            raise ValueError(f"Invalid {name}: {value}")


def check_adam_family(lr: Any, betas: tuple, eps: float, weight_decay: float) -> None:
    """The checks the Adam family shares, with PyTorch's messages (ints allowed in ``betas``:
    Adam adds its own refusal of those)."""
    check_lr(lr)
    check_non_negative(("learning rate", lr), ("epsilon value", eps))
    for i, beta in enumerate(betas[:2]):
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: {beta}")
    check_non_negative(("weight_decay value", weight_decay))
