"""`parameters_to_vector` and `vector_to_parameters`: all parameters as one flat vector and
back, in iteration order (PyTorch's layout).

    >>> import eager, eager.nn as nn
    >>> layer = nn.Linear(2, 1)
    >>> vector_to_parameters(eager.tensor([1.0, 2.0, 3.0]), layer.parameters())
    >>> layer.weight, layer.bias
    (Parameter containing:
    tensor([[1., 2.]], requires_grad=True), Parameter containing:
    tensor([3.], requires_grad=True))
"""

from __future__ import annotations

from collections.abc import Iterable

import shared_ops as ops

from ...autograd import no_grad
from ...tensor import Tensor


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """The parameters flattened and concatenated (differentiable, as in PyTorch)."""
    return ops.concat([ops.reshape(p, shape=(-1,)) for p in parameters], axis=0)


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Copy consecutive slices of ``vec`` into the parameters, each reshaped to fit (in place,
    without autograd: every holder of a parameter's storage sees the new values)."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    start = 0
    with no_grad():
        for p in parameters:
            n = p.numel()
            p.copy_(ops.reshape(ops.getitem(vec, slice(start, start + n)), shape=p.shape))
            start += n
