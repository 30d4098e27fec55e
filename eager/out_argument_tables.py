"""The tables behind eager's ``out=`` keyword (`eager.out_argument`): which functions take it
(those of torch 2.13 whose Python binding lists an ``out`` for some overload), which make
``out``'s dtype, which want ``out``'s dtype to be the result's, and the names torch's
messages give them.

Messages are templates over the result's dtype ``r`` and ``out``'s dtype ``o``, each with
``aten`` (``Float``) and ``c`` (``float``) spellings, as ATen's checks print them.
"""

from __future__ import annotations

# Every eager function whose torch counterpart takes ``out=`` (torch/_C/_VariableFunctions.pyi
# and the Python-level ones: norm, tensordot, chain_matmul, lu).
OUT_FUNCTIONS = (
    "abs", "acos", "acosh", "add", "addbmm", "addcdiv", "addcmul", "addmm", "addmv", "addr",
    "all", "amax", "amin", "aminmax", "angle", "any", "arange", "arccos", "arccosh", "arcsin",
    "arcsinh", "arctan", "arctan2", "arctanh", "argmax", "argmin", "argsort", "asin", "asinh",
    "atan", "atan2", "atanh", "baddbmm", "bernoulli", "bitwise_and", "bitwise_left_shift",
    "bitwise_not", "bitwise_or", "bitwise_right_shift", "bitwise_xor", "bmm", "bucketize",
    "cat", "ceil", "chain_matmul", "cholesky", "cholesky_inverse", "cholesky_solve", "clamp",
    "clamp_max", "clamp_min", "clip", "column_stack", "complex", "concat", "concatenate",
    "conj_physical", "copysign", "cos", "cosh", "cross", "cummax", "cummin", "cumprod",
    "cumsum", "deg2rad", "diag", "diff", "digamma", "div", "divide", "dot", "dstack", "empty",
    "eq", "erf", "erfc", "erfinv", "exp", "exp2", "expm1", "eye", "fix", "float_power",
    "floor", "floor_divide", "fmod", "frac", "frexp", "full", "gather", "gcd", "ge", "ger",
    "greater", "gt", "heaviside", "histc", "histogram", "hstack", "hypot", "i0", "igamma",
    "igammac", "index_add", "index_copy", "index_reduce", "index_select", "inner", "inverse",
    "isin", "kron", "kthvalue", "lcm", "ldexp", "le", "lerp", "less", "lgamma", "linspace",
    "log", "log10", "log1p", "log2", "log_softmax", "logaddexp", "logaddexp2", "logcumsumexp",
    "logical_and", "logical_not", "logical_or", "logical_xor", "logit", "logspace",
    "logsumexp", "lt", "lu", "lu_solve", "lu_unpack", "masked_select", "matmul",
    "matrix_power", "max", "maximum", "mean", "median", "min", "minimum", "mm", "mode",
    "msort", "mul", "multinomial", "multiply", "mv", "mvlgamma", "nan_to_num", "nanmean",
    "nanmedian", "nanquantile", "nansum", "ne", "neg", "negative", "nextafter", "nonzero",
    "norm", "normal", "ones", "outer", "polar", "polygamma", "pow", "prod", "qr", "quantile",
    "rad2deg", "rand", "randint", "randn", "randperm", "remainder", "renorm", "round",
    "row_stack", "rsqrt", "scatter", "scatter_add", "scatter_reduce", "searchsorted", "sgn",
    "sigmoid", "sign", "signbit", "sin", "sinc", "sinh", "slogdet", "softmax", "sort", "sqrt",
    "square", "stack", "std", "sub", "subtract", "sum", "svd", "take", "take_along_dim", "tan",
    "tanh", "tensordot", "topk", "triangular_solve", "tril", "triu", "true_divide", "trunc",
    "var", "vstack", "where", "xlogy", "zeros",
)

# Creation functions: ``out``'s dtype is the result's unless ``dtype=`` names another.
FACTORIES = frozenset({"arange", "empty", "eye", "full", "linspace", "logspace", "ones", "rand",
                       "randint", "randn", "randperm", "zeros"})
# Reductions that compute in ``out``'s dtype when no ``dtype=`` is given (torch casts the input
# first: ``sum(x, 1, out=long_tensor)`` sums the truncated values).
COMPUTE_IN_OUT_DTYPE = frozenset({"sum", "prod", "cumsum", "cumprod"})
# Functions that write any dtype into ``out`` (bernoulli's draw of 0s and 1s; torch.lu, a
# Python function, copies each result into its out and returns them as a plain tuple).
ANY_DTYPE = frozenset({"bernoulli", "lu"})

# The name torch's errors give a function called by an alias.
ATEN_NAMES = {
    "multiply": "mul", "divide": "div", "true_divide": "div", "subtract": "sub",
    "negative": "neg", "clip": "clamp", "concat": "cat", "concatenate": "cat",
    "greater": "gt", "less": "lt", "fix": "trunc", "arccos": "acos", "arcsin": "asin",
    "arctan": "atan", "arccosh": "acosh", "arcsinh": "asinh", "arctanh": "atanh",
    "arctan2": "atan2",
}

