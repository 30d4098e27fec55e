"""torch functions over the Tensor methods and torch-exact forms of shared ops whose NumPy-style
signature differs from torch's function of the same name.

``torch.cumsum(x, 1)`` is ``x.cumsum(1)``: those functions call the method from the one table of
PyTorch's Tensor methods (`shared_ops.tensor_api.METHODS`), so both forms agree in every mode
(on static graph values they stage). The others (``einsum``, ``index_add``, ``embedding``...)
translate torch's arguments to the shared op's.

    >>> import eager
    >>> eager.cumsum(eager.tensor([1, 2, 3]), 0)
    tensor([1, 3, 6])
"""

from __future__ import annotations

import inspect
import warnings

from shared_ops.tensor_api import METHODS
from shared_ops.torch_functions import (  # noqa: F401 (torch functions that are not methods)
    block_diag,
    bucketize,
    cartesian_prod,
    cdist,
    combinations,
    isin,
    searchsorted,
    std_mean,
    tensordot,
    var_mean,
)

from .functions_shape import op


# --- torch functions that are Tensor methods: torch.cumsum(x, 1) is x.cumsum(1) ------------
def _method_function(name: str):
    """``torch.<name>(input, ...)`` as ``input.<name>(...)``: the method from the one table of
    PyTorch's Tensor methods (`shared_ops.tensor_api`), so both forms agree in every mode."""
    method = METHODS[name]

    def fn(input, *args, **kwargs):  # noqa: A002
        return method(input, *args, **kwargs)

    signature = inspect.signature(method)
    params = list(signature.parameters.values())
    fn.__signature__ = signature.replace(parameters=[params[0].replace(name="input"),
                                                     *params[1:]])
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"``torch.{name}``: ``input.{name}(...)``.\n\n{method.__doc__ or ''}"
    return fn


for _name in ("argsort", "bitwise_and", "bitwise_not", "bitwise_or", "bitwise_xor", "cumprod",
              "cumsum", "floor_divide", "gather", "index_put", "index_select", "multinomial",
              "narrow", "nonzero", "norm", "prod", "remainder", "repeat_interleave", "roll",
              "scatter", "sort", "topk", "tril", "triu", "unique",
              # issue 16: functions real programs call
              "addcdiv", "addcmul", "addmm", "ceil", "clamp_max", "clamp_min", "diag",
              "diagonal", "dot", "fix", "floor", "frac", "index_add", "inner", "isclose", "ger",
              "lerp", "log10", "log2", "logical_and", "logical_not", "logical_or",
              "logical_xor", "masked_select", "movedim", "moveaxis", "outer", "round",
              "trunc", "adjoint",
              # linear algebra's older spellings (torch.linalg is eager.linalg)
              "det", "inverse", "logdet", "slogdet", "cholesky", "trace", "pinverse",
              "matrix_power", "svd", "qr", "cross", "mv",
              "matrix_exp", "cholesky_solve", "cholesky_inverse", "lu", "lu_solve",
              "triangular_solve",
              # issue 16's second batch (shared_ops/tensor_api_more.py)
              "kron", "rot90", "take", "index_fill", "baddbmm", "addbmm", "addmv", "addr",
              "cov", "corrcoef", "cummax", "cummin", "logcumsumexp", "nanmedian", "sinc",
              "copysign", "signbit", "sgn", "frexp", "ldexp", "erfc", "i0",
              # order statistics, counting and special math
              "median", "kthvalue", "mode", "quantile", "nanmean", "nansum", "count_nonzero",
              "aminmax", "histc", "bincount", "diff", "logit", "nan_to_num", "atan2", "hypot",
              "fmod", "logaddexp", "xlogy", "lgamma", "digamma", "tensor_split",
              "scatter_reduce", "index_reduce", "index_copy", "put",
              # the rest of the trigonometric and hyperbolic functions
              "tan", "sinh", "cosh", "asin", "acos", "atan", "asinh", "acosh", "atanh",
              "arcsin", "arccos", "arctan", "arcsinh", "arccosh", "arctanh", "arctan2",
              # the regularized incomplete gamma functions (torch.special.gammainc/gammaincc)
              "igamma", "igammac",
              # diagonal's scatter (its gradient) and select, a view
              "diagonal_scatter", "select"):
    globals()[_name] = _method_function(_name)


