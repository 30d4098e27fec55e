"""Every primitive op, by family: the whole set a mode or a compiler must be able to run.

Everything else in shared_ops is a *composite*, a Python function of these (`registry.
Composite`), with no kernel or gradient rule of its own; some composites also have a fused
*immediate* form that eager values take (a primitive of the ``fused`` families below), while
a staged graph keeps the decomposition for the compiler to see, fold and fuse.

tests/shared_ops/test_facets.py holds the registry to this list: a primitive that is
registered but not listed here (or listed and gone) fails it. Adding a primitive means adding
its name here, in its family (docs/ADDING_AN_OP.md).

    >>> len(PRIMITIVES["arithmetic"])
    8
"""

from __future__ import annotations

PRIMITIVES: dict[str, tuple[str, ...]] = {
    # Elementwise, broadcasting. Most are one NumPy ufunc (their ``ufunc`` facet).
    "arithmetic": ("add", "sub", "mul", "div", "neg", "cast", "floor_divide", "remainder",
                   "fmod"),
    "float math": ("exp", "log", "log1p", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu",
                   "abs", "sign", "pow", "erf", "exp2", "expm1", "erfinv", "atan2", "hypot",
                   "logaddexp", "lgamma", "polygamma", "erfc", "i0", "i1", "entr", "ndtri", "logit",
                   "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh",
                   "igamma", "igammac", "i0e", "i1e", "erfcx", "zeta"),
    "rounding": ("floor", "ceil", "trunc", "round"),
    # Complex numbers (shared_ops/ops/complex_ops.py) and the FFTs (fft_ops.py).
    "complex": ("conj", "real", "imag", "complex", "polar", "complex_abs", "angle", "view_as_real",
                "view_as_complex", "fft_c2c", "fft_r2c", "fft_c2r", "fft_resize",
                "linalg_eig_values", "linalg_eig_vectors"),
    "comparison and selection": ("eq", "ne", "lt", "le", "gt", "ge", "where", "maximum",
                                 "minimum", "clamp_tensor", "stop_gradient", "signbit",
                                 "frexp_exponent"),
    "bitwise": ("bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "bitwise_left_shift",
                "bitwise_right_shift", "gcd", "lcm", "nextafter", "heaviside"),
    # Gradients of activations, from the activation's output (PyTorch's threshold_backward...).
    "activation gradients": ("relu_grad", "sigmoid_grad", "tanh_grad"),
    # Reductions and scans over axes.
    "reductions": ("sum", "numel", "max", "min", "argmax", "argmin", "logsumexp", "prod",
                   "vector_norm"),
    "scans": ("cumsum", "cumprod", "logcumsumexp", "cumextreme_index"),
    # Shapes, views and layout.
    "shape": ("reshape", "transpose", "expand_dims", "squeeze", "broadcast_to", "sum_to",
              "view_dtype", "diagonal",
              "diagonal_scatter"),
    # Shapes computed when the step runs, from size templates over the inputs' dims.
    "runtime shapes": ("dim_size", "reshape_dims", "broadcast_dims", "arange_dims",
                       "slice_dims", "slice_dims_grad"),
    "joining and padding": ("concat", "concat_part", "stack", "pad"),
    "reordering": ("flip", "roll", "tril", "triu", "tile", "tile_grad"),
    "filling": ("full_like",),
    # Indexing, gathering and scattering.
    "indexing": ("index", "index_add", "index_set", "take_along_axis", "scatter_add",
                 "gather_elements", "scatter_elements", "scatter_reduce_elements", "one_hot",
                 "embedding", "embedding_grad"),
    "sorting and data-dependent sizes": ("argsort", "topk_indices", "argwhere",
                                         "unique_values", "unique_inverse", "unique_counts",
                                         "repeat_indices"),
    "linear algebra": ("matmul", "contract", "diagonal_mask"),
    # Counting and binning: no gradients, as in PyTorch.
    "counting and binning": ("histc", "bincount", "searchsorted", "mode_index",
                             "kthvalue_index", "histogramdd_counts"),
    # Matrix functions and decompositions over LAPACK, one primitive per output.
    "matrix decompositions": ("linalg_inv", "linalg_det", "linalg_logabsdet", "linalg_det_sign",
                              "linalg_solve", "linalg_cholesky", "linalg_eigvalsh",
                              "linalg_eigh_vectors", "linalg_svdvals", "linalg_svd_u",
                              "linalg_svd_vh", "linalg_qr_q", "linalg_qr_r",
                              "linalg_matrix_exp", "linalg_lu_factor", "linalg_lu_pivots",
                              "linalg_lu_info", "linalg_lu_permutation", "cholesky_solve",
                              "linalg_cholesky_ex", "linalg_cholesky_info", "linalg_solve_ex",
                              "linalg_inv_ex"),
    # Neural-network kernels NumPy has no single call for.
    "convolution and pooling": ("conv2d_core", "conv2d_input_grad", "conv2d_weight_grad",
                                "max_pool2d_core", "max_pool2d_grad", "max_pool2d_select",
                                "avg_pool2d_core", "avg_pool2d_grad", "winograd_tiles",
                                "winograd_tiles_grad", "winograd_output"),
    "softmax": ("softmax_shift",),
    "losses": ("nll_loss", "nll_loss_grad", "clamped_bce", "clamped_bce_grad", "ctc_loss_core",
               "ctc_loss_grad", "regression_loss"),
    "randomness": ("fold_seed", "dropout_mask", "multinomial_sample"),
    # Fused kernels: each computes a composite (or a composite's common case) as one kernel.
    # The notes say whose form each is and which mode runs it (see FUSED).
    "fused": ("affine", "affine_weight_grad", "fused_softmax", "fused_log_softmax",
              "softmax_cross_entropy", "softmax_cross_entropy_grad", "sigmoid_bce",
              "linear_act", "add_n", "rnn_sequence", "fused_gelu", "gelu_grad",
              "fused_layer_norm", "fused_attention_weights"),
}