_EXPECTED = "Expected out tensor to have dtype {r[c]}, but got {o[c]} instead"
_FOUND = "Found dtype {o[aten]} but expected {r[aten]}"
_SCAN = "expected scalar_type {r[aten]} but found {o[aten]}"
_HISTOGRAM = ("torch.histogram: input tensor and hist tensor should have the same dtype, but "
              "got input {r[c]} and hist {o[c]}")
_BOOL_ONLY = "{name} only supports bool tensor for result, got: {o[aten]}"
_EXTREMA = ("Expected the dtype for input and out to match, but got {r[aten]} for input's "
            "dtype and {o[aten]} for out's dtype.")

# Functions whose ``out`` must have the result's dtype (a structured kernel's check, not
# TensorIterator's cast), with the message torch raises otherwise. Functions with several
# results always want exact dtypes (the default message unless listed).
SAME_DTYPE = {
    **dict.fromkeys(("addmm", "addmv", "baddbmm", "bmm", "cross", "gather", "index_add",
                     "index_copy", "index_reduce", "inverse", "isin", "log_softmax", "lu_solve",
                     "matmul", "mm", "mv", "msort", "norm", "renorm", "scatter", "scatter_add",
                     "scatter_reduce", "softmax", "take_along_dim", "tril", "triu",
                     "diag_embed", "argmax", "argmin", "diag"), _EXPECTED),
    **dict.fromkeys(("complex", "polar"), "Expected object of scalar type {r[aten]} but got "
                                          "scalar type {o[aten]} for argument 'out'"),
    "nanquantile": "quantile() out tensor must be same dtype as the input tensor",
    **dict.fromkeys(("abs", "neg", "sign", "sgn", "bitwise_not", "clamp", "clamp_max",
                     "conj_physical", "clamp_min", "ceil", "floor", "round", "trunc", "frac"),
                    _FOUND),
    **dict.fromkeys(("cummax", "cummin", "logcumsumexp"), _SCAN),
    **dict.fromkeys(("histc", "histogram"), _HISTOGRAM),
    "all": _BOOL_ONLY.replace("{name}", "all"), "any": _BOOL_ONLY.replace("{name}", "any"),
    "amax": _EXTREMA, "amin": _EXTREMA,
    "addbmm": "self and mat2 must have the same dtype, but got {o[aten]} and {r[aten]}",
    "chain_matmul": "multi_dot(): expected out tensor to have dtype {r[c]} but got {o[c]}",
    "float_power": ("the output given to float_power has dtype {o[aten]} but the operation's "
                    "result requires dtype {r[aten]}"),
    "frexp": "torch.frexp() expects mantissa to have dtype {r[c]} but got {o[c]}",
    "dot": "result dtype {o[aten]} does not match input dtype {r[aten]}",
    "masked_select": "masked_select(): self and result must have the same scalar type",
    "heaviside": "heaviside is not yet implemented for tensors with different dtypes.",
    "index_select": "index_select(): self and result must have the same scalar type",
    "kthvalue": "output values must be of same type as input",
    "mode": "expected scalar type '{r[aten]}' but got '{o[aten]}' for values output",
    "multinomial": "multinomial expects Long tensor out, got: {o[aten]}",
    "nan_to_num": "nan_to_num: dtype of out: {o[aten]} should be same as input: {r[aten]}",
    "nonzero": "nonzero: Expected out tensor to have scalar type Long but got scalar type"
               "{o[aten]}",
    "quantile": "quantile() out tensor must be same dtype as the input tensor",
    "searchsorted": ("torch.searchsorted(): output tensor's dtype is wrong, it can only be "
                     "Int(int32) or Long(int64) depending on whether out_int32 flag is True, "
                     "but we got output tensor's dtype {o[aten]} and out_int32 flag is "
                     "{int32}"),
    "signbit": "signbit does not support non-boolean outputs.",
    "svd": "torch.svd: Expected out tensor to have dtype {r[aten]} but got {o[aten]} instead",
    "take": ("take(): self and out expected to have the same dtype, but got self.dtype = "
             "{r[aten]} and out.dtype = {o[aten]}"),
    **dict.fromkeys(("tensordot", "inner"), (
        "tensordot: Expected the output tensor to have dtype {r[aten]}, but got an output tensor "
        "with dtype {o[aten]}")),
    "where": "Expected out type to be {r[aten]} but got {o[aten]}",
}
SAME_DTYPE["bucketize"] = SAME_DTYPE["searchsorted"]
SAME_DTYPE.update({
    **{"linalg_" + name: _EXPECTED for name in (
        "cholesky", "cross", "det", "eigvalsh", "inv", "lu_solve", "matmul", "vector_norm",
        "solve", "svdvals")},
    "linalg_matrix_norm": "linalg.matrix_norm expected out tensor dtype {r[aten]} but got: "
                          "{o[aten]}",
    "linalg_norm": "linalg.norm expected out tensor dtype {r[aten]} but got: {o[aten]}",
    "linalg_vecdot": "linalg.vecdot: Expected out of dtype{r[aten]} but found {o[aten]}",
    "linalg_multi_dot": SAME_DTYPE["chain_matmul"],
    "linalg_solve_triangular": "expected scalar type {r[aten]} but found {o[aten]}",
    "special_round": _FOUND,
})

