"""Tensor math methods (``x.sum(1)``, ``x.view(2, -1)``, ``x.max(dim)``, ``x.gather(...)``...):
the table of PyTorch's Tensor methods in `shared_ops.tensor_api`, which static graph values
get too, so both modes' tensors have one set of methods with one meaning.

`eager.tensor_methods` (listed before this mixin in ``Tensor``'s bases) keeps its own
operators, conversions and sizes; ``a + b``, eager's hot path, is on `eager.Tensor` itself. The
table's methods call the shared ops as eager's functions do (measured against the methods
they replace: ``benchmarks/bench_eager_ops.py`` and per-method timings, at parity).

    >>> import eager
    >>> eager.tensor([[1.0, 2.0], [3.0, 4.0]]).sum(1)
    tensor([3., 7.])
"""

from __future__ import annotations

from shared_ops import tensor_api

from . import functions as F


class MathMethods(tensor_api.methods_class("TableMethods", "shared_ops.tensor_api's methods")):
    """Mixed into `eager.Tensor`: every `shared_ops.tensor_api` method (its base), and the two
    that answer with a Python bool from the values at hand."""

    __slots__ = ()

    allclose, equal = F.allclose, F.equal
