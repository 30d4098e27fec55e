"""`multi_margin_loss` and `multilabel_margin_loss` (hinge losses over classes) and
`local_response_norm` (each channel divided by the activity of its neighbouring channels) of
``eager.nn.functional``; their layers are in `margin_lrn`.

    >>> import eager
    >>> multi_margin_loss(eager.tensor([[0.1, 0.2, 0.4, 0.8]]), eager.tensor([3]))
    tensor(0.3250)
"""

from __future__ import annotations

from typing import Any

import numpy as np

import shared_ops as ops

from .functional_loss import reduce_loss
from .option_checks import check_reduction, legacy_reduction


def _labels(target: Any) -> np.ndarray:
    return np.asarray(target.detach().numpy() if hasattr(target, "detach") else target)


def multi_margin_loss(input: Any, target: Any, p: int = 1, margin: float = 1.0,
                      weight: Any = None, size_average: Any = None, reduce: Any = None,
                      reduction: str = "mean") -> Any:
    """``sum_{i != y} w[y] max(0, margin - x[y] + x[i])^p / C`` per sample of (N, C) or (C,)."""
    reduction = check_reduction("multi_margin_loss",
                                legacy_reduction(size_average, reduce, reduction))
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    x = input if input.ndim == 2 else ops.expand_dims(input, axis=0)
    classes = int(x.shape[1])
    labels = _labels(target).reshape(-1).astype(np.int64)
    one_hot = np.eye(classes, dtype=np.dtype(x.dtype))[labels]
    chosen = ops.sum(ops.mul(x, one_hot), axis=1, keepdims=True)
    hinge = ops.relu(ops.add(ops.sub(x, chosen), margin))
    if p == 2:
        hinge = ops.mul(hinge, hinge)
    if weight is not None:
        hinge = ops.mul(hinge, ops.expand_dims(weight[labels], axis=1))
    loss = ops.div(ops.sum(ops.mul(hinge, 1.0 - one_hot), axis=1), classes)
    if input.ndim != 2:
        loss = ops.squeeze(loss, axis=0)
    return reduce_loss(loss, reduction)


def multilabel_margin_loss(input: Any, target: Any, size_average: Any = None, reduce: Any = None,
                           reduction: str = "mean") -> Any:
    """``sum_{j in y, i not in y} max(0, 1 - (x[j] - x[i])) / C``; each row of ``target``
    lists the sample's classes, ended by the first -1."""
    reduction = check_reduction("multilabel_margin_loss",
                                legacy_reduction(size_average, reduce, reduction))
    x = input if input.ndim == 2 else ops.expand_dims(input, axis=0)
    rows, classes = (int(d) for d in x.shape)
    labels = _labels(target).reshape(rows, classes)
    pairs = np.zeros((rows, classes, classes), dtype=np.dtype(x.dtype))  # [n, j, i]
    for n in range(rows):
        listed = []
        for label in labels[n]:
            if label < 0:
                break
            listed.append(int(label))
        others = np.setdiff1d(np.arange(classes), listed)
        for j in listed:
            pairs[n, j, others] = 1.0
    # margin 1 - (x[j] - x[i]) for every (j, i), kept where j is listed and i is not.
    gaps = ops.sub(ops.add(ops.expand_dims(x, axis=1), 1.0), ops.expand_dims(x, axis=2))
    loss = ops.div(ops.sum(ops.mul(ops.relu(gaps), pairs), axis=(1, 2)), classes)
    if input.ndim != 2:
        loss = ops.squeeze(loss, axis=0)
    return reduce_loss(loss, reduction)


def local_response_norm(input: Any, size: int, alpha: float = 1e-4, beta: float = 0.75,
                        k: float = 1.0) -> Any:
    """``x / (k + alpha * mean of x^2 over size neighbouring channels) ** beta``, the window
    zero-padded (size // 2 before, (size - 1) // 2 after), over (N, C, *)."""
    if input.ndim < 3:
        raise ValueError(f"Expected 3D or higher dimensionality input (got {input.ndim} "
                         "dimensions)")
    channels = int(input.shape[1])
    square = ops.mul(input, input)
    widths = ((0, 0), (size // 2, (size - 1) // 2)) + ((0, 0),) * (input.ndim - 2)
    padded = ops.pad(square, pad_width=widths, value=0.0)
    index = [slice(None)] * input.ndim
    total = None
    for offset in range(size):
        index[1] = slice(offset, offset + channels)
        part = padded[tuple(index)]
        total = part if total is None else ops.add(total, part)
    scale = ops.pow(ops.add(ops.mul(ops.div(total, float(size)), alpha), k), beta)
    return ops.div(input, scale)


__all__ = ["multi_margin_loss", "multilabel_margin_loss", "local_response_norm"]
