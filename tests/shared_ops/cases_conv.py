"""Op cases for conv2d and pooling (and their gradient primitives), part of cases_neural.CASES.

References are written independently of the kernels: plain loops over output positions
(slow, fine at these sizes) instead of im2col views, so a wrong stride or dilation in the
kernel cannot hide behind the same mistake in the reference.
"""

from __future__ import annotations

import numpy as np
from opcases import OpCase

rng = np.random.default_rng(20261128)


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def _geometry(x_shape, w_shape, stride, padding, dilation):
    (sh, sw), (ph, pw), (dh, dw) = _pair(stride), _pair(padding), _pair(dilation)
    kh, kw = w_shape[-2:]
    oh = (x_shape[2] + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    ow = (x_shape[3] + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    return (sh, sw), (ph, pw), (dh, dw), oh, ow


def _patch(i, j, s, d, k):
    """The slices of the padded input that output (i, j) reads."""
    return (slice(i * s[0], i * s[0] + d[0] * (k[0] - 1) + 1, d[0]),
            slice(j * s[1], j * s[1] + d[1] * (k[1] - 1) + 1, d[1]))


def conv_ref(x, w, b=None, stride=1, padding=0, dilation=1, groups=1):
    s, p, d, oh, ow = _geometry(x.shape, w.shape, stride, padding, dilation)
    xp = np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
    out = np.zeros((x.shape[0], w.shape[0], oh, ow), dtype=x.dtype)
    cg, og = w.shape[1], w.shape[0] // groups
    for o in range(w.shape[0]):
        xs = xp[:, (o // og) * cg:(o // og + 1) * cg]
        for i in range(oh):
            for j in range(ow):
                hs, ws = _patch(i, j, s, d, w.shape[2:])
                out[:, o, i, j] = np.tensordot(xs[:, :, hs, ws], w[o], axes=3)
    return out if b is None else out + b[None, :, None, None]


def conv_grads_ref(x_shape, w, x, g, stride, padding, dilation, groups):
    """(dx, dw) of <g, conv(x, w)> by accumulating each output's contribution."""
    s, p, d, oh, ow = _geometry(x_shape, w.shape, stride, padding, dilation)
    n, c, h, wd = x_shape
    dxp = np.zeros((n, c, h + 2 * p[0], wd + 2 * p[1]))
    xp = np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1]))) if x is not None else None
    dw = np.zeros(w.shape)
    cg, og = w.shape[1], w.shape[0] // groups
    for o in range(w.shape[0]):
        ch = slice((o // og) * cg, (o // og + 1) * cg)
        for i in range(oh):
            for j in range(ow):
                hs, ws = _patch(i, j, s, d, w.shape[2:])
                dxp[:, ch, hs, ws] += g[:, o, i, j][:, None, None, None] * w[o]
                if xp is not None:
                    dw[o] += np.tensordot(g[:, o, i, j], xp[:, ch, hs, ws], axes=1)
    return dxp[:, :, p[0]:p[0] + h, p[1]:p[1] + wd], dw


def pool_ref(x, kernel_size, stride=None, padding=0, dilation=1, kind="max",
             count_include_pad=True):
    k = _pair(kernel_size)
    s, p, d, oh, ow = _geometry(x.shape, (1, 1) + k, stride or kernel_size, padding, dilation)
    fill = -np.inf if kind == "max" else 0.0
    xp = np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])), constant_values=fill)
    real = np.pad(np.ones(x.shape[2:]), ((p[0], p[0]), (p[1], p[1])))
    out = np.zeros(x.shape[:2] + (oh, ow))
    for i in range(oh):
        for j in range(ow):
            hs, ws = _patch(i, j, s, d, k)
            win = xp[:, :, hs, ws]
            if kind == "max":
                out[:, :, i, j] = win.max(axis=(2, 3))
            else:
                count = k[0] * k[1] if count_include_pad else real[hs, ws].sum()
                out[:, :, i, j] = win.sum(axis=(2, 3)) / count
    return out


def avg_ref(x, **attrs):
    return pool_ref(x, kind="avg", **attrs)