# Casting functions whose refusal reads otherwise than TensorIterator's "result type Float
# can't be cast to the desired output type Long": (exception type, message).
CAST_ERRORS = {
    **dict.fromkeys(("cat", "stack", "hstack", "vstack", "dstack", "row_stack", "column_stack"),
                    (TypeError, "torch.cat(): input types can't be cast to the desired output "
                                "type {o[aten]}")),
    "logsumexp": (RuntimeError, "logsumexp(): Expected floating point type for result tensor, "
                                "but got: {o[aten]}"),
    **{name: (RuntimeError, name + ": Expected result to be safely castable from {r[aten]} "
                                   "dtype, but got result with dtype {o[aten]}")
       for name in ("cholesky", "cholesky_inverse", "cholesky_solve", "matrix_power")},
    **{"linalg_" + name: (RuntimeError, prefix + ": Expected result to be safely castable from "
                                                 "{r[aten]} dtype, but got result with dtype "
                                                 "{o[aten]}")
       for name, prefix in (("cond", "linalg.cond"), ("pinv", "linalg.pinv"),
                            ("matrix_power", "matrix_power"), ("tensorinv", "tensorinv"),
                            ("tensorsolve", "tensorsolve"),
                            ("householder_product", "torch.linalg.householder_product"),
                            ("matrix_rank", "torch.linalg.matrix_rank"))},
    # torch.fft's checks name the transform that computes the call (fft2 is fftn's, ifftn too)
    **{"fft_" + name: (RuntimeError, base + " expects a complex output tensor, but got "
                                     "{o[aten]}")
       for name, base in (("fft", "fft"), ("ifft", "ifft"), ("rfft", "rfft"),
                          ("ihfft", "ihfft"), ("fft2", "fftn"), ("fftn", "fftn"),
                          ("ifft2", "fftn"), ("ifftn", "fftn"), ("rfft2", "rfftn"),
                          ("rfftn", "rfftn"), ("ihfft2", "ihfftn"), ("ihfftn", "ihfftn"))},
    **{"fft_" + name: (RuntimeError, base + " expects a floating point output tensor, but "
                                     "got {o[aten]}")
       for name, base in (("hfft", "hfft"), ("hfft2", "hfftn"), ("hfftn", "hfftn"),
                          ("irfft", "irfft"), ("irfft2", "irfftn"), ("irfftn", "irfftn"))},
    **{"fft_" + name: (RuntimeError, name + " requires a floating point or complex dtype")
       for name in ("fftfreq", "rfftfreq")},
    **{"linalg_" + name: (RuntimeError, f"torch.linalg.{name}: Expected eigenvalues to be "
                                         "safely castable from {r[aten]} dtype, but got "
                                         "eigenvalues with dtype {o[aten]}")
       for name in ("eig", "eigvals")},
    "special_logsumexp": (RuntimeError, "logsumexp(): Expected floating point type for result "
                                        "tensor, but got: {o[aten]}"),
}

# torch.linalg's, torch.special's and torch.fft's functions that take ``out=`` (their docs'
# keyword arguments), which eager.linalg, eager.special and eager.fft have; torch's messages
# name them ``linalg_<name>``, ``special_<name>``, ``fft_<name>``.
LINALG_OUT = (
    "cholesky", "cholesky_ex", "cond", "cross", "det", "eig", "eigh", "eigvals", "eigvalsh",
    "householder_product", "inv", "inv_ex", "lu", "lu_factor", "lu_factor_ex", "lu_solve",
    "matmul", "matrix_norm", "matrix_power", "matrix_rank", "multi_dot", "norm", "pinv", "qr",
    "slogdet", "solve", "solve_ex", "solve_triangular", "svd", "svdvals", "tensorinv",
    "tensorsolve", "vecdot", "vector_norm",
)
SPECIAL_OUT = (
    "digamma", "entr", "erf", "erfc", "erfinv", "exp2", "expit", "expm1", "gammainc",
    "gammaincc", "gammaln", "i0", "i1", "log1p", "logit", "logsumexp", "multigammaln", "ndtr",
    "ndtri", "polygamma", "psi", "round", "sinc", "xlog1py", "xlogy", "erfcx", "i0e", "i1e",
    "log_ndtr", "zeta",
)
FFT_OUT = (
    "fft", "fft2", "fftfreq", "fftn", "hfft", "hfft2", "hfftn", "ifft", "ifft2", "ifftn",
    "ihfft", "ihfft2", "ihfftn", "irfft", "irfft2", "irfftn", "rfft", "rfft2", "rfftfreq",
    "rfftn",
)
