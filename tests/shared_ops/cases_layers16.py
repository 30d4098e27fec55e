"""Op cases of issue 16's layers and functions (exp2/expm1, 3-d convolution and pooling, grid
sampling, CTC), walked by ``test_registry_walk.py``: NumPy reference, torch oracle and float64
finite differences.

References are written independently of the ops' decompositions: loops over output
positions or NumPy one-liners.
"""

from __future__ import annotations

import numpy as np
from opcases import OpCase, case_collector, uniform_data

rng = np.random.default_rng(16_2026)
r = uniform_data(rng)

CASES: list[OpCase] = []
case = case_collector(CASES)


def _t(name):
    def fn(torch, *args, **kw):
        return getattr(torch, name)(*args, **kw)

    return fn


# --- exp2, expm1 -----------------------------------------------------------------------------
case("exp2", r(3, 4, lo=-3, hi=3), ref=np.exp2, torch_fn=_t("exp2"))
case("expm1", r(3, 4), ref=np.expm1, torch_fn=_t("expm1"))
case("expm1", np.array([1e-10, -1e-12, 0.0]), ref=np.expm1, torch_fn=_t("expm1"), id="tiny")
case("exp2", np.array([1, 2, 10]), ref=lambda a: np.exp2(a).astype(np.float32), grad=False,
     id="int-to-float32")


# --- 3-d convolution and pooling: loops over output positions ---------------------------------
def _triple(v):
    return (v,) * 3 if isinstance(v, int) else tuple(v)


def _out(n, k, s, p, d):
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def _boxes(x_shape, k, s, p, d):
    """Yield (output index, slices of the padded input) for every output position."""
    outs = [_out(x_shape[2 + i], k[i], s[i], p[i], d[i]) for i in range(3)]
    for idx in np.ndindex(*outs):
        yield idx, tuple(slice(i * s[a], i * s[a] + d[a] * (k[a] - 1) + 1, d[a])
                         for a, i in enumerate(idx))


