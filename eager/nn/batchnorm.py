"""`BatchNorm1d`, `BatchNorm2d`, `BatchNorm3d`: per-channel normalization over the batch,
with PyTorch's parameters, buffers (``running_mean``, ``running_var``,
``num_batches_tracked``), momentum rule and printing.

In training mode a batch is normalized by its own statistics (biased variance) and, with
``track_running_stats``, the running statistics move towards them (unbiased variance), by
``momentum`` or - ``momentum=None`` - as a cumulative average over the batches seen. In eval
mode the running statistics normalize (the batch's when there are none).

    >>> BatchNorm2d(16)
    BatchNorm2d(16, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)
"""

from __future__ import annotations

from typing import Any

from . import functional as F
from ._factory import affine_parameters, param_dtype, reset_affine, running_stats
from .module import Module


class _BatchNorm(Module):
    _dims: tuple[int, ...] = ()
    # State dicts of version 2 on hold num_batches_tracked; an older one (or a plain dict, no
    # _metadata) loads without it, keeping the module's count, as in PyTorch.
    _version = 2

    def _load_from_state_dict(self, state_dict: dict, prefix: str, local_metadata: dict,
                              *rest: Any) -> None:
        key = prefix + "num_batches_tracked"
        if local_metadata.get("version", 0) < 2 and self.track_running_stats and \
                key not in state_dict and self.num_batches_tracked is not None:
            state_dict[key] = self.num_batches_tracked
        super()._load_from_state_dict(state_dict, prefix, local_metadata, *rest)

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True, device: Any = None,
                 dtype: Any = None, *, bias: bool = True) -> None:
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        dtype = param_dtype(dtype, device)
        affine_parameters(self, (num_features,), dtype, affine, bias)
        running_stats(self, num_features, dtype, track_running_stats)
        self.reset_parameters()

    def reset_running_stats(self) -> None:
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self) -> None:
        self.reset_running_stats()
        reset_affine(self)

    def _check_input_dim(self, input: Any) -> None:
        if input.ndim not in self._dims:
            wanted = " or ".join(f"{d}D" for d in self._dims)
            raise ValueError(f"expected {wanted} input (got {input.ndim}D input)")

    def forward(self, input: Any) -> Any:
        self._check_input_dim(input)
        factor = 0.0 if self.momentum is None else self.momentum
        counting = self.training and self.track_running_stats and \
            self.num_batches_tracked is not None
        if counting and self.momentum is None:  # cumulative average over the batches seen
            factor = 1.0 / float(int(self.num_batches_tracked.item()) + 1)
        use_batch = self.training or (self.running_mean is None and self.running_var is None)
        keep = not self.training or self.track_running_stats
        out = F.batch_norm(input, self.running_mean if keep else None,
                           self.running_var if keep else None, self.weight, self.bias,
                           use_batch, factor, self.eps)
        if counting:  # after the update succeeded (a static graph refuses it)
            self.num_batches_tracked.add_(1)
        return out

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, bias={self.bias is not None}, "
                f"track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Over (N, C) or (N, C, L) inputs."""

    _dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Over (N, C, H, W) inputs."""

    _dims = (4,)


class BatchNorm3d(_BatchNorm):
    """Over (N, C, D, H, W) inputs."""

    _dims = (5,)