# What each fused primitive stands for, and who calls it. "eager": a composite's immediate
# form, which eager values take; "compiler": what the static fusion passes rewrite a
# decomposition into. Where a fused primitive serves eager only, a staged graph never holds
# it unless a user calls it by name.
FUSED: dict[str, str] = {
    "affine": "linear's immediate form (x @ weight.T + bias; eager only: a staged linear "
              "keeps matmul + add, which the compiler fuses into linear_act)",
    "affine_weight_grad": "affine's weight gradient (eager only, with affine)",
    "fused_softmax": "softmax's immediate form (eager only)",
    "fused_log_softmax": "log_softmax's immediate form (eager); the compiler's fusion of a "
                         "lone log_softmax",
    "softmax_cross_entropy": "cross_entropy's immediate form for class-index targets (eager); "
                             "the compiler's fusion of log_softmax + nll_loss",
    "softmax_cross_entropy_grad": "softmax_cross_entropy's gradient (both modes)",
    "sigmoid_bce": "binary_cross_entropy_with_logits' immediate form without weights (eager); "
                   "the compiler's fusion of its decomposition",
    "linear_act": "the compiler's fusion of matmul + bias (+ relu) (compiler only)",
    "add_n": "the compiler's sum of many gradient contributions (compiler only)",
    "fused_gelu": "gelu's immediate form (eager only)",
    "gelu_grad": "fused_gelu's gradient (eager only, with fused_gelu)",
    "fused_layer_norm": "layer_norm's immediate form with a weight and a bias (eager only)",
    "fused_attention_weights": "attention_weights' immediate form (eager only: what scaled "
                               "dot-product attention without a mask or causal takes)",
    "rnn_sequence": "one recurrent layer's time loop (nn.RNN/GRU/LSTM without lengths, a known "
                    "number of steps; both modes)",
}


def listed() -> set[str]:
    """Every primitive named above."""
    return {name for family in PRIMITIVES.values() for name in family}
