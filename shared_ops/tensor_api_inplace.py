"""PyTorch's in-place Tensor methods that are their out-of-place method written back:
``x.floor_()`` is ``x`` overwritten by ``x.floor()``. Each mode installs them its own way
(eager writes into storage and rebases the tape; a graph value is functionally updated), so
the list lives here once and both read it.

    >>> "abs_" in INPLACE and all(name[:-1] for name in INPLACE)
    True
"""

from __future__ import annotations

INPLACE: tuple[str, ...] = (
    "abs_", "absolute_", "floor_", "ceil_", "round_", "trunc_", "fix_", "frac_", "log_",
    "log2_", "log10_", "log1p_", "sqrt_", "rsqrt_", "sin_", "cos_", "tanh_", "sigmoid_",
    "sign_", "reciprocal_", "square_", "clamp_min_", "clamp_max_", "lerp_", "addcmul_",
    "addcdiv_", "addmm_", "index_add_", "logical_not_", "logical_and_", "logical_or_",
    "logical_xor_", "remainder_", "floor_divide_", "exp2_", "expm1_", "erfinv_",
    "fill_diagonal_", "index_fill_", "copysign_", "sgn_", "ldexp_", "erfc_", "polygamma_",
    "i0_", "index_put_", "masked_scatter_",
    "scatter_reduce_", "index_reduce_", "index_copy_", "put_",  # tensor_api_scatter
    "gcd_", "lcm_", "heaviside_", "nextafter_", "bitwise_left_shift_", "bitwise_right_shift_",
    "deg2rad_", "rad2deg_", "renorm_",  # torch_functions_math
    "erf_", "lgamma_", "digamma_", "hypot_", "fmod_", "xlogy_", "logit_", "sinc_",
    "nan_to_num_", "tril_", "triu_", "cumsum_", "cumprod_", "bitwise_and_", "bitwise_or_",
    "bitwise_xor_", "bitwise_not_", "negative_", "multiply_", "divide_", "subtract_",
    "true_divide_", "addmv_", "addr_", "baddbmm_", "addbmm_", "atan2_", "eq_", "ne_", "lt_",
    "le_", "gt_", "ge_", "greater_", "less_", "greater_equal_", "less_equal_", "not_equal_",
    "tan_", "sinh_", "cosh_", "asin_", "acos_", "atan_", "asinh_", "acosh_", "atanh_",
    "arcsin_", "arccos_", "arctan_", "arcsinh_", "arccosh_", "arctanh_", "arctan2_",
    "igamma_", "igammac_",
)
"""Each name's out-of-place form is the table method ``name[:-1]`` (same arguments)."""
