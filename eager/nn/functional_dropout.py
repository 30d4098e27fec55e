"""Dropout in ``eager.nn.functional``: elementwise (`dropout`) and channel-wise
(`dropout1d`, `dropout2d`, `dropout3d`: one draw per channel zeroes a whole feature map).

On eager tensors the mask is PyTorch's, drawn from the global generator as PyTorch's CPU
kernel draws it (``empty_like(x).bernoulli_(1 - p).div_(1 - p)``: one 53-bit uniform double
per element in memory order, or per channel), so after the same ``manual_seed`` the same
elements drop, transposed and sliced inputs included.
NOTE: that is the kernel PyTorch runs on every non-Intel CPU. On Intel CPUs, PyTorch's MKL
builds draw ``bernoulli_`` from MKL's VSL (an MCG31 stream seeded by one 32-bit word of the
generator); eager does not reproduce that stream, so there the masks (and the generator's
position afterwards) differ from PyTorch's, with the same distribution.

Traced into a static graph, or while the compare harness shares seeds with one
(`shared_ops.using_seed_source`), the mask is the ``dropout_mask`` op's, a pure function of an
integer seed (`shared_ops.fresh_seed` asks the input's mode). Nothing is drawn when not
training, when ``p`` is 0 or 1, or for an empty input, as in PyTorch.

    >>> import eager
    >>> x = eager.ones(2, 3, 4)
    >>> y = dropout1d(x, 0.5).numpy()
    >>> bool(((y == 0) | (y == 2)).all()), bool((y[:, :, :1] == y).all())
    (True, True)
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

import shared_ops as ops

from ..random.generator import default_generator
from ..random.kernels import bernoulli_scalar
from ..random.layout import empty_like_layout, memory_view
from ..tensor_base import TensorBase
from ..utils._rng import draws_torch_stream, seed_from_global
from .functional_activation import maybe_inplace


def check_p(p: float) -> None:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def bernoulli_noise(x: TensorBase, shape: tuple[int, ...], keep: float) -> np.ndarray:
    """PyTorch's ``noise.bernoulli_(keep)`` in x's dtype (1 kept, 0 dropped), drawn from the
    global generator. Elementwise noise is ``empty_like(x)``: it keeps x's layout and is drawn
    in memory order (a transposed input's mask follows its base's rows); channel noise
    (``shape`` other than x's) is a fresh contiguous tensor."""
    drawn = bernoulli_scalar(default_generator.engine, int(np.prod(shape)), keep)
    dtype = x._data.dtype
    if shape == x._data.shape:
        noise = empty_like_layout(x._data)
        in_memory = memory_view(noise)
        in_memory[...] = drawn.reshape(in_memory.shape)
        return noise
    return drawn.astype(dtype).reshape(shape)


def _torch_noise(x: TensorBase, shape: tuple[int, ...], p: float) -> np.ndarray:
    """PyTorch's dropout noise: ``bernoulli_(1 - p)``, then ``div_(1 - p)``."""
    keep = 1.0 - p
    return bernoulli_noise(x, shape, keep) / x._data.dtype.type(keep)


def on_torch_stream(input: Any) -> bool:
    """Does a random layer draw from PyTorch's stream here (an eager float tensor, outside a
    shared seed source), rather than through a seeded op?"""
    return isinstance(input, TensorBase) and input._data.dtype.kind == "f" \
        and draws_torch_stream()


def _torch_stream_dropout(name: str, input: Any, p: float, inplace: bool,
                          shape: tuple[int, ...]) -> Any:
    """``input`` times PyTorch's noise of ``shape`` (one draw per element of it, broadcast
    over the rest); nothing drawn for an empty input, or for ``p`` 1 (PyTorch multiplies by
    zero)."""
    if input._data.size == 0:
        return input
    if p == 1.0:
        return maybe_inplace(input, inplace, name + "_", lambda x: ops.mul(x, 0.0))
    return maybe_inplace(input, inplace, name + "_",
                         lambda x: ops.mul(x, _torch_noise(x, shape, float(p))))


def dropout(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False) -> Any:
    """Zero each element with probability ``p`` and scale the rest by ``1 / (1 - p)``."""
    check_p(p)
    if not training or p == 0.0:
        return input
    if on_torch_stream(input):
        return _torch_stream_dropout("dropout", input, p, inplace, tuple(input.shape))
    return maybe_inplace(input, inplace, "dropout_", lambda x: ops.dropout(
        x, ops.fresh_seed(x, seed_from_global), p=float(p), training=True))


def _feature_dropout(name: str, input: Any, p: float, training: bool, inplace: bool,
                     lead: int) -> Any:
    """Zero whole channels: one keep-mask entry per index of the ``lead`` leading dims
    ((batch, channel), or channel alone when unbatched), broadcast over the others."""
    if not training or p == 0.0:
        return input
    if on_torch_stream(input):
        # One draw per (batch, channel), in that order, broadcast over the rest.
        shape = tuple(input.shape[:lead]) + (1,) * (input.ndim - lead)
        return _torch_stream_dropout(name, input, p, inplace, shape)

    def compute(x: Any) -> Any:
        # An (N, C, 1, ..., 1) slice gives the mask its shape (dropout_mask reads no values).
        probe = ops.getitem(x, (slice(None),) * lead + (slice(0, 1),) * (x.ndim - lead))
        mask = ops.dropout_mask(probe, ops.fresh_seed(x, seed_from_global), p=float(p))
        return ops.mul(x, mask)
    return maybe_inplace(input, inplace, name + "_", compute)


def _deprecated_dims(name: str, ndim: int, spatial: int) -> None:
    if ndim not in (spatial + 1, spatial + 2):
        warnings.warn(f"{name}: Received a {ndim}-D input to {name}, which is deprecated and "
                      "will result in an error in a future release. To retain the behavior and "
                      f"silence this warning, please use dropout instead. Note that {name} "
                      f"exists to provide channel-wise dropout on inputs with {spatial} spatial "
                      "dimensions, a channel dimension, and an optional batch dimension (i.e. "
                      f"{spatial + 1}D or {spatial + 2}D inputs).", stacklevel=3)


def dropout1d(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False) -> Any:
    """Channel-wise dropout of (N, C, L) or unbatched (C, L) inputs."""
    check_p(p)
    if input.ndim not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a {input.ndim}D "
                           "input. Note that dropout1d exists to provide channel-wise dropout "
                           "on inputs with 1 spatial dimension, a channel dimension, and an "
                           "optional batch dimension (i.e. 2D or 3D inputs).")
    return _feature_dropout("dropout1d", input, p, training, inplace, input.ndim - 1)


def dropout2d(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False) -> Any:
    """Channel-wise dropout of (N, C, H, W) inputs. A 3-D input is taken as (N, C, L), as
    PyTorch does (with its warning), not as an unbatched (C, H, W)."""
    check_p(p)
    _deprecated_dims("dropout2d", input.ndim, 2)
    if input.ndim == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that "
                      "channel-wise 1D dropout behavior is desired - input is interpreted as "
                      "shape (N, C, L), where C is the channel dim. This behavior will change "
                      "in a future release to interpret the input as one without a batch "
                      "dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise "
                      "dropout behavior, please switch to using dropout1d instead.",
                      stacklevel=2)
    return _feature_dropout("dropout2d", input, p, training, inplace, 2)


def dropout3d(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False) -> Any:
    """Channel-wise dropout of (N, C, D, H, W) or unbatched (C, D, H, W) inputs."""
    check_p(p)
    _deprecated_dims("dropout3d", input.ndim, 3)
    return _feature_dropout("dropout3d", input, p, training, inplace,
                            2 if input.ndim == 5 else 1)


__all__ = ["dropout", "dropout1d", "dropout2d", "dropout3d"]
