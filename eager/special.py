"""``torch.special``: PyTorch's special-function namespace, over eager's functions and the
shared ops (``expit`` is ``sigmoid``, ``gammaln`` is ``lgamma``, ``psi`` is ``digamma``...),
with the functions only this namespace has (``xlog1py``, ``entr``, ``ndtr``, ``ndtri``,
``multigammaln``, ``i1``, ``i0e``, ``i1e``, ``erfcx``, ``log_ndtr``, ``zeta``).

    >>> import eager
    >>> eager.special.xlog1py(eager.tensor([0.0, 2.0]), eager.tensor([float("nan"), 0.5]))
    tensor([   nan, 0.8109])
"""

from __future__ import annotations

import math
from typing import Any

from shared_ops.tensor_api import METHODS

from . import functions as _f
from .functions_more import polygamma
from .functions_shape import op

expit = _f.sigmoid
erf = _f.erf
erfc = _f.erfc
gammaln = _f.lgamma
psi = digamma = _f.digamma
log1p = _f.log1p
expm1 = _f.expm1
exp2 = _f.exp2
sinc = _f.sinc
round = _f.round  # noqa: A001 -- torch.special's name
logsumexp = _f.logsumexp


i0 = _f.i0
gammainc = _f.igamma
gammaincc = _f.igammac


def i1(input: Any) -> Any:  # noqa: A002
    """The modified Bessel function of the first kind of order 1."""
    return op("i1")(input)


def i0e(input: Any) -> Any:  # noqa: A002
    """i0(x) exp(-|x|): the exponentially scaled modified Bessel function of order 0."""
    return op("i0e")(input)


def i1e(input: Any) -> Any:  # noqa: A002
    """i1(x) exp(-|x|): the exponentially scaled modified Bessel function of order 1."""
    return op("i1e")(input)


def erfcx(input: Any) -> Any:  # noqa: A002
    """exp(x^2) erfc(x), the scaled complementary error function (no underflow in the tail)."""
    return op("erfcx")(input)


def log_ndtr(input: Any) -> Any:  # noqa: A002
    """log of the standard normal CDF, accurate far into both tails."""
    return op("log_ndtr")(input)


def zeta(input: Any, other: Any) -> Any:  # noqa: A002
    """The Hurwitz zeta function: the sum over k >= 0 of (k + other)^-input."""
    return op("zeta")(input, other)


def erfinv(input: Any) -> Any:  # noqa: A002
    """The inverse error function: erf(erfinv(y)) = y on (-1, 1)."""
    return op("erfinv")(input)


def logit(input: Any, eps: float | None = None) -> Any:  # noqa: A002
    """log(p / (1 - p)), with p clamped to [eps, 1 - eps] when ``eps`` is given."""
    return METHODS["logit"](input, eps)


def xlogy(input: Any, other: Any) -> Any:  # noqa: A002
    """input * log(other), 0 where input is 0 (unless other is nan)."""
    return op("xlogy")(input, other)


def xlog1py(input: Any, other: Any) -> Any:  # noqa: A002
    """input * log1p(other), 0 where input is 0 (unless other is nan)."""
    return op("xlog1py")(input, other)


def entr(input: Any) -> Any:  # noqa: A002
    """-x log(x) for x > 0, 0 at 0, -inf below (nan stays nan); its gradient is PyTorch's
    -(1 + log x) everywhere (inf at 0)."""
    return op("entr")(input)


def ndtr(input: Any) -> Any:  # noqa: A002
    """The standard normal CDF, (1 + erf(x / sqrt 2)) / 2."""
    return op("mul")(op("add")(op("erf")(op("mul")(input, 1 / math.sqrt(2))), 1.0), 0.5)


def ndtri(input: Any) -> Any:  # noqa: A002
    """The standard normal quantile, sqrt 2 erfinv(2p - 1) (accurate in the lower tail)."""
    return op("ndtri")(input)


def multigammaln(input: Any, p: int) -> Any:  # noqa: A002
    """The log of the multivariate gamma function of dimension ``p`` (``torch.mvlgamma``)."""
    return METHODS["mvlgamma"](input, p)


def softmax(input: Any, dim: int, *, dtype: Any = None) -> Any:  # noqa: A002
    """exp(x) / sum(exp(x)) along ``dim`` (in ``dtype`` when given)."""
    return _f.softmax(input, dim, dtype)


def log_softmax(input: Any, dim: int, *, dtype: Any = None) -> Any:  # noqa: A002
    """x - logsumexp(x) along ``dim`` (in ``dtype`` when given)."""
    return _f.log_softmax(input, dim, dtype)


__all__ = ["expit", "erf", "erfc", "erfinv", "gammaln", "digamma", "psi", "polygamma",
           "log1p", "expm1", "exp2", "sinc", "round", "logsumexp", "logit", "xlogy",
           "xlog1py", "entr", "ndtr", "ndtri", "multigammaln", "softmax", "log_softmax", "i0",
           "i1", "gammainc", "gammaincc", "i0e", "i1e", "erfcx", "log_ndtr", "zeta"]

# torch's out= on the functions torch.special gives it (eager/out_argument.py)
from .out_argument import add_out_arguments as _add_out_arguments  # noqa: E402
from .out_argument_tables import SPECIAL_OUT as _SPECIAL_OUT  # noqa: E402

_add_out_arguments(globals(), _SPECIAL_OUT, "special_")