def max_route_ref(x, kernel_size, stride, padding, dilation):
    """{(n, c, i, j): (row, col)}: where in x the first maximum of each output's window is."""
    s, p, d, oh, ow = _geometry(x.shape, (1, 1) + tuple(kernel_size), stride, padding, dilation)
    route = {}
    for n, c, i, j in np.ndindex(x.shape[0], x.shape[1], oh, ow):
        best = None
        for a, b in np.ndindex(*kernel_size):
            r, q = i * s[0] + a * d[0] - p[0], j * s[1] + b * d[1] - p[1]
            if 0 <= r < x.shape[2] and 0 <= q < x.shape[3] and (
                    best is None or x[n, c, r, q] > x[(n, c) + best]):
                best = (r, q)
        route[n, c, i, j] = best
    return route


def max_grad_ref(g, x, **attrs):
    dx = np.zeros_like(x)
    for (n, c, i, j), (r, q) in max_route_ref(x, **attrs).items():
        dx[n, c, r, q] += g[n, c, i, j]
    return dx


def max_select_ref(cot, x, **attrs):
    route = max_route_ref(x, **attrs)
    out = np.zeros(x.shape[:2] + tuple(np.max(list(route), axis=0)[2:] + 1))
    for (n, c, i, j), (r, q) in route.items():
        out[n, c, i, j] = cot[n, c, r, q]
    return out


def avg_grad_ref(g, shape, kernel_size, stride, padding, count_include_pad):
    """The transpose of average pooling, column by column of the identity."""
    dx = np.zeros(shape)
    for idx in np.ndindex(*shape[2:]):
        e = np.zeros((1, 1) + tuple(shape[2:]))
        e[(0, 0) + idx] = 1.0
        col = pool_ref(e, kernel_size, stride, padding, kind="avg",
                       count_include_pad=count_include_pad)[0, 0]
        dx[:, :, idx[0], idx[1]] = np.tensordot(g, col, axes=2)
    return dx


def _conv_torch(torch, x, w, b=None, **attrs):
    return torch.nn.functional.conv2d(x, w, b, **attrs)


def _params(stride=1, padding=0, dilation=1, groups=1):
    return dict(stride=_pair(stride), padding=_pair(padding), dilation=_pair(dilation),
                groups=groups)


# (x shape, w shape, params, id): stride/padding/dilation/groups combinations.
_CONV_GEOMETRIES = [
    ((2, 3, 6, 6), (4, 3, 3, 3), _params(), "plain"),
    ((2, 3, 7, 6), (4, 3, 3, 3), _params(stride=2, padding=1), "stride2-pad1"),
    ((1, 2, 9, 8), (3, 2, 3, 2), _params(stride=(2, 1), padding=(1, 2), dilation=(2, 1)),
     "asym-dilated"),
    ((2, 4, 5, 5), (6, 2, 3, 3), _params(padding=1, groups=2), "groups2"),
    ((1, 3, 6, 5), (3, 1, 2, 2), _params(stride=2, groups=3), "depthwise"),
    ((3, 2, 4, 4), (5, 2, 1, 1), _params(), "1x1"),
]


def _conv_cases() -> list[OpCase]:
    cases = []
    for xs, ws, params, cid in _CONV_GEOMETRIES:
        x, w = rng.standard_normal(xs), rng.standard_normal(ws)
        b = rng.standard_normal(ws[0])
        y_shape = conv_ref(x, w, **params).shape
        g = rng.standard_normal(y_shape)
        cases.append(OpCase("conv2d_core", (x, w), params, conv_ref, _conv_torch, id=cid))
        cases.append(OpCase(
            "conv2d_input_grad", (g, w), dict(params, shape=xs),
            lambda g, w, shape, **p: conv_grads_ref(shape, w, None, g, **p)[0],
            lambda torch, g, w, shape, **p: torch.nn.grad.conv2d_input(shape, w, g, **p),
            id=cid))
        cases.append(OpCase(
            "conv2d_weight_grad", (x, g), dict(params, shape=ws),
            lambda x, g, shape, **p: conv_grads_ref(x.shape, np.zeros(shape), x, g, **p)[1],
            lambda torch, x, g, shape, **p: torch.nn.grad.conv2d_weight(x, shape, g, **p),
            id=cid))
        # The public composite: int attrs, with and without bias.
        attrs = dict(params)
        if params["stride"][0] == params["stride"][1]:
            attrs["stride"] = params["stride"][0]
        cases.append(OpCase("conv2d", (x, w, b), attrs, conv_ref, _conv_torch, id=cid + "-bias"))
    x, w = rng.standard_normal((2, 3, 5, 5)), rng.standard_normal((2, 3, 3, 3))
    cases.append(OpCase("conv2d", (x, w), {"padding": 1}, conv_ref, _conv_torch, id="no-bias"))
    # The like-input form of the gradient primitives (a static graph's unknown batch dim).
    g = rng.standard_normal((2, 2, 5, 5))
    p = _params(padding=1)
    cases.append(OpCase(
        "conv2d_input_grad", (g, w, x), p,
        lambda g, w, like, **p: conv_grads_ref(like.shape, w, None, g, **p)[0],
        lambda torch, g, w, like, **p: torch.nn.grad.conv2d_input(like.shape, w, g, **p),
        id="like-input"))
    return cases


