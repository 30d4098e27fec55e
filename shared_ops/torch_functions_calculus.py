"""Numerical integration and differentiation of sampled values, PyTorch's ``trapezoid``
(``trapz``), ``cumulative_trapezoid`` and ``gradient``, over the shared ops (both modes,
differentiable). Each is written as PyTorch's kernel writes it, so the roundings agree:
``trapezoid`` with a spacing ``dx`` is ``(sum(y) - (y[0] + y[-1]) / 2) * dx``, with sample
points ``x`` it is ``sum(diff(x) * (y[1:] + y[:-1])) / 2``.

    >>> import numpy as np
    >>> float(trapezoid(np.array([1.0, 2.0, 3.0])))
    4.0
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .tensor_api_core import METHODS, op, shape_of, wrap_dim


def _slice(y: Any, d: int, start: int | None, stop: int | None) -> Any:
    return op("getitem")(y, (slice(None),) * d + (slice(start, stop),))


def _spacing_along(x: Any, y: Any, d: int, name: str) -> Any:
    """``diff(x)`` shaped to broadcast against ``y``'s slices along ``d`` (a 1-d ``x`` lies
    along ``d``; otherwise ``x`` broadcasts against ``y`` as a whole)."""
    if len(shape_of(x)) == 1:
        if shape_of(x)[0] != shape_of(y)[d]:
            raise RuntimeError(f"{name}: There must be one `x` value for each sample point")
        x = op("reshape")(x, shape=tuple(-1 if i == d else 1 for i in range(len(shape_of(y)))))
    return METHODS["diff"](x, 1, d - len(shape_of(y)))


def _check(name: str, x: Any, dx: Any, y: Any) -> None:
    if x is not None and dx is not None:
        raise TypeError(f"{name}() received an invalid combination of arguments: pass either "
                        "x or dx, not both")
    for v in (y, x):
        if v is not None and np.dtype(v.dtype).kind == "b":
            raise RuntimeError(f"{name}: received a bool input for `y`, but bool is not "
                               "supported")


def trapezoid(y: Any, x: Any = None, *, dx: float | None = None, dim: int = -1) -> Any:
    """The integral of ``y`` along ``dim`` by the trapezoid rule, at sample points ``x`` or
    spaced ``dx`` apart (1 when neither is given)."""
    _check("trapezoid", x, dx, y)
    d = wrap_dim(dim, len(shape_of(y)))
    if shape_of(y)[d] == 0:
        return op("sum")(op("mul")(y, 0), axis=d)
    if x is not None:
        width = _spacing_along(x, y, d, "trapezoid")
        return op("div")(op("sum")(op("mul")(width, op("add")(_slice(y, d, 1, None),
                                                                _slice(y, d, 0, -1))), axis=d),
                         2.0)
    head = (slice(None),) * d
    ends = op("add")(op("getitem")(y, head + (0,)), op("getitem")(y, head + (-1,)))
    total = op("sub")(op("sum")(y, axis=d), op("mul")(ends, 0.5))
    return op("mul")(total, 1.0 if dx is None else dx)


def trapz(y: Any, x: Any = None, *, dx: float | None = None, dim: int = -1) -> Any:
    """``trapezoid``'s older name."""
    return trapezoid(y, x, dx=dx, dim=dim)


def cumulative_trapezoid(y: Any, x: Any = None, *, dx: float | None = None,
                         dim: int = -1) -> Any:
    """The running trapezoid integral of ``y`` along ``dim`` (one entry fewer than ``y``)."""
    _check("cumulative_trapezoid", x, dx, y)
    d = wrap_dim(dim, len(shape_of(y)))
    pairs = op("add")(_slice(y, d, 0, -1), _slice(y, d, 1, None))
    if x is not None:
        width = _spacing_along(x, y, d, "cumulative_trapezoid")
        return op("div")(METHODS["cumsum"](op("mul")(pairs, width), d), 2.0)
    return METHODS["cumsum"](op("mul")((1.0 if dx is None else dx) / 2.0, pairs), d)


# --- gradient ----------------------------------------------------------------------------------
def _joined(center: Any, first: Any, last: Any, d: int) -> Any:
    return op("concat")([first, center, last], axis=d)


def _uniform(f: Any, d: int, h: Any, edge_order: int) -> Any:
    center = op("div")(op("sub")(_slice(f, d, 2, None), _slice(f, d, 0, -2)), h)
    if edge_order == 1:
        first = op("div")(op("sub")(_slice(f, d, 1, 2), _slice(f, d, 0, 1)), h)
        last = op("div")(op("sub")(_slice(f, d, -1, None), _slice(f, d, -2, -1)), h)
    else:
        first = op("div")(op("sub")(op("add")(op("mul")(_slice(f, d, 0, 1), -1.5),
                                              op("mul")(_slice(f, d, 1, 2), 2)),
                                    op("mul")(_slice(f, d, 2, 3), 0.5)), h)
        last = op("div")(op("add")(op("sub")(op("mul")(_slice(f, d, -3, -2), 0.5),
                                              op("mul")(_slice(f, d, -2, -1), 2)),
                                    op("mul")(_slice(f, d, -1, None), 1.5)), h)
    return _joined(op("div")(center, 2), first, last, d)


