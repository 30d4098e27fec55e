"""Folding an eval-mode batch norm into the convolution or linear layer before it
(``torch.nn.utils.fusion``): one layer computing ``bn(layer(x))``.

For a batch norm with scale ``s = weight / sqrt(running_var + eps)`` per channel, the fused
layer's weight is the old one times ``s`` along its output channels and its bias
``(bias - running_mean) * s + bn.bias``.

    >>> import eager.nn as nn
    >>> fused = fuse_conv_bn_eval(nn.Conv2d(3, 4, 3).eval(), nn.BatchNorm2d(4).eval())
    >>> type(fused).__name__, fused.bias is not None
    ('Conv2d', True)
"""

from __future__ import annotations

import copy
from typing import Any, TypeVar

import eager

from ...tensor import Tensor
from ..parameter import Parameter

__all__ = ["fuse_conv_bn_eval", "fuse_conv_bn_weights", "fuse_linear_bn_eval",
           "fuse_linear_bn_weights"]

LayerT = TypeVar("LayerT")


def _bn_terms(bn_rm: Tensor, bn_rv: Tensor, bn_eps: float, bn_w: Tensor | None,
              bn_b: Tensor | None) -> tuple[Tensor, Tensor]:
    """The batch norm as ``x * scale + shift`` per channel (before the mean is taken off)."""
    scale = eager.rsqrt(bn_rv + bn_eps)
    if bn_w is not None:
        scale = scale * bn_w
    shift = eager.zeros_like(bn_rm) if bn_b is None else bn_b
    return scale, shift


def fuse_conv_bn_weights(conv_w: Tensor, conv_b: Tensor | None, bn_rm: Tensor, bn_rv: Tensor,
                         bn_eps: float, bn_w: Tensor | None, bn_b: Tensor | None,
                         transpose: bool = False) -> tuple[Parameter, Parameter]:
    """The fused convolution's ``(weight, bias)`` Parameters (the output channels are dim 1
    of a transposed convolution's weight, dim 0 otherwise)."""
    bias = eager.zeros_like(bn_rm) if conv_b is None else conv_b
    bias_dtype = conv_w.dtype if conv_b is None else conv_b.dtype
    scale, shift = _bn_terms(bn_rm, bn_rv, bn_eps, bn_w, bn_b)
    channel_shape = [1, -1] if transpose else [-1, 1]
    channel_shape += [1] * (conv_w.dim() - 2)
    weight = (conv_w * scale.reshape(channel_shape)).to(dtype=conv_w.dtype)
    fused_bias = ((bias - bn_rm) * scale + shift).to(dtype=bias_dtype)
    return (Parameter(weight.detach(), conv_w.requires_grad),
            Parameter(fused_bias.detach(), bias.requires_grad))


def fuse_linear_bn_weights(linear_w: Tensor, linear_b: Tensor | None, bn_rm: Tensor,
                           bn_rv: Tensor, bn_eps: float, bn_w: Tensor, bn_b: Tensor
                           ) -> tuple[Parameter, Parameter]:
    """The fused linear layer's ``(weight, bias)`` Parameters."""
    bias = eager.zeros_like(bn_rm) if linear_b is None else linear_b
    bias_dtype = linear_w.dtype if linear_b is None else linear_b.dtype
    scale, shift = _bn_terms(bn_rm, bn_rv, bn_eps, bn_w, bn_b)
    weight = linear_w * scale.unsqueeze(-1).to(dtype=linear_w.dtype)
    fused_bias = ((bias - bn_rm) * scale + shift).to(dtype=bias_dtype)
    return (Parameter(weight.detach(), linear_w.requires_grad),
            Parameter(fused_bias.detach(), bias.requires_grad))


def _check_eval(layer: Any, bn: Any) -> None:
    if layer.training or bn.training:
        raise AssertionError("Fusion only for eval!")
    if bn.running_mean is None or bn.running_var is None:
        raise AssertionError("bn.running_mean and bn.running_var must not be None")


def fuse_conv_bn_eval(conv: LayerT, bn: Any, transpose: bool = False) -> LayerT:
    """A copy of ``conv`` computing ``bn(conv(x))`` (both in eval mode)."""
    _check_eval(conv, bn)
    fused = copy.deepcopy(conv)
    fused.weight, fused.bias = fuse_conv_bn_weights(
        fused.weight, fused.bias, bn.running_mean, bn.running_var, bn.eps, bn.weight, bn.bias,
        transpose)
    return fused


def fuse_linear_bn_eval(linear: LayerT, bn: Any) -> LayerT:
    """A copy of ``linear`` computing ``bn(linear(x))`` (both in eval mode; the batch norm has
    ``linear.out_features`` features, or one)."""
    _check_eval(linear, bn)
    if linear.out_features != bn.num_features and bn.num_features != 1:
        raise AssertionError("To fuse, linear.out_features == bn.num_features or "
                             f"bn.num_features == 1, got linear.out_features="
                             f"{linear.out_features} and bn.num_features={bn.num_features}")
    fused = copy.deepcopy(linear)
    fused.weight, fused.bias = fuse_linear_bn_weights(
        fused.weight, fused.bias, bn.running_mean, bn.running_var, bn.eps, bn.weight, bn.bias)
    return fused