def _max_select_torch(torch, c, x, kernel_size, stride, padding, dilation):
    y, idx = torch.nn.functional.max_pool2d(x, kernel_size, stride, padding, dilation,
                                            return_indices=True)
    return c.flatten(2).gather(2, idx.flatten(2)).view_as(y)


def _pool_grad_torch(fn):
    """torch_fn for a pooling gradient: the VJP of ``fn`` at ``x``, differentiable in g."""
    def run(torch, g, x=None, shape=None, **attrs):
        xr = (x.detach() if x is not None else torch.zeros(shape, dtype=g.dtype))
        xr.requires_grad_(True)
        (dx,) = torch.autograd.grad(fn(torch, xr, **attrs), xr, g, create_graph=True)
        return dx
    return run


def _max_torch(torch, x, kernel_size, stride, padding, dilation):
    return torch.nn.functional.max_pool2d(x, kernel_size, stride, padding, dilation)


def _avg_torch(torch, x, kernel_size, stride, padding, count_include_pad):
    return torch.nn.functional.avg_pool2d(x, kernel_size, stride, padding,
                                          count_include_pad=count_include_pad)


def _pool_cases() -> list[OpCase]:
    cases = []
    for xs, k, s, p, d, cid in [((2, 3, 6, 6), 2, None, 0, 1, "k2"),
                                ((2, 2, 7, 6), 3, 2, 1, 1, "k3-s2-p1"),
                                ((1, 2, 9, 8), (3, 2), (2, 1), (1, 0), (2, 1), "asym-dilated")]:
        x = rng.standard_normal(xs)
        public = {"kernel_size": k, "stride": s, "padding": p, "dilation": d}
        cases.append(OpCase("max_pool2d", (x,), public, pool_ref,
                            lambda torch, x, **a: torch.nn.functional.max_pool2d(x, **a), id=cid))
        core = dict(kernel_size=_pair(k), stride=_pair(s or k), padding=_pair(p),
                    dilation=_pair(d))
        y = pool_ref(x, **public)
        g, c = rng.standard_normal(y.shape), rng.standard_normal(xs)
        cases.append(OpCase("max_pool2d_core", (x,), core, pool_ref, _max_torch, id=cid))
        cases.append(OpCase("max_pool2d_grad", (g, x), core, max_grad_ref,
                            _pool_grad_torch(_max_torch), id=cid))
        cases.append(OpCase("max_pool2d_select", (c, x), core, max_select_ref,
                            _max_select_torch, id=cid))
        if d != 1:
            continue
        for include in (True, False):
            tag = f"{cid}-{'incl' if include else 'excl'}"
            public = {"kernel_size": k, "stride": s, "padding": p, "count_include_pad": include}
            cases.append(OpCase("avg_pool2d", (x,), public, avg_ref,
                                lambda torch, x, **a: torch.nn.functional.avg_pool2d(x, **a),
                                id=tag))
            core = dict(kernel_size=_pair(k), stride=_pair(s or k), padding=_pair(p),
                        count_include_pad=include)
            cases.append(OpCase("avg_pool2d_core", (x,), core, avg_ref, _avg_torch, id=tag))
            cases.append(OpCase("avg_pool2d_grad", (g,), dict(core, shape=xs), avg_grad_ref,
                                _pool_grad_torch(_avg_torch), id=tag))
    return cases


CONV_CASES: list[OpCase] = _conv_cases() + _pool_cases()
