"""Fuzzer entries for the neural-network composites the compiler's fusion pass rewrites:
matmul + bias + relu (-> linear_act), softmax cross-entropy and sigmoid BCE with logits, plus
gelu. Targets come from the program's own values (an argmax, a sigmoid), so every input stays
a float64 array and PyTorch computes the same loss.
"""

from __future__ import annotations

import math

from hypothesis import strategies as st

from . import intervals as I  # noqa: N812
from .catalog import entry
from .catalog_struct import _swap_last


def _linear_bound(ivs, a, avals, out):
    z = I.scale(I.mul(ivs[0], ivs[1]), avals[0].shape[-1])
    return I.relu((z[0] + ivs[2][0], z[1] + ivs[2][1]))


entry("linear_relu", "ops.relu(ops.add(ops.matmul({0}, ops.transpose({1}, axes={axes})), {2}))",
      "torch.relu(torch.matmul({0}, {1}.transpose(-1, -2)) + {2})", _linear_bound, arity=3,
      attrs=lambda draw, avals: _swap_last(draw, avals[:2]),
      valid=lambda avals, a, out: avals[0].ndim >= 1 and avals[1].ndim >= 2)


def _reduction(draw, avals) -> dict:
    return {"reduction": draw(st.sampled_from(["mean", "sum", "none"]))}


def _loss_bound(ivs, a, avals, out):
    # Per element at most |logit range| + log(classes) (CE) or |x| + log 2 (BCE); summed.
    classes = avals[0].shape[-1] if avals[0].ndim else 2
    per = max(abs(ivs[0][0]), abs(ivs[0][1])) * 2 + math.log(max(classes, 2)) + 1
    n = math.prod(avals[0].shape) if a["reduction"] == "sum" else 1
    return (0.0, per * max(n, 1))


entry("cross_entropy", "ops.cross_entropy({0}, ops.argmax({1}, axis=1), reduction={reduction})",
      "torch.nn.functional.cross_entropy({0}, torch.argmax({1}, dim=1), "
      "reduction={reduction})", _loss_bound, arity=2, attrs=_reduction,
      # (N, C) logits; an empty batch gives nan for "mean" in both, not worth comparing.
      valid=lambda avals, a, out: avals[0].ndim == 2 and avals[0].shape == avals[1].shape
      and avals[0].shape[0] >= 1 and avals[0].shape[1] >= 1)
entry("bce_logits",
      "ops.binary_cross_entropy_with_logits({0}, ops.sigmoid({1}), reduction={reduction})",
      "torch.nn.functional.binary_cross_entropy_with_logits({0}, torch.sigmoid({1}), "
      "reduction={reduction})", _loss_bound, arity=2, attrs=_reduction,
      valid=lambda avals, a, out: avals[0].shape == avals[1].shape and (
          a["reduction"] != "mean" or math.prod(avals[0].shape) > 0))
entry("gelu", "ops.gelu({0})", "torch.nn.functional.gelu({0})",
      lambda ivs, *_: (min(ivs[0][0], 0.0) * 0.2 - 0.2, max(ivs[0][1], 0.0)))
