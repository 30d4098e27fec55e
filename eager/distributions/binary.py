"""`BinaryParameters`: a distribution given by a success probability, as ``probs`` or as
log-odds ``logits`` (exactly one), each computed from the other on first use."""

from __future__ import annotations

from numbers import Number
from typing import Any

from .utils import broadcast_all, lazy_property, logits_to_probs, probs_or_logits, probs_to_logits


class BinaryParameters:
    """Mixed into Bernoulli, Binomial and Geometric: the missing one of ``probs`` and
    ``logits`` is made lazily (and then printed by ``repr``, as PyTorch's)."""

    def _take_parameter(self, probs: Any, logits: Any, total_count: Any = None) -> tuple:
        """Store the one of ``probs``/``logits`` given (as a Tensor, with ``total_count``
        broadcast against it when given) and ``_param``; return the batch shape (``()`` for a
        lone number)."""
        probs_or_logits(probs, logits)
        name, given = ("probs", probs) if probs is not None else ("logits", logits)
        if total_count is None:
            (param,) = broadcast_all(given)
            batch = () if isinstance(given, Number) else tuple(param.size())
        else:
            count, param = broadcast_all(total_count, given)
            self.total_count = count.type_as(param)
            batch = tuple(param.size())
        setattr(self, name, param)
        self._param = param
        return batch

    @lazy_property
    def logits(self) -> Any:
        return probs_to_logits(self.probs, is_binary=True)

    @lazy_property
    def probs(self) -> Any:
        return logits_to_probs(self.logits, is_binary=True)


__all__ = ["BinaryParameters"]
