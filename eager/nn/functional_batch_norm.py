"""``batch_norm``: normalize each channel (dim 1) over the batch and every other dim.

Training (or no running statistics): the batch's mean and biased variance normalize, and
gradients flow through both, as in PyTorch. The running statistics, when given and training,
move towards the batch's: ``running = (1 - momentum) running + momentum batch``, the variance
unbiased (``n / (n - 1)``). That update writes into eager buffers in place, without gradient,
so it is refused inside a static graph (a graph has no in-place update of a captured tensor
from a Module's forward); eval mode - normalizing by the running statistics - traces.

    >>> import eager
    >>> x = eager.tensor([[1.0, 10.0], [3.0, 30.0]])
    >>> batch_norm(x, None, None, training=True)
    tensor([[-1.0000, -1.0000],
            [ 1.0000,  1.0000]])
"""

from __future__ import annotations

from typing import Any

import numpy as np

import shared_ops as ops

from ..tensor import Tensor


def _values(x: Any) -> np.ndarray:
    return x.detach().numpy() if isinstance(x, Tensor) else np.asarray(x)


def update_running_stats(running_mean: Any, running_var: Any, mean: Any, var: Any,
                         count: int, momentum: float) -> None:
    """Move the running statistics (eager buffers, written in place) towards the batch's
    ``mean`` and biased ``var`` over ``count`` values per channel."""
    if not all(isinstance(t, Tensor) for t in (running_mean, running_var)) or \
            not isinstance(mean, Tensor | np.ndarray):
        raise NotImplementedError(
            "batch_norm: training mode updates the running statistics in place, which a "
            "static graph cannot do; trace the module in eval mode (model.eval()), or build it "
            "with track_running_stats=False")
    mean_np, var_np = _values(mean).reshape(-1), _values(var).reshape(-1)
    unbiased = var_np * (count / (count - 1)) if count > 1 else var_np
    for buffer, batch in ((running_mean, mean_np), (running_var, unbiased)):
        old = buffer.numpy()
        buffer.copy_(((1 - momentum) * old + momentum * batch).astype(old.dtype))


def moments(input: Any, axes: tuple[int, ...]) -> tuple[Any, Any, Any]:
    """The mean over ``axes`` (kept), the input centered on it, and its biased variance."""
    mean = ops.mean(input, axis=axes, keepdims=True)
    centered = ops.sub(input, mean)
    return mean, centered, ops.mean(ops.mul(centered, centered), axis=axes, keepdims=True)


def scale_shift(centered: Any, var: Any, eps: float, weight: Any, bias: Any,
                shape: tuple[int, ...]) -> Any:
    """``centered / sqrt(var + eps)``, then ``* weight + bias`` (each optional, per channel,
    reshaped to ``shape`` to broadcast)."""
    y = ops.div(centered, ops.sqrt(ops.add(var, eps)))
    if weight is not None:
        y = ops.mul(y, ops.reshape(weight, shape=shape))
    if bias is not None:
        y = ops.add(y, ops.reshape(bias, shape=shape))
    return y


def batch_norm(input: Any, running_mean: Any, running_var: Any, weight: Any = None,
               bias: Any = None, training: bool = False, momentum: float = 0.1,
               eps: float = 1e-5) -> Any:
    """Normalize (N, C, ...) ``input`` per channel, then scale by ``weight`` and shift by
    ``bias`` (both (C,)); see the module docstring for the running statistics."""
    if input.ndim < 2:
        raise ValueError(f"batch_norm: expected an input with a channel dim (N, C, ...), got "
                         f"{input.ndim}D input")
    shape = (1, -1) + (1,) * (input.ndim - 2)
    axes = (0, *range(2, input.ndim))
    if training:
        count = 1
        for a in axes:
            count *= input.shape[a] if input.shape[a] is not None else 2
        if count == 1:
            raise ValueError("Expected more than 1 value per channel when training, got input "
                             f"size torch.Size({list(input.shape)})")
    if training or running_mean is None or running_var is None:
        mean, centered, var = moments(input, axes)
        if training and running_mean is not None and running_var is not None:
            update_running_stats(running_mean, running_var, mean, var, count, momentum)
    else:
        centered = ops.sub(input, ops.reshape(running_mean, shape=shape))
        var = ops.reshape(running_var, shape=shape)
    return scale_shift(centered, var, eps, weight, bias, shape)


__all__ = ["batch_norm", "moments", "scale_shift", "update_running_stats"]
