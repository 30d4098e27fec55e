"""Fuzzer entries for control flow (`shared_ops.cond`, `while_loop`, `scan`): a branch on a
data-dependent predicate, a bounded loop, and a scan with a carry and stacked outputs.

The bodies are fixed small functions (lambdas in the statement text) whose results keep the
carry's shape; the shape rules (branch/body checks) decide the rest, as for every entry.
PyTorch runs the same computation as plain Python control flow (`torch_ops`).
"""

from __future__ import annotations

import math

from hypothesis import strategies as st

from . import intervals as I  # noqa: N812
from .catalog import entry

_PRED = "ops.gt(ops.sum({0}), 0.0)"
_TORCH_PRED = "bool(torch.sum({0}) > 0.0)"

entry("cond_unary",
      f"ops.cond({_PRED}, lambda a: ops.mul(ops.sin(a), 2.0), lambda a: ops.sub(a, 1.0), {{1}})",
      f"(torch.sin({{1}}) * 2.0 if {_TORCH_PRED} else {{1}} - 1.0)",
      lambda ivs, *_: I.hull((-2.0, 2.0), (ivs[1][0] - 1.0, ivs[1][1] - 1.0)), arity=2)
entry("cond_binary",
      f"ops.cond({_PRED}, lambda a, b: ops.mul(a, b), lambda a, b: ops.sub(a, ops.exp(b)), "
      "{1}, {2})",
      f"({{1}} * {{2}} if {_TORCH_PRED} else {{1}} - torch.exp({{2}}))",
      lambda ivs, *_: I.hull(I.mul(ivs[1], ivs[2]), (ivs[1][0] - math.exp(ivs[2][1]),
                                                     ivs[1][1] - math.exp(ivs[2][0]))),
      arity=3, domain=lambda ivs: ivs[2][1] <= 6.0)


def _loop_bound(ivs, attrs, *_):
    lo, hi = ivs[0]
    for _ in range(attrs["n"]):  # v <- v / 2 + sin(v)
        lo, hi = 0.5 * lo - 1.0, 0.5 * hi + 1.0
    return I.hull((lo, hi), ivs[0])


entry("while_loop",
      "ops.while_loop(lambda i, v: ops.lt(i, {n}), lambda i, v: (ops.add(i, 1), "
      "ops.add(ops.mul(v, 0.5), ops.sin(v))), (np.int64(0), {0}), maximum_iterations={n})[1]",
      "T.loop({0}, {n})", _loop_bound,
      attrs=lambda draw, avals: {"n": draw(st.integers(0, 3))})


def _scan_bound(ivs, attrs, *_):
    m = max(abs(ivs[0][0]), abs(ivs[0][1]), 2 * abs(ivs[1][0]), 2 * abs(ivs[1][1]))
    return (-m, m) if attrs["part"] == 0 else I.mul((-m, m), ivs[1])


entry("scan",
      "ops.scan(lambda c, x: (ops.add(ops.mul(c, 0.5), x), ops.mul(c, x)), {0}, {1})[{part}]",
      "T.scan({0}, {1})[{part}]", _scan_bound, arity=2,
      attrs=lambda draw, avals: {"part": draw(st.sampled_from([0, 1]))},
      # Eager refuses a scan of zero steps (it cannot stack no ys): by design, not compared.
      valid=lambda avals, attrs, out: avals[1].ndim >= 1 and avals[1].shape[0] >= 1)
