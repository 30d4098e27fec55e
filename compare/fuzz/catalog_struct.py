"""Fuzzer entries for the structural ops: reductions, softmax, shape ops, indexing, joins and
matmul (the elementwise ones are in `catalog`). PyTorch spellings that need more than one call
(reductions over ``axis=None``, NumPy-style pad widths) go through `torch_ops` (``T``)."""

from __future__ import annotations

import math

from hypothesis import strategies as st

from . import intervals as I  # noqa: N812
from .catalog import entry


def _count(avals, out) -> int:
    """How many input elements fold into one output element of a reduction."""
    n_in = math.prod(avals[0].shape)
    n_out = math.prod(out.shape)
    return n_in // n_out if n_out else 0


def _axis(draw, ndim: int):
    """None, one axis (negative ones too) or a tuple of distinct axes."""
    if ndim == 0:
        return None
    kind = draw(st.sampled_from(["none", "int", "tuple"]))
    if kind == "none":
        return None
    if kind == "int":
        return draw(st.integers(-ndim, ndim - 1))
    axes = draw(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True))
    return tuple(axes)


def _reduce_attrs(draw, avals) -> dict:
    return {"axis": _axis(draw, avals[0].ndim), "keepdims": draw(st.booleans())}


def _reduction(name: str, bound) -> None:
    entry(name, f"ops.{name}({{0}}, axis={{axis}}, keepdims={{keepdims}})",
          f"T.reduce({name!r}, {{0}}, {{axis}}, {{keepdims}})", bound, attrs=_reduce_attrs)


_reduction("sum", lambda ivs, a, avals, out: I.scale(ivs[0], _count(avals, out)))
_reduction("mean", lambda ivs, *_: ivs[0])
_reduction("max", lambda ivs, *_: ivs[0])
_reduction("min", lambda ivs, *_: ivs[0])
_reduction("logsumexp", lambda ivs, a, avals, out:
           (ivs[0][0], ivs[0][1] + math.log(max(_count(avals, out), 1))))
# var divides by n - 1: only over at least two elements (shape rules allow n = 1; PyTorch
# then gives nan, as do we, which is no use to compare).
entry("var", "ops.var({0}, axis={axis}, keepdims={keepdims})",
      "T.reduce('var', {0}, {axis}, {keepdims})",
      lambda ivs, a, avals, out: (0.0, (ivs[0][1] - ivs[0][0]) ** 2),
      attrs=_reduce_attrs, valid=lambda avals, a, out: _count(avals, out) >= 2)


def _axis_attr(draw, avals) -> dict:
    return {"axis": draw(st.integers(-avals[0].ndim, avals[0].ndim - 1))}


def _ndim_at_least(k: int):
    return lambda avals, a, out: avals[0].ndim >= k


entry("softmax", "ops.softmax({0}, axis={axis})", "torch.softmax({0}, dim={axis})",
      lambda ivs, a, avals, out: (math.exp(ivs[0][0] - ivs[0][1])
                                  / max(avals[0].shape[a["axis"]], 1),
                                  1.0),
      attrs=lambda draw, avals: _axis_attr(draw, avals) if avals[0].ndim else {"axis": -1},
      valid=_ndim_at_least(1))
entry("log_softmax", "ops.log_softmax({0}, axis={axis})", "torch.log_softmax({0}, dim={axis})",
      lambda ivs, a, avals, out: (ivs[0][0] - ivs[0][1]
                                  - math.log(max(avals[0].shape[a["axis"]], 1)), 0.0),
      attrs=lambda draw, avals: _axis_attr(draw, avals) if avals[0].ndim else {"axis": -1},
      valid=_ndim_at_least(1))


# --- shape ops ---------------------------------------------------------------------------------
def _same(ivs, *_):
    return ivs[0]


def _transpose_attrs(draw, avals) -> dict:
    n = avals[0].ndim
    return {"axes": draw(st.one_of(st.none(), st.permutations(range(n)).map(tuple)))}


def _reshape_attrs(draw, avals) -> dict:
    size = math.prod(avals[0].shape)
    if size == 0:  # any shape with a 0 in it (-1 would be ambiguous)
        return {"shape": tuple(draw(st.permutations([0, draw(st.integers(1, 3))])))}
    dims, rest = [], size
    for _ in range(draw(st.integers(0, 3))):
        divisors = [d for d in range(1, rest + 1) if rest % d == 0]
        d = draw(st.sampled_from(divisors))
        dims.append(d)
        rest //= d
    dims.append(rest)  # the last dim takes what is left (or -1: inferred)
    if draw(st.booleans()):
        dims[-1] = -1
    return {"shape": tuple(dims)}


def _broadcast_attrs(draw, avals) -> dict:
    lead = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    dims = tuple(draw(st.integers(1, 3)) if d == 1 else d for d in avals[0].shape)
    return {"shape": lead + dims}


def _sum_to_attrs(draw, avals) -> dict:
    shape = avals[0].shape
    drop = draw(st.integers(0, len(shape)))
    kept = tuple(1 if draw(st.booleans()) else d for d in shape[drop:])
    return {"shape": kept}


