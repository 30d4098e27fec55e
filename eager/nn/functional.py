"""``eager.nn.functional``: PyTorch's functional API as thin wrappers over shared_ops.

Each function maps PyTorch's argument names onto the op's (``dim`` -> ``axis``) and calls the
shared ops, so it runs on eager Tensors, on plain arrays, and - inside a traced Module - on
static graph nodes alike. The functions live by family in ``functional_*`` modules
(activations, dropout, losses, norms and distances, shape changes, pooling, attention) and
are all importable from here, as from ``torch.nn.functional``. PyTorch options still missing
raise ``NotImplementedError`` instead of being ignored.

    >>> import eager, eager.nn.functional as F
    >>> F.relu(eager.tensor([-1.0, 2.0]))
    tensor([0., 2.])
"""

from __future__ import annotations

from typing import Any

import shared_ops as ops

from .bilinear import bilinear
from .conv_transpose import conv_transpose1d, conv_transpose2d
from .embedding_bag import embedding_bag
from .fold import fold, unfold
from .functional_activation import (
    elu,
    gelu,
    hardtanh,
    leaky_relu,
    log_softmax,
    logsigmoid,
    mish,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    softmax,
    softplus,
    tanh,
)
from .functional_activation_more import (
    celu,
    celu_,
    elu_,
    glu,
    hardshrink,
    hardsigmoid,
    hardswish,
    hardtanh_,
    leaky_relu_,
    prelu,
    relu_,
    selu_,
    softmin,
    softshrink,
    softsign,
    tanhshrink,
    threshold,
    threshold_,
)
from .functional_attention import scaled_dot_product_attention
from .functional_batch_norm import batch_norm
from .functional_conv_padding import string_padding
from .functional_dropout import dropout, dropout1d, dropout2d, dropout3d
from .functional_embedding import embedding
from .functional_loss import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    huber_loss,
    kl_div,
    l1_loss,
    mse_loss,
    nll_loss,
    smooth_l1_loss,
)
from .functional_loss_more import (
    cosine_embedding_loss,
    gaussian_nll_loss,
    hinge_embedding_loss,
    margin_ranking_loss,
    multilabel_soft_margin_loss,
    poisson_nll_loss,
    soft_margin_loss,
    triplet_margin_loss,
)
from .functional_margin_lrn import (
    local_response_norm,
    multi_margin_loss,
    multilabel_margin_loss,
)
from .functional_mha import multi_head_attention_forward
from .functional_pool import avg_pool2d, max_pool2d
from .functional_pool1d import (
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_max_pool1d,
    adaptive_max_pool2d,
    avg_pool1d,
    conv1d,
    max_pool1d,
)
from .functional_shape import interpolate, one_hot, pad
from .functional_vector import cosine_similarity, normalize, pairwise_distance
from .group_norm import group_norm
from .instance_norm import instance_norm
from .rms_norm import rms_norm
from .upsampling import pixel_shuffle, pixel_unshuffle

__all__ = [
    "linear", "conv2d", "max_pool2d", "avg_pool2d", "embedding", "layer_norm", "batch_norm",
    "flatten", "dropout", "dropout1d", "dropout2d", "dropout3d", "relu", "relu6", "sigmoid",
    "tanh", "gelu", "silu", "softplus", "mish", "leaky_relu", "elu", "selu", "hardtanh",
    "logsigmoid", "softmax", "log_softmax", "mse_loss", "l1_loss", "smooth_l1_loss",
    "huber_loss", "kl_div", "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "cross_entropy", "nll_loss", "one_hot", "pad", "interpolate", "normalize",
    "cosine_similarity", "pairwise_distance", "scaled_dot_product_attention",
    "multi_head_attention_forward", "conv1d", "max_pool1d", "avg_pool1d",
    "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_max_pool1d", "adaptive_max_pool2d",
    "conv_transpose2d", "group_norm", "prelu", "softmin", "softsign", "hardswish", "hardsigmoid",
    "glu", "threshold", "celu", "softshrink", "hardshrink", "tanhshrink", "instance_norm",
    "pixel_shuffle", "pixel_unshuffle", "margin_ranking_loss", "hinge_embedding_loss",
    "soft_margin_loss", "multilabel_soft_margin_loss", "cosine_embedding_loss",
    "triplet_margin_loss", "poisson_nll_loss", "gaussian_nll_loss", "rms_norm", "embedding_bag",
    "unfold", "fold", "relu_", "elu_", "leaky_relu_", "hardtanh_", "threshold_", "celu_",
    "selu_", "bilinear", "conv_transpose1d", "max_pool1d_with_indices",
    "max_pool2d_with_indices", "multi_margin_loss", "multilabel_margin_loss",
    "local_response_norm",
]


def linear(input: Any, weight: Any, bias: Any = None) -> Any:
    """``input @ weight.T + bias`` with PyTorch's (out_features, in_features) weight."""
    return ops.linear(input, weight, bias)


