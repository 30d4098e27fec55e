"""`BinaryParameters`: a distribution given by a success probability, as ``probs`` or as
log-odds ``logits`` (exactly one), each computed from the other on first use."""

from __future__ import annotations

from typing import Any

from .utils import lazy_property, logits_to_probs, probs_to_logits


class BinaryParameters:
    """Mixed into Bernoulli, Binomial and Geometric: the missing one of ``probs`` and
    ``logits`` is made lazily (and then printed by ``repr``, as PyTorch's)."""

    @lazy_property
    def logits(self) -> Any:
        return probs_to_logits(self.probs, is_binary=True)

    @lazy_property
    def probs(self) -> Any:
        return logits_to_probs(self.logits, is_binary=True)


__all__ = ["BinaryParameters"]
