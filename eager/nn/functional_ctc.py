"""The CTC loss in ``eager.nn.functional``: `ctc_loss`, with PyTorch's arguments, the
unbatched (T, C) form, lengths as tensors or sequences of ints, and PyTorch's errors; the work
is the shared op's (shared_ops/ops/ctc.py). The layer is `loss_ctc.CTCLoss`.

    >>> import eager
    >>> log_probs = eager.full((3, 1, 2), 0.5).log()
    >>> round(ctc_loss(log_probs, eager.tensor([[1]]), [3], [1], reduction="sum").item(), 4)
    0.2877
"""

from __future__ import annotations

from typing import Any

import numpy as np

import shared_ops as ops

from .option_checks import check_reduction


def _lengths(value: Any) -> Any:
    """Lengths as an int64 vector (a tensor is reshaped, a sequence or int converted)."""
    if hasattr(value, "ndim") and not isinstance(value, np.ndarray):
        return ops.reshape(ops.cast(value, dtype=np.dtype(np.int64)), shape=(-1,))
    return np.asarray(value, dtype=np.int64).reshape(-1)


def _values(value: Any) -> np.ndarray:
    return np.asarray(value.numpy() if hasattr(value, "numpy") else value).reshape(-1)


def ctc_loss(log_probs: Any, targets: Any, input_lengths: Any, target_lengths: Any,
             blank: int = 0, reduction: str = "mean", zero_infinity: bool = False) -> Any:
    """CTC loss of ``log_probs`` (T, N, C) (log-softmaxed; or unbatched (T, C)) against
    ``targets`` (N, S) padded or concatenated (sum(target_lengths),)."""
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    check_reduction("ctc_loss", reduction)
    unbatched = log_probs.ndim == 2
    if unbatched:
        log_probs = ops.expand_dims(log_probs, axis=1)
        targets = ops.expand_dims(targets, axis=0)
    t_max, _, classes = tuple(log_probs.shape)
    if not 0 <= blank < classes:
        raise RuntimeError("blank must be in label range")
    in_values, target_values = _values(input_lengths), _values(target_lengths)
    if in_values.size and in_values.max() > t_max:
        raise RuntimeError(f"Expected input_lengths to have value at most {t_max}, but got "
                           f"value {int(in_values.max())} (while checking arguments for "
                           "ctc_loss_allocate_outputs)")
    if targets.ndim == 2 and target_values.size and target_values.max() > targets.shape[1]:
        raise RuntimeError(f"Expected tensor to have size at least {int(target_values.max())} "
                           f"at dimension 1, but got size {targets.shape[1]} for argument #2 "
                           "'targets' (while checking arguments for ctc_loss_allocate_outputs)")
    loss = ops.ctc_loss(log_probs, ops.cast(targets, dtype=np.dtype(np.int64)),
                        _lengths(input_lengths), _lengths(target_lengths), blank=blank,
                        reduction=reduction, zero_infinity=zero_infinity)
    return ops.squeeze(loss, axis=0) if unbatched and reduction == "none" else loss


__all__ = ["ctc_loss"]