def conv2d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: int = 1) -> Any:
    """2-d convolution, NCHW (or unbatched CHW) input and (out, in/groups, kH, kW) weight."""
    if getattr(input, "ndim", 4) == 3:  # unbatched, as PyTorch accepts
        return ops.squeeze(conv2d(ops.expand_dims(input, axis=0), weight, bias, stride,
                                  padding, dilation, groups), axis=0)
    input, padding = string_padding(input, weight, padding, stride, dilation)
    return ops.conv2d(input, weight, bias, stride=stride, padding=padding, dilation=dilation,
                      groups=groups)


def layer_norm(input: Any, normalized_shape: Any, weight: Any = None, bias: Any = None,
               eps: float = 1e-5) -> Any:
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    return ops.layer_norm(input, shape, weight, bias, eps=eps)


def flatten(input: Any, start_dim: int = 0, end_dim: int = -1) -> Any:
    """Merge dims ``start_dim..end_dim`` into one (the batch-preserving `nn.Flatten` uses 1)."""
    shape = tuple(input.shape)
    nd = len(shape)
    start, end = start_dim % max(nd, 1), end_dim % max(nd, 1)
    if start > end:
        raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
    if start == end:
        return input
    middle = shape[start:end + 1]
    known = None not in middle
    size = 1
    for d in middle:
        size *= d if d is not None else 1
    lead = tuple(d if d is not None else -1 for d in shape[:start])
    trail = tuple(d if d is not None else -1 for d in shape[end + 1:])
    new = lead + ((size,) if known else (-1,)) + trail
    if new.count(-1) > 1:
        raise ValueError(f"flatten: cannot flatten shape {shape} with more than one unknown dim")
    return ops.reshape(input, shape=new)


# Issue 16's functions: 3-d convolution and pooling.
from .functional_conv3d import (  # noqa: E402
    adaptive_avg_pool3d,
    adaptive_max_pool3d,
    avg_pool3d,
    conv3d,
    conv_transpose3d,
    max_pool3d,
)

__all__ += ["conv3d", "conv_transpose3d", "max_pool3d", "avg_pool3d", "adaptive_avg_pool3d",
            "adaptive_max_pool3d"]

# Issue 16's functions: spatial transformers.
from .functional_sampling import affine_grid, grid_sample  # noqa: E402

__all__ += ["affine_grid", "grid_sample"]

# Issue 16's functions: the CTC loss.
from .functional_ctc import ctc_loss  # noqa: E402

__all__ += ["ctc_loss"]

# The Gumbel-softmax relaxation.
from .functional_gumbel import gumbel_softmax  # noqa: E402

__all__ += ["gumbel_softmax"]

# Unpooling and the index forms of max pooling (issue 16, F18/F23).
from .functional_unpool import max_unpool1d, max_unpool2d, max_unpool3d  # noqa: E402
from .functional_with_indices import (  # noqa: E402
    adaptive_max_pool1d_with_indices,
    adaptive_max_pool2d_with_indices,
    adaptive_max_pool3d_with_indices,
    max_pool1d_with_indices,
    max_pool2d_with_indices,
    max_pool3d_with_indices,
)

__all__ += ["max_unpool1d", "max_unpool2d", "max_unpool3d", "max_pool3d_with_indices",
            "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices",
            "adaptive_max_pool3d_with_indices"]

# Self-normalizing networks' random layers (issue 16, F18).
from .functional_alpha_dropout import (  # noqa: E402
    alpha_dropout,
    feature_alpha_dropout,
    rrelu,
    rrelu_,
)

__all__ += ["alpha_dropout", "feature_alpha_dropout", "rrelu", "rrelu_"]

# Issue 16's pooling, distance, loss and shuffle functions (F18) and the deprecated aliases.
from .channel_shuffle import channel_shuffle  # noqa: E402
from .functional_loss_more import triplet_margin_with_distance_loss  # noqa: E402
from .functional_lp_pool import lp_pool1d, lp_pool2d, lp_pool3d  # noqa: E402
from .functional_upsample import upsample, upsample_bilinear, upsample_nearest  # noqa: E402
from .functional_vector import pdist  # noqa: E402

native_channel_shuffle = channel_shuffle  # PyTorch's kernel-level name for the same result

__all__ += ["channel_shuffle", "native_channel_shuffle", "triplet_margin_with_distance_loss",
            "lp_pool1d", "lp_pool2d", "lp_pool3d", "upsample", "upsample_nearest",
            "upsample_bilinear", "pdist"]

# Fractional max pooling (issue 16, F18).
from .functional_fractional_pool import (  # noqa: E402
    fractional_max_pool2d,
    fractional_max_pool2d_with_indices,
    fractional_max_pool3d,
    fractional_max_pool3d_with_indices,
)

__all__ += ["fractional_max_pool2d", "fractional_max_pool2d_with_indices",
            "fractional_max_pool3d", "fractional_max_pool3d_with_indices"]
