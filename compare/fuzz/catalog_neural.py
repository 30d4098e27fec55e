"""Fuzzer entries for the neural-network composites the compiler's fusion pass rewrites:
matmul + bias + relu (-> linear_act), softmax cross-entropy and sigmoid BCE with logits, plus
gelu; and the composites the eager mode runs as fused immediate forms (``linear`` -> affine,
``binary_cross_entropy`` -> clamped_bce, ``cross_entropy``), so eager's fused kernels are held
to the static graph's decompositions. Targets come from the program's own values (an argmax,
a sigmoid), so every input stays a float64 array and PyTorch computes the same loss.
"""

from __future__ import annotations

import math

from hypothesis import strategies as st

from . import intervals as I  # noqa: N812
from .catalog import entry
from .catalog_struct import swap_last_axes


def _linear_bound(ivs, a, avals, out):
    z = I.scale(I.mul(ivs[0], ivs[1]), avals[0].shape[-1])
    return I.relu((z[0] + ivs[2][0], z[1] + ivs[2][1]))


entry("linear_relu", "ops.relu(ops.add(ops.matmul({0}, ops.transpose({1}, axes={axes})), {2}))",
      "torch.relu(torch.matmul({0}, {1}.transpose(-1, -2)) + {2})", _linear_bound, arity=3,
      attrs=lambda draw, avals: swap_last_axes(draw, avals[:2]),
      valid=lambda avals, a, out: avals[0].ndim >= 1 and avals[1].ndim >= 2)


def _affine_bound(ivs, a, avals, out):
    cols = a["shape"][1]
    z = I.scale(I.mul(ivs[0], ivs[1]), cols)
    b = I.scale(ivs[1], cols)
    return (z[0] + b[0], z[1] + b[1])


def _as_weight(draw, avals) -> dict:
    cols = avals[0].shape[-1] if avals[0].ndim else 0
    return {"shape": (-1, cols)}


# Any value whose size the input's last dim divides becomes a weight (out, in) by a reshape,
# and its row sums the bias (out,), as linear requires.
entry("linear", "ops.linear({0}, ops.reshape({1}, shape={shape}), "
      "ops.sum(ops.reshape({1}, shape={shape}), axis=-1))",
      "torch.nn.functional.linear({0}, {1}.reshape{shape}, {1}.reshape{shape}.sum(-1))",
      _affine_bound, arity=2, attrs=_as_weight,
      valid=lambda avals, a, out: avals[0].ndim >= 1 and a["shape"][1] >= 1
      and math.prod(avals[1].shape) % a["shape"][1] == 0 and math.prod(avals[1].shape) > 0)


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
# Probabilities kept inside [sigmoid(-20), sigmoid(20)]: nearer 0 or 1, PyTorch's gradient
# formula (eager's clamped_bce) floors p (1 - p) at 1e-12 where the decomposition does not.
entry("bce_probs",
      "ops.binary_cross_entropy(ops.sigmoid({0}), ops.sigmoid({1}), reduction={reduction})",
      "torch.nn.functional.binary_cross_entropy(torch.sigmoid({0}), torch.sigmoid({1}), "
      "reduction={reduction})", _loss_bound, arity=2, attrs=_reduction,
      domain=lambda ivs: max(abs(ivs[0][0]), abs(ivs[0][1])) <= 20.0,
      valid=lambda avals, a, out: avals[0].shape == avals[1].shape and (
          a["reduction"] != "mean" or math.prod(avals[0].shape) > 0))