def _squeeze_attrs(draw, avals) -> dict:
    ones = [i for i, d in enumerate(avals[0].shape) if d == 1]
    return {"axis": draw(st.sampled_from([None, *ones]))}


entry("transpose", "ops.transpose({0}, axes={axes})", "T.transpose({0}, {axes})", _same,
      attrs=_transpose_attrs)
entry("reshape", "ops.reshape({0}, shape={shape})", "{0}.reshape({shape})", _same,
      attrs=_reshape_attrs)
entry("expand_dims", "ops.expand_dims({0}, axis={axis})", "{0}.unsqueeze({axis})", _same,
      attrs=lambda draw, avals: {"axis": draw(st.integers(-avals[0].ndim - 1, avals[0].ndim))})
entry("squeeze", "ops.squeeze({0}, axis={axis})", "T.squeeze({0}, {axis})", _same,
      attrs=_squeeze_attrs)
entry("broadcast_to", "ops.broadcast_to({0}, shape={shape})",
      "torch.broadcast_to({0}, {shape})", _same, attrs=_broadcast_attrs)
entry("sum_to", "ops.sum_to({0}, shape={shape})", "{0}.sum_to_size({shape})",
      lambda ivs, a, avals, out: I.scale(ivs[0], _count(avals, out)), attrs=_sum_to_attrs,
      valid=lambda avals, a, out: len(a["shape"]) > 0)  # torch's sum_to_size(()) is no-op


def _pad_attrs(draw, avals) -> dict:
    return {"widths": tuple((draw(st.integers(0, 2)), draw(st.integers(0, 2)))
                            for _ in avals[0].shape)}


entry("pad", "ops.pad({0}, pad_width={widths})", "T.pad({0}, {widths})",
      lambda ivs, *_: I.hull(ivs[0], (0.0, 0.0)), attrs=_pad_attrs, valid=_ndim_at_least(1))


# --- indexing ----------------------------------------------------------------------------------
def _key_item(draw, d: int):
    kind = draw(st.sampled_from(["all", "int", "slice", "list", "new"]))
    if kind == "int":
        return draw(st.integers(-d, d - 1)) if d else slice(None)
    if kind == "slice":
        start = draw(st.one_of(st.none(), st.integers(-d - 1, d)))
        stop = draw(st.one_of(st.none(), st.integers(-d - 1, d + 1)))
        return slice(start, stop, draw(st.sampled_from([None, 1, 2])))
    if kind == "list":
        return draw(st.lists(st.integers(-d, d - 1), min_size=1, max_size=4)) if d else []
    if kind == "new":
        return None
    return slice(None)


def _key_attrs(draw, avals) -> dict:
    shape = avals[0].shape
    if not shape:
        return {"key": (None,)}
    items = [_key_item(draw, d) for d in shape[:draw(st.integers(1, len(shape)))]]
    # One index list at most: with two, NumPy and PyTorch place the result dims differently.
    lists = [i for i, it in enumerate(items) if isinstance(it, list)]
    for i in lists[1:]:
        items[i] = slice(None)
    return {"key": tuple(items)}


entry("getitem", "ops.getitem({0}, {key})", "{0}[{key}]", _same, attrs=_key_attrs,
      valid=_ndim_at_least(1))


# --- joins and matmul --------------------------------------------------------------------------
def _join_axis(extra: int):
    def draw_axis(draw, avals) -> dict:
        n = avals[0].ndim + extra
        return {"axis": draw(st.integers(-n, n - 1)) if n else 0}

    return draw_axis


entry("concat", "ops.concat([{0}, {1}], axis={axis})", "torch.cat([{0}, {1}], dim={axis})",
      lambda ivs, *_: I.hull(*ivs), arity=2, attrs=_join_axis(0), valid=_ndim_at_least(1))
entry("stack", "ops.stack([{0}, {1}], axis={axis})", "torch.stack([{0}, {1}], dim={axis})",
      lambda ivs, *_: I.hull(*ivs), arity=2, attrs=_join_axis(1))
entry("matmul", "ops.matmul({0}, {1})", "torch.matmul({0}, {1})",
      lambda ivs, a, avals, out: I.scale(I.mul(*ivs), avals[0].shape[-1]), arity=2,
      valid=lambda avals, a, out: avals[0].ndim >= 1 and avals[1].ndim >= 1)


def swap_last_axes(draw, avals) -> dict:
    """Attrs of a transpose that swaps the second argument's last two axes (``x @ y^T``
    statements; the neural catalog's ``linear_relu`` draws with it too)."""
    n = avals[1].ndim
    return {"axes": tuple(range(n - 2)) + (n - 1, n - 2) if n >= 2 else None}


# x @ y^T lines up whenever x and y share their last dim (same-shaped values often do), so
# matmul gets drawn far more than chance shapes allow.
entry("matmul_nt", "ops.matmul({0}, ops.transpose({1}, axes={axes}))",
      "torch.matmul({0}, {1}.transpose(-1, -2))",
      lambda ivs, a, avals, out: I.scale(I.mul(*ivs), avals[0].shape[-1]), arity=2,
      attrs=swap_last_axes, valid=lambda avals, a, out: avals[0].ndim >= 1 and avals[1].ndim >= 2)
