"""Tensor math methods: the `eager.functions` with self first (``x.sum(1)``, ``x.exp()``).

Most are the very functions of `eager.functions`, bound as methods by the class body below
(``exp = F.exp``: ``x.exp()`` is ``F.exp(x)``); the rest adapt an argument order or a
PyTorch spelling (``view``, ``where``, ``T``).

    >>> import eager
    >>> eager.tensor([[1.0, 2.0], [3.0, 4.0]]).sum(1)
    tensor([3., 7.])
"""

from __future__ import annotations

from . import functions as F
from .functions import op


class MathMethods:
    """Mixed into `eager.Tensor`."""

    __slots__ = ()

    def sum(self, dim=None, keepdim=False, *, dtype=None):
        return F.sum(self, dim, keepdim, dtype=dtype)

    def mean(self, dim=None, keepdim=False, *, dtype=None):
        return F.mean(self, dim, keepdim, dtype=dtype)

    def max(self, dim=None, keepdim=False):
        return F.max(self, dim, keepdim)

    def min(self, dim=None, keepdim=False):
        return F.min(self, dim, keepdim)

    def view(self, *shape):
        return F.reshape(self, *shape)

    def view_as(self, other):
        return F.reshape(self, tuple(other.shape))

    def reshape_as(self, other):
        return F.reshape(self, tuple(other.shape))

    def expand_as(self, other):
        return F.expand(self, tuple(other.shape))

    def where(self, condition, other):
        return F.where(condition, self, other)

    def type_as(self, other):
        return self.to(other.dtype)

    def is_floating_point(self) -> bool:
        return self._data.dtype.kind == "f"

    @property
    def T(self):  # noqa: N802 (PyTorch's name)
        return op("transpose")(self)

    @property
    def mT(self):  # noqa: N802
        return F.transpose(self, -2, -1)

    # --- the functions themselves, self first ---------------------------------------------
    # shapes
    reshape, flatten, transpose, permute, t = F.reshape, F.flatten, F.transpose, F.permute, F.t
    unsqueeze, squeeze, expand, swapaxes = F.unsqueeze, F.squeeze, F.expand, F.swapaxes
    split, chunk = F.split, F.chunk
    # reductions and normalizations
    var, std, logsumexp, amax, amin = F.var, F.std, F.logsumexp, F.amax, F.amin
    argmax, argmin, all, any = F.argmax, F.argmin, F.all, F.any  # noqa: A003
    softmax, log_softmax = F.softmax, F.log_softmax
    # elementwise
    exp, log, log1p, sqrt, rsqrt, square = F.exp, F.log, F.log1p, F.sqrt, F.rsqrt, F.square
    sin, cos, tanh, sigmoid, relu, erf = F.sin, F.cos, F.tanh, F.sigmoid, F.relu, F.erf
    abs, sign, neg, negative = F.abs, F.sign, F.neg, F.negative  # noqa: A003
    add, sub, mul, div, pow = F.add, F.sub, F.mul, F.div, F.pow  # noqa: A003
    subtract, multiply, true_divide = F.subtract, F.multiply, F.true_divide
    maximum, minimum, clamp, clip = F.maximum, F.minimum, F.clamp, F.clip
    masked_fill = F.masked_fill
    matmul, mm, bmm = F.matmul, F.mm, F.bmm
    # comparisons and predicates
    eq, ne, lt, le, gt, ge = F.eq, F.ne, F.lt, F.le, F.gt, F.ge
    isnan, isinf, isfinite, allclose, equal = F.isnan, F.isinf, F.isfinite, F.allclose, F.equal