def cholesky(input, upper: bool = False):  # noqa: A002
    """``torch.cholesky``: ``input.cholesky(upper)``, with PyTorch's deprecation warning (the
    method does not warn, as in PyTorch)."""
    warnings.warn("torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be "
                  "removed in a future PyTorch release.\nL = torch.cholesky(A)\nshould be "
                  "replaced with\nL = torch.linalg.cholesky(A)\nand\nU = torch.cholesky(A, "
                  "upper=True)\nshould be replaced with\nU = torch.linalg.cholesky(A).mH\nThis "
                  "transform will produce equivalent results for all valid (symmetric positive "
                  "definite) inputs.", UserWarning, stacklevel=2)
    return METHODS["cholesky"](input, upper)


def flip(input, dims):  # noqa: A002
    """Reverse the order of elements along ``dims`` (a sequence of dims, as torch.flip)."""
    return METHODS["flip"](input, *dims)


def argwhere(input):  # noqa: A002
    """The int64 positions of the nonzero entries, one row each (torch.argwhere)."""
    return op("argwhere")(input)


def msort(input):  # noqa: A002
    """The values of ``input`` sorted ascending along dim 0 (torch.msort)."""
    return METHODS["sort"](input, dim=0)[0]


def einsum(equation, *operands):
    """``torch.einsum(equation, *operands)`` (or one list of operands), or torch's sublist
    form ``einsum(op1, [0, 1], op2, [1], [0])`` with integer labels in [0, 52) and ``...``."""
    if not isinstance(equation, str):
        equation, operands = _sublist_equation((equation, *operands))
    return op("einsum")(equation, *operands)


def _sublist_label(label) -> str:
    if label is Ellipsis:
        return "..."
    if isinstance(label, bool) or not isinstance(label, int) or not 0 <= label < 52:
        raise ValueError("einsum(): subscript in subscript list is not within the valid "
                         "range [0, 52)")
    return chr(ord("A") + label) if label < 26 else chr(ord("a") + label - 26)


def _sublist_equation(args: tuple) -> tuple[str, tuple]:
    """The equation and operands of einsum's sublist form (operand, sublist, ..., [output])."""
    operands, inputs = args[0::2], args[1::2]
    output = None
    if len(args) % 2:  # an odd count ends with the output sublist
        operands, output = operands[:-1], operands[-1]
    equation = ",".join("".join(_sublist_label(x) for x in labels) for labels in inputs)
    if output is not None:
        equation += "->" + "".join(_sublist_label(x) for x in output)
    return equation, operands


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1,  # noqa: A002
           groups: int = 1):
    """2-d convolution over an NCHW input with an OIHW weight (torch.conv2d)."""
    return op("conv2d")(input, weight, bias, stride=stride, padding=padding, dilation=dilation,
                        groups=groups)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps: float = 1e-05,  # noqa: A002
               cudnn_enable: bool = True):
    """Normalize over the trailing ``normalized_shape`` dims, then scale and shift
    (torch.layer_norm; ``cudnn_enable`` is accepted and ignored, as on CPU)."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    return op("layer_norm")(input, shape, weight, bias, eps=eps)


def embedding(weight, input, padding_idx: int = -1, scale_grad_by_freq: bool = False,  # noqa: A002
              sparse: bool = False):
    """Rows of ``weight`` at the integer ``input`` (torch.embedding: weight first; a
    non-negative ``padding_idx``'s row gets no gradient)."""
    if scale_grad_by_freq or sparse:
        raise NotImplementedError("embedding: scale_grad_by_freq and sparse are not supported")
    return op("embedding")(input, weight, padding_idx=None if padding_idx < 0 else padding_idx)


__all__ = [n for n in dir() if not n.startswith("_") and n not in (
    "annotations", "inspect", "warnings", "METHODS", "op")]
