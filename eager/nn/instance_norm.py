"""`InstanceNorm1d`, `InstanceNorm2d` and `instance_norm`: each sample's channels normalized on
their own over their positions (batch norm with a batch of one instance), then an optional
per-channel scale and shift; running statistics only with ``track_running_stats=True``, their
update the batch's average over instances, the variance unbiased (PyTorch's rule).

    >>> import eager
    >>> InstanceNorm2d(4, affine=True)
    InstanceNorm2d(4, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=False)
    >>> instance_norm(eager.tensor([[[1.0, 3.0]]])).tolist()
    [[[-0.9999949932098389, 0.9999949932098389]]]
"""

from __future__ import annotations

import warnings
from typing import Any

import shared_ops as ops

from ._factory import affine_parameters, param_dtype, reset_affine, running_stats
from .functional_batch_norm import moments, scale_shift, update_running_stats
from .module import Module


def instance_norm(input: Any, running_mean: Any = None, running_var: Any = None,
                  weight: Any = None, bias: Any = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Any:
    """Normalize (N, C, *) per sample and channel over the positions ``*``."""
    shape = tuple(input.shape)
    axes = tuple(range(2, len(shape)))
    per_channel = (1, shape[1]) + (1,) * len(axes)
    if use_input_stats:
        count = 1
        for a in axes:
            count *= shape[a]
        if count <= 1:
            raise ValueError(f"Expected more than 1 spatial element when training, got input "
                             f"size {input.shape!r}")
        mean, centered, var = moments(input, axes)
        if running_mean is not None and running_var is not None:
            update_running_stats(running_mean, running_var, ops.mean(mean, axis=0),
                                 ops.mean(var, axis=0), count, momentum)
    else:
        centered = ops.sub(input, ops.reshape(running_mean, shape=per_channel))
        var = ops.reshape(running_var, shape=per_channel)
    return scale_shift(centered, var, eps, weight, bias, per_channel)


class _InstanceNorm(Module):
    """``InstanceNormNd(num_features, eps=1e-5, momentum=0.1, affine=False,
    track_running_stats=False, device=None, dtype=None, *, bias=True)``."""

    spatial = 1

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1,
                 affine: bool = False, track_running_stats: bool = False, device: Any = None,
                 dtype: Any = None, *, bias: bool = True) -> None:
        super().__init__()
        dtype = param_dtype(dtype, device)
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        affine_parameters(self, (num_features,), dtype, affine, bias)
        running_stats(self, num_features, dtype, track_running_stats)
        reset_affine(self)

    def forward(self, input: Any) -> Any:
        dims = self.spatial + 1
        if input.ndim not in (dims, dims + 1):
            raise ValueError(f"expected {dims}D or {dims + 1}D input (got {input.ndim}D input)")
        channel_dim = input.ndim - dims
        if input.shape[channel_dim] != self.num_features:
            if self.affine:
                raise ValueError(f"expected input's size at dim={channel_dim} to match "
                                 f"num_features ({self.num_features}), but got: "
                                 f"{input.shape[channel_dim]}.")
            warnings.warn(f"input's size at dim={channel_dim} does not match num_features. You "
                          "can silence this warning by not passing in num_features, which is "
                          "not used because affine=False", stacklevel=2)
        unbatched = input.ndim == dims
        x = ops.expand_dims(input, axis=0) if unbatched else input
        # (num_batches_tracked stays 0: PyTorch's instance norm never counts batches.)
        use_input_stats = self.training or not self.track_running_stats
        out = instance_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                            use_input_stats, self.momentum, self.eps)
        return ops.squeeze(out, axis=0) if unbatched else out

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, bias={self.bias is not None}, "
                f"track_running_stats={self.track_running_stats}")


class InstanceNorm1d(_InstanceNorm):
    """Instance normalization of (N, C, L) or (C, L)."""


class InstanceNorm2d(_InstanceNorm):
    """Instance normalization of (N, C, H, W) or (C, H, W)."""

    spatial = 2


class InstanceNorm3d(_InstanceNorm):
    """Instance normalization of (N, C, D, H, W) or (C, D, H, W)."""

    spatial = 3
