"""Op cases of the nn layer options added for issue 16 (F23): average pooling in ceil mode and
with ``divisor_override``, walked by ``test_registry_walk.py``: NumPy reference, torch oracle
and float64 finite differences.

The references loop over output positions with PyTorch's window rule written out: a window
starts at ``o * s - p``, ends at ``min(start + k, n + p)`` (only ceil mode's last window is
clipped there), and without ``count_include_pad`` only its cells inside the input count.
"""

from __future__ import annotations

import numpy as np
from opcases import OpCase, case_collector, uniform_data

CASES: list[OpCase] = []
case = case_collector(CASES)
r = uniform_data(np.random.default_rng(16_2027))


def torch_avg_pool(torch, x, **attrs):
    """The torch oracle: ``F.avg_pool2d`` or ``F.avg_pool3d`` by the input's rank."""
    functional = torch.nn.functional
    return (functional.avg_pool2d if x.ndim == 4 else functional.avg_pool3d)(x, **attrs)


def _n_out(n, k, s, p, ceil_mode):
    if not ceil_mode:
        return (n + 2 * p - k) // s + 1
    out = -(-(n + 2 * p - k) // s) + 1
    return out - 1 if (out - 1) * s >= n + p else out


def avg_pool_ref(x, kernel_size, stride=None, padding=0, count_include_pad=True,
                 ceil_mode=False, divisor_override=None):
    nd = x.ndim - 2
    k = (kernel_size,) * nd if isinstance(kernel_size, int) else tuple(kernel_size)
    s = k if stride is None else ((stride,) * nd if isinstance(stride, int) else tuple(stride))
    p = (padding,) * nd if isinstance(padding, int) else tuple(padding)
    sizes = x.shape[2:]
    outs = [_n_out(sizes[a], k[a], s[a], p[a], ceil_mode) for a in range(nd)]
    y = np.zeros(x.shape[:2] + tuple(outs))
    for idx in np.ndindex(*outs):
        lo = [idx[a] * s[a] - p[a] for a in range(nd)]
        hi = [min(lo[a] + k[a], sizes[a] + p[a]) for a in range(nd)]
        inside = tuple(slice(max(lo[a], 0), min(hi[a], sizes[a])) for a in range(nd))
        total = x[(slice(None), slice(None)) + inside].sum(axis=tuple(range(2, 2 + nd)))
        if divisor_override is not None:
            div = divisor_override
        elif count_include_pad:
            div = np.prod([hi[a] - lo[a] for a in range(nd)])
        else:
            div = np.prod([sl.stop - sl.start for sl in inside])
        y[(slice(None), slice(None)) + idx] = total / div
    return y


for cid, attrs in [("ceil", dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
                   ("ceil-exclude-pad", dict(kernel_size=3, stride=2, padding=1, ceil_mode=True,
                                             count_include_pad=False)),
                   ("ceil-no-pad", dict(kernel_size=2, stride=2, ceil_mode=True)),
                   ("ceil-divisor", dict(kernel_size=(3, 2), stride=(2, 3), padding=(1, 0),
                                         ceil_mode=True, divisor_override=5)),
                   ("divisor", dict(kernel_size=2, stride=1, divisor_override=3))]:
    case("avg_pool2d", r(2, 2, 6, 7), ref=avg_pool_ref, torch_fn=torch_avg_pool, id=cid,
         **attrs)
for cid, attrs in [("ceil", dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
                   ("ceil-exclude-pad", dict(kernel_size=(2, 3, 2), stride=2, padding=(1, 1, 0),
                                             ceil_mode=True, count_include_pad=False)),
                   ("ceil-divisor", dict(kernel_size=2, ceil_mode=True, divisor_override=3))]:
    case("avg_pool3d", r(1, 2, 5, 6, 5), ref=avg_pool_ref, torch_fn=torch_avg_pool, id=cid,
         **attrs)
