"""All ops, by family. Importing this package registers them."""

from . import (
    activation_grads,
    binning,
    bitwise,
    contraction,
    conv,
    cumulative,
    data_dependent,
    division,
    dynamic_slice,
    elementwise,
    elementwise_binary,
    elementwise_logic,
    elementwise_math,
    embeddings,
    fill,
    fused,
    fused_eager,
    fused_gelu_op,
    fused_layer_norm_op,
    index_update,
    indexing,
    linalg,
    linalg_decompositions,
    linalg_functions,
    linalg_orthogonal,
    losses,
    neural,
    norms,
    pool,
    recurrent,
    reductions,
    reorder,
    repetition,
    rounding,
    runtime_shape,
    sampling,
    scatter_gather,
    seeds,
    selection,
    shape,
    shape_join,
    softmax_kernels,
    softmax_loss,
    sorting,
    special_functions,
    triangular,
)
from . import gather as gather_family  # the name `gather` ends up naming scatter_gather's op
from .activation_grads import *  # noqa: F403
from .binning import *  # noqa: F403
from .bitwise import *  # noqa: F403
from .contraction import *  # noqa: F403
from .conv import *  # noqa: F403
from .cumulative import *  # noqa: F403
from .data_dependent import *  # noqa: F403
from .division import *  # noqa: F403
from .dynamic_slice import *  # noqa: F403
from .elementwise import *  # noqa: F403
from .elementwise_binary import *  # noqa: F403
from .elementwise_logic import *  # noqa: F403
from .elementwise_math import *  # noqa: F403
from .embeddings import *  # noqa: F403
from .fill import *  # noqa: F403
from .fused import *  # noqa: F403
from .fused_eager import *  # noqa: F403
from .fused_gelu_op import *  # noqa: F403
from .fused_layer_norm_op import *  # noqa: F403
from .gather import *  # noqa: F403
from .index_update import *  # noqa: F403
from .indexing import *  # noqa: F403
from .linalg import *  # noqa: F403
from .linalg_decompositions import *  # noqa: F403
from .linalg_functions import *  # noqa: F403
from .linalg_orthogonal import *  # noqa: F403
from .losses import *  # noqa: F403
from .neural import *  # noqa: F403
from .norms import *  # noqa: F403
from .pool import *  # noqa: F403
from .recurrent import *  # noqa: F403
from .reductions import *  # noqa: F403
from .reorder import *  # noqa: F403
from .repetition import *  # noqa: F403
from .rounding import *  # noqa: F403
from .runtime_shape import *  # noqa: F403
from .sampling import *  # noqa: F403
from .scatter_gather import *  # noqa: F403
from .seeds import *  # noqa: F403
from .selection import *  # noqa: F403
from .shape import *  # noqa: F403
from .shape_join import *  # noqa: F403
from .softmax_kernels import *  # noqa: F403
from .softmax_loss import *  # noqa: F403
from .sorting import *  # noqa: F403
from .special_functions import *  # noqa: F403
from .triangular import *  # noqa: F403

# Issue 16's layers and functions: exp2/expm1, 3-d convolution and pooling, grid sampling,
# CTC loss.
from . import conv3d as conv3d_family  # noqa: E402  isort: skip
from . import exp_variants, grid_sample as grid_sample_family, pool3d  # noqa: E402  isort: skip
from . import ctc  # noqa: E402  isort: skip
from .conv3d import *  # noqa: E402,F403  isort: skip
from .ctc import *  # noqa: E402,F403  isort: skip
from .exp_variants import *  # noqa: E402,F403  isort: skip
from .grid_sample import *  # noqa: E402,F403  isort: skip
from .pool3d import *  # noqa: E402,F403  isort: skip
from . import bessel, float_bits, running_extremes  # noqa: E402  isort: skip
from .bessel import *  # noqa: E402,F403  isort: skip
from .float_bits import *  # noqa: E402,F403  isort: skip
from .running_extremes import *  # noqa: E402,F403  isort: skip
from . import linalg_lu, linalg_solvers  # noqa: E402  isort: skip
from .linalg_lu import *  # noqa: E402,F403  isort: skip
from .linalg_solvers import *  # noqa: E402,F403  isort: skip

_FAMILIES = (activation_grads, binning, bitwise, contraction, conv, cumulative, data_dependent,
             division, dynamic_slice, elementwise, elementwise_binary, elementwise_logic,
             elementwise_math, embeddings, fill, fused, fused_eager, fused_gelu_op,
             fused_layer_norm_op, gather_family, index_update, indexing, linalg,
             linalg_decompositions, linalg_functions, linalg_orthogonal, losses, neural, norms,
             pool, recurrent,
             reductions, reorder, repetition, rounding, runtime_shape, sampling, scatter_gather,
             seeds, selection, shape, shape_join, softmax_kernels, softmax_loss, sorting,
             special_functions, triangular)
_FAMILIES += (conv3d_family, ctc, exp_variants, grid_sample_family, pool3d)
_FAMILIES += (bessel, float_bits, running_extremes)  # issue 16's second batch
_FAMILIES += (linalg_lu, linalg_solvers)
from . import bit_math, histograms, logit_op  # noqa: E402  isort: skip  (issue 16, batch 3)
from . import torch_composites  # noqa: E402  isort: skip
from .bit_math import *  # noqa: E402,F403  isort: skip
from .histograms import *  # noqa: E402,F403  isort: skip
from .logit_op import *  # noqa: E402,F403  isort: skip
from .torch_composites import *  # noqa: E402,F403  isort: skip
_FAMILIES += (bit_math, histograms, logit_op, torch_composites)
from . import bitcast, index_writes, scatter_reductions  # noqa: E402  isort: skip
from .bitcast import *  # noqa: E402,F403  isort: skip
from .index_writes import *  # noqa: E402,F403  isort: skip
from .scatter_reductions import *  # noqa: E402,F403  isort: skip
_FAMILIES += (bitcast, index_writes, scatter_reductions)  # view(dtype), scatter_reduce...
from . import trigonometric  # noqa: E402  isort: skip
from .trigonometric import *  # noqa: E402,F403  isort: skip
_FAMILIES += (trigonometric,)  # tan, asin, acos, atan and the hyperbolic functions
from . import incomplete_gamma  # noqa: E402  isort: skip
from .incomplete_gamma import *  # noqa: E402,F403  isort: skip
_FAMILIES += (incomplete_gamma,)  # igamma, igammac (the Gamma distribution's CDF)
from . import diagonal as diagonal_family  # noqa: E402  isort: skip
from .diagonal import *  # noqa: E402,F403  isort: skip
_FAMILIES += (diagonal_family,)  # diagonal (a writable view), diagonal_scatter
from . import matrix_products  # noqa: E402  isort: skip
from .matrix_products import *  # noqa: E402,F403  isort: skip
_FAMILIES += (matrix_products,)  # mm, bmm: matmul with torch's rank checks
from . import complex_eig, complex_ops, fft_ops  # noqa: E402  isort: skip  (issue 16: complex)
from .complex_eig import *  # noqa: E402,F403  isort: skip
from .complex_ops import *  # noqa: E402,F403  isort: skip
from .fft_ops import *  # noqa: E402,F403  isort: skip
_FAMILIES += (complex_eig, complex_ops, fft_ops)
from . import attention_weights_op  # noqa: E402  isort: skip  (issue 18: fused attention)
from .attention_weights_op import *  # noqa: E402,F403  isort: skip
_FAMILIES += (attention_weights_op,)
__all__ = sorted({name for family in _FAMILIES for name in family.__all__})
