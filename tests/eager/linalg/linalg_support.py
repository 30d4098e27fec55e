"""What the linalg tests share: float64 tensors of both libraries from NumPy data, and the
values and dtypes of a result (or of each part of a structured one) to compare."""

from __future__ import annotations

import eager


def eager_t(x):
    """An eager float64 tensor of ``x``."""
    return eager.tensor(x, dtype=eager.float64)


def torch_t(x):
    """A torch float64 tensor of ``x`` (torch imported on use: it is the oracle only)."""
    import torch

    return torch.tensor(x, dtype=torch.float64)


def values(x):
    """``(array, dtype name)`` of a tensor of either library; a list of them for a tuple."""
    if isinstance(x, tuple):
        return [values(v) for v in x]
    return (x.numpy() if isinstance(x, eager.Tensor) else x.detach().numpy(), str(x.dtype))