def _coordinates(f: Any, d: int, coords: Any, edge_order: int) -> Any:
    """Second-order differences on the uneven grid ``coords`` (1-d, along ``d``)."""
    shape = tuple(-1 if i == d else 1 for i in range(len(shape_of(f))))
    h = METHODS["diff"](coords, 1, 0)
    h1, h2 = op("getitem")(h, slice(0, -1)), op("getitem")(h, slice(1, None))
    a = op("div")(op("neg")(h2), op("mul")(h1, op("add")(h1, h2)))
    b = op("div")(op("sub")(h2, h1), op("mul")(h1, h2))
    c = op("div")(h1, op("mul")(h2, op("add")(h1, h2)))
    terms = [op("mul")(op("reshape")(w, shape=shape), _slice(f, d, lo, hi))
             for w, lo, hi in ((a, 0, -2), (b, 1, -1), (c, 2, None))]
    center = op("add")(op("add")(terms[0], terms[1]), terms[2])
    if edge_order == 1:
        first = op("div")(op("sub")(_slice(f, d, 1, 2), _slice(f, d, 0, 1)),
                          op("getitem")(h, 0))
        last = op("div")(op("sub")(_slice(f, d, -1, None), _slice(f, d, -2, -1)),
                         op("getitem")(h, -1))
        return _joined(center, first, last, d)
    edges = []
    for k0, k1, sign, lo in ((0, 1, 1, 0), (-1, -2, -1, -3)):
        p, q = op("getitem")(h, k0), op("getitem")(h, k1)
        weights = (op("neg")(op("div")(op("add")(op("mul")(p, 2.0), q),
                                       op("mul")(p, op("add")(p, q)))),
                   op("div")(op("add")(p, q), op("mul")(p, q)),
                   op("div")(op("neg")(p), op("mul")(q, op("add")(p, q))))
        if sign < 0:  # the last edge: the same stencil mirrored (weights reversed, negated)
            weights = tuple(op("neg")(w) for w in reversed(weights))
        window = [_slice(f, d, lo + j, lo + j + 1 or None) for j in range(3)]
        total = op("mul")(weights[0], window[0])
        for w, v in zip(weights[1:], window[1:], strict=True):
            total = op("add")(total, op("mul")(w, v))
        edges.append(total)
    return _joined(center, edges[0], edges[1], d)


def gradient(input: Any, *, spacing: Any = 1, dim: Any = None,  # noqa: A002
             edge_order: int = 1) -> tuple:
    """The derivative of the sampled ``input`` along each of ``dim`` (every dim when None), by
    central differences inside and one-sided ones of ``edge_order`` (1 or 2) at the ends;
    ``spacing`` is one step for all dims, one step per dim, or one 1-d tensor of coordinates
    per dim. A tuple with one tensor per dim."""
    rank = len(shape_of(input))
    dims = list(range(rank)) if dim is None else [dim] if isinstance(dim, int) else list(dim)
    dims = [wrap_dim(d, rank) for d in dims]
    if edge_order not in (1, 2):
        raise RuntimeError("torch.gradient only supports edge_order=1 and edge_order=2.")
    steps = list(spacing) if isinstance(spacing, list | tuple) else [spacing] * len(dims)
    if len(steps) != len(dims) and dim is None:
        raise RuntimeError(f"torch.gradient expected spacing to be unspecified, a scalar, or a "
                           f"list of length equal to 'self.dim() = {rank}', since dim argument "
                           f"was not given, but got a list of length {len(steps)}")
    if len(steps) != len(dims):
        raise RuntimeError(f"torch.gradient expected spacing to be unspecified, a scalar or "
                           f"it's spacing and dim arguments to have the same length, but got "
                           f"a spacing argument of length {len(steps)} and a dim argument of "
                           f"length {len(dims)}.")
    out = []
    for d, step in zip(dims, steps, strict=True):
        if shape_of(input)[d] < edge_order + 1:
            raise RuntimeError("torch.gradient expected each dimension size to be at least "
                               "edge_order+1")
        if hasattr(step, "shape") and len(shape_of(step)) == 1:
            out.append(_coordinates(input, d, step, edge_order))
        else:
            out.append(_uniform(input, d, step, edge_order))
    return tuple(out)


__all__ = ["trapezoid", "trapz", "cumulative_trapezoid", "gradient"]