def conv3d_ref(x, w, b=None, stride=1, padding=0, dilation=1, groups=1):
    s, p, d = _triple(stride), _triple(padding), _triple(dilation)
    xp = np.pad(x, ((0, 0), (0, 0)) + tuple((q, q) for q in p))
    outs = [_out(x.shape[2 + i], w.shape[2 + i], s[i], p[i], d[i]) for i in range(3)]
    y = np.zeros((x.shape[0], w.shape[0], *outs))
    cg, og = w.shape[1], w.shape[0] // groups
    for idx, box in _boxes(x.shape, w.shape[2:], s, p, d):
        for o in range(w.shape[0]):
            patch = xp[(slice(None), slice((o // og) * cg, (o // og + 1) * cg)) + box]
            y[(slice(None), o) + idx] = np.tensordot(patch, w[o], axes=4)
    return y if b is None else y + b.reshape(1, -1, 1, 1, 1)


def pool3d_ref(x, kernel_size, stride=None, padding=0, dilation=1, kind="max",
               count_include_pad=True, divisor_override=None):
    k = _triple(kernel_size)
    s, p, d = _triple(stride if stride is not None else kernel_size), _triple(padding), \
        _triple(dilation)
    fill = -np.inf if kind == "max" else 0.0
    xp = np.pad(x, ((0, 0), (0, 0)) + tuple((q, q) for q in p), constant_values=fill)
    valid = np.pad(np.ones(x.shape[2:]), tuple((q, q) for q in p))
    outs = [_out(x.shape[2 + i], k[i], s[i], p[i], d[i]) for i in range(3)]
    y = np.zeros(x.shape[:2] + tuple(outs))
    for idx, box in _boxes(x.shape, k, s, p, d):
        win = xp[(slice(None), slice(None)) + box].reshape(*x.shape[:2], -1)
        if kind == "max":
            y[(slice(None), slice(None)) + idx] = win.max(axis=-1)
            continue
        n = divisor_override or (np.prod(k) if count_include_pad else valid[box].sum())
        y[(slice(None), slice(None)) + idx] = win.sum(axis=-1) / n
    return y


def adaptive_avg3d_ref(x, output_size, reduce="mean"):
    sizes = [n if o is None else o for o, n in zip(_triple(output_size), x.shape[2:],
                                                   strict=True)]
    y = np.zeros(x.shape[:2] + tuple(sizes))
    for idx in np.ndindex(*sizes):
        box = tuple(slice((i * n) // o, -(-((i + 1) * n) // o))
                    for i, n, o in zip(idx, x.shape[2:], sizes, strict=True))
        y[(slice(None), slice(None)) + idx] = getattr(
            x[(slice(None), slice(None)) + box], reduce)(axis=(2, 3, 4))
    return y


def _tnf(name):
    def fn(torch, *args, **kw):
        return getattr(torch.nn.functional, name)(*args, **kw)

    return fn


for cid, xs, ws, attrs in [
        ("plain", (2, 2, 4, 4, 3), (3, 2, 2, 2, 2), {}),
        ("strided-padded-dilated-groups", (2, 4, 5, 4, 5), (4, 2, 2, 3, 2),
         dict(stride=(2, 1, 2), padding=(1, 1, 0), dilation=(1, 1, 2), groups=2))]:
    x, w = r(*xs), r(*ws)
    case("conv3d", x, w, ref=conv3d_ref, torch_fn=_tnf("conv3d"), id=cid, **attrs)
    case("conv3d", x, w, r(ws[0]), ref=conv3d_ref, torch_fn=_tnf("conv3d"), id=cid + "-bias",
         **attrs)


def conv_transpose3d_ref(x, w, b=None, stride=1, padding=0, output_padding=0, groups=1,
                         dilation=1):
    """Scatter each input cell's contribution through the kernel (the transpose's loop)."""
    s, p, op, d = _triple(stride), _triple(padding), _triple(output_padding), _triple(dilation)
    k = w.shape[2:]
    full = [(x.shape[2 + i] - 1) * s[i] + d[i] * (k[i] - 1) + 1 + op[i] for i in range(3)]
    y = np.zeros((x.shape[0], w.shape[1] * groups, *full))
    cin_g, cout_g = x.shape[1] // groups, w.shape[1]
    for idx in np.ndindex(*x.shape[2:]):
        for ci in range(x.shape[1]):
            g = ci // cin_g
            for kk in np.ndindex(*k):
                at = tuple(idx[a] * s[a] + kk[a] * d[a] for a in range(3))
                y[(slice(None), slice(g * cout_g, (g + 1) * cout_g)) + at] += \
                    x[(slice(None), ci) + idx][:, None] * w[(ci, slice(None)) + kk][None, :]
    y = y[(slice(None), slice(None)) + tuple(slice(p[i], full[i] - p[i]) for i in range(3))]
    return y if b is None else y + b.reshape(1, -1, 1, 1, 1)


for cid, xs, ws, attrs in [
        ("plain", (2, 2, 2, 3, 2), (2, 3, 2, 2, 2), {}),
        ("strided-padded-groups", (2, 4, 2, 2, 3), (4, 1, 3, 2, 2),
         dict(stride=(2, 1, 2), padding=(1, 0, 1), output_padding=(1, 0, 0), groups=2,
              dilation=(1, 2, 1)))]:
    x, w = r(*xs), r(*ws)
    case("conv_transpose3d", x, w, ref=conv_transpose3d_ref, torch_fn=_tnf("conv_transpose3d"),
         id=cid, **attrs)
    case("conv_transpose3d", x, w, r(ws[1] * attrs.get("groups", 1)),
         ref=conv_transpose3d_ref, torch_fn=_tnf("conv_transpose3d"), id=cid + "-bias", **attrs)
for cid, attrs in [("k2", dict(kernel_size=2)),
                   ("strided-padded", dict(kernel_size=(3, 2, 2), stride=(2, 1, 2),
                                           padding=(1, 1, 0))),
                   ("dilated", dict(kernel_size=2, stride=1, dilation=(2, 1, 1)))]:
    case("max_pool3d", r(2, 2, 5, 4, 4), ref=pool3d_ref, torch_fn=_tnf("max_pool3d"), id=cid,
         **attrs)
for cid, attrs in [("k2", dict(kernel_size=2)),
                   ("exclude-pad", dict(kernel_size=3, stride=2, padding=1,
                                        count_include_pad=False)),
                   ("include-pad", dict(kernel_size=(3, 2, 2), stride=(2, 1, 2),
                                        padding=(1, 1, 0))),
                   ("divisor", dict(kernel_size=2, stride=1, divisor_override=3))]:
    case("avg_pool3d", r(2, 2, 5, 4, 4), ref=lambda x, **a: pool3d_ref(x, kind="avg", **a),
         torch_fn=_tnf("avg_pool3d"), id=cid, **attrs)
for cid, size in [("shrink", (2, 3, 2)), ("uneven", 3), ("keep-none", (None, 1, 2))]:
    case("adaptive_avg_pool3d", r(2, 2, 5, 4, 4), output_size=size, ref=adaptive_avg3d_ref,
         torch_fn=_tnf("adaptive_avg_pool3d"), id=cid)
    case("adaptive_max_pool3d", r(2, 2, 5, 4, 4), output_size=size,
         ref=lambda x, output_size: adaptive_avg3d_ref(x, output_size, reduce="max"),
         torch_fn=_tnf("adaptive_max_pool3d"), id=cid)


# --- affine_grid, grid_sample: per-point loops ------------------------------------------------
def affine_grid_ref(theta, size, align_corners=False):
    spatial = size[2:]

    def coords(n):
        c = np.linspace(-1, 1, n) if n > 1 else np.zeros(1)
        return c if align_corners else c * (n - 1) / n

    out = np.zeros((size[0], *spatial, len(spatial)))
    for idx in np.ndindex(*spatial):
        point = [coords(n)[i] for i, n in zip(idx, spatial, strict=True)][::-1] + [1.0]
        out[(slice(None),) + idx] = theta @ np.array(point)
    return out


def _reflect_ref(p, lo, hi):
    """Fold p into [lo, hi] by mirror reflections (a loop, unlike the op's formula)."""
    if lo == hi:
        return 0.0
    while p < lo or p > hi:
        p = 2 * lo - p if p < lo else 2 * hi - p
    return p


def grid_sample_ref(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False):
    n, c, h, w = x.shape
    out = np.zeros((n, c) + grid.shape[1:3])
    for b, i, j in np.ndindex(n, *grid.shape[1:3]):
        pos = []
        for coord, size in zip(grid[b, i, j], (w, h), strict=True):
            p = (coord + 1) / 2 * (size - 1) if align_corners else ((coord + 1) * size - 1) / 2
            if padding_mode == "reflection":
                p = _reflect_ref(p, 0, size - 1) if align_corners else \
                    _reflect_ref(p, -0.5, size - 0.5)
            if padding_mode != "zeros":
                p = min(max(p, 0), size - 1)
            pos.append(p)
        px, py = pos

        def at(yy, xx, b=b):
            inside = 0 <= yy < h and 0 <= xx < w
            return x[b, :, yy, xx] if inside else np.zeros(c)

        if mode == "nearest":
            out[b, :, i, j] = at(int(np.rint(py)), int(np.rint(px)))
            continue
        x0, y0 = int(np.floor(px)), int(np.floor(py))
        fx, fy = px - x0, py - y0
        out[b, :, i, j] = (at(y0, x0) * (1 - fx) * (1 - fy) + at(y0, x0 + 1) * fx * (1 - fy)
                           + at(y0 + 1, x0) * (1 - fx) * fy + at(y0 + 1, x0 + 1) * fx * fy)
    return out


def grid_sample3d_ref(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False):
    """Trilinear: the 2-d reference along each depth pair, blended by the depth weight."""
    n, c, d = x.shape[:3]
    out = np.zeros((n, c) + grid.shape[1:4])
    for b, i, j, m in np.ndindex(n, *grid.shape[1:4]):
        z = grid[b, i, j, m, 2]
        pz = (z + 1) / 2 * (d - 1) if align_corners else ((z + 1) * d - 1) / 2
        if padding_mode == "reflection":
            pz = _reflect_ref(pz, 0, d - 1) if align_corners else _reflect_ref(pz, -0.5, d - 0.5)
            pz = min(max(pz, 0), d - 1)
        z0 = int(np.floor(pz))
        for zz, wz in ((z0, 1 - (pz - z0)), (z0 + 1, pz - z0)):
            if 0 <= zz < d:
                plane = grid_sample_ref(x[b:b + 1, :, zz], grid[b:b + 1, i, j:j + 1, m:m + 1, :2],
                                        mode, padding_mode, align_corners)
                out[b, :, i, j, m] += wz * plane[0, :, 0, 0]
    return out


for ac in (False, True):
    case("affine_grid", r(2, 2, 3), size=(2, 3, 4, 5), align_corners=ac, ref=affine_grid_ref,
         torch_fn=_tnf("affine_grid"), id=f"2d-align{ac}")
    case("affine_grid", r(2, 3, 4), size=(2, 1, 3, 2, 4), align_corners=ac,
         ref=affine_grid_ref, torch_fn=_tnf("affine_grid"), id=f"3d-align{ac}")
    for pm in ("zeros", "border", "reflection"):
        case("grid_sample", r(2, 2, 4, 5), r(2, 3, 4, 2, lo=-1.4, hi=1.4), mode="bilinear",
             padding_mode=pm, align_corners=ac, ref=grid_sample_ref,
             torch_fn=_tnf("grid_sample"), id=f"bilinear-{pm}-align{ac}")
    case("grid_sample", r(2, 2, 4, 5), r(2, 3, 4, 2, lo=-1.4, hi=1.4), mode="nearest",
         padding_mode="zeros", align_corners=ac, ref=grid_sample_ref, grad=False,
         torch_fn=_tnf("grid_sample"), id=f"nearest-align{ac}")
    for pm in ("zeros", "reflection"):
        case("grid_sample", r(1, 2, 3, 4, 3), r(1, 2, 3, 2, 3, lo=-1.4, hi=1.4),
             mode="bilinear", padding_mode=pm, align_corners=ac, ref=grid_sample3d_ref,
             torch_fn=_tnf("grid_sample"), id=f"trilinear-{pm}-align{ac}")


# --- CTC: brute force over every alignment path -------------------------------------------------
def _collapse(path, blank):
    out, prev = [], None
    for c in path:
        if c != prev and c != blank:
            out.append(c)
        prev = c
    return out


def _ctc_brute(lp, targets, input_lengths, target_lengths, blank):
    """Per sequence: the nll and the posterior gamma[t, c] of being in class c at time t."""
    t_max, n, c = lp.shape
    nll, gamma = np.zeros(n), np.zeros(lp.shape)
    for b in range(n):
        t_len, want = int(input_lengths[b]), list(targets[b, :target_lengths[b]])
        total = 0.0
        for path in np.ndindex(*(c,) * t_len):
            if _collapse(path, blank) == want:
                p = np.exp(sum(lp[t, b, k] for t, k in enumerate(path)))
                total += p
                for t, k in enumerate(path):
                    gamma[t, b, k] += p
        nll[b] = -np.log(total)
        gamma[:, b] /= total
    return nll, gamma


def ctc_core_ref(lp, targets, input_lengths, target_lengths, blank=0, zero_infinity=False):
    return _ctc_brute(lp, targets, input_lengths, target_lengths, blank)[0]


def ctc_ref(lp, targets, input_lengths, target_lengths, blank=0, reduction="mean",
            zero_infinity=False):
    nll = ctc_core_ref(lp, targets, input_lengths, target_lengths, blank)
    if reduction == "none":
        return nll
    return nll.sum() if reduction == "sum" else (nll / np.maximum(target_lengths, 1)).mean()


def ctc_grad_ref(g, lp, targets, input_lengths, target_lengths, blank=0, zero_infinity=False):
    """PyTorch's formula: exp(lp) - gamma, zero past each input's length, times g."""
    gamma = _ctc_brute(lp, targets, input_lengths, target_lengths, blank)[1]
    grad = (np.exp(lp) - gamma) * g[None, :, None]
    grad[np.arange(lp.shape[0])[:, None] >= np.asarray(input_lengths)[None, :]] = 0.0
    return grad


def _log_softmax(a):
    a = a - a.max(axis=-1, keepdims=True)
    return a - np.log(np.exp(a).sum(axis=-1, keepdims=True))


def _ctc_torch_grad(torch, g, lp, targets, input_lengths, target_lengths, **attrs):
    x = lp.detach().clone().requires_grad_(True)
    loss = torch.nn.functional.ctc_loss(x, targets, input_lengths, target_lengths,
                                        reduction="none", **attrs)
    return torch.autograd.grad(loss, x, g)[0]


_lp = _log_softmax(r(5, 2, 3) * 2)
_ctc_args = (_lp, np.array([[1, 2], [2, 0]]), np.array([5, 4]), np.array([2, 1]))
for red in ("mean", "sum", "none"):
    case("ctc_loss", *_ctc_args, reduction=red, ref=ctc_ref, torch_fn=_tnf("ctc_loss"),
         grad=False, id=red)
case("ctc_loss", _lp, np.array([[0, 1], [1, 1]]), np.array([5, 4]), np.array([2, 2]), blank=2,
     ref=ctc_ref, torch_fn=_tnf("ctc_loss"), grad=False, id="blank-last-repeat")
case("ctc_loss_core", *_ctc_args, ref=ctc_core_ref,
     torch_fn=lambda torch, *a, **k: torch.nn.functional.ctc_loss(*a, reduction="none", **k),
     grad=False)
case("ctc_loss_grad", r(2), *_ctc_args, ref=ctc_grad_ref, torch_fn=_ctc_torch_grad, grad=False)
