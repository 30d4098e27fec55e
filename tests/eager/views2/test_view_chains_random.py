"""Random chains of views and in-place writes (seeded), each run through torch and eager:
the values, both gradients, and whether backward refuses, must agree. One program: views of
``y = x * 1.5`` (slices, selects, transposes, reshapes, diagonals, steps, narrows, chained),
each written in place (by ``w``, constants, ``sin_``, ``fill_``, ``copy_``), some views used
before later writes, then every view in the loss."""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch

import eager

VIEWS = [
    lambda t, r: t[r.randrange(0, t.shape[0] - 1):] if t.ndim and t.shape[0] > 1 else t,
    lambda t, r: t[r.randrange(t.shape[0])] if t.ndim >= 2 else t,
    lambda t, r: t.t() if t.ndim == 2 else t,
    lambda t, r: t.reshape(-1) if t.is_contiguous() else t,
    lambda t, r: t.diagonal() if t.ndim == 2 else t,
    lambda t, r: t.unsqueeze(0),
    lambda t, r: t.narrow(-1, 0, max(1, t.shape[-1] - 1)) if t.ndim else t,
    lambda t, r: t[::2] if t.ndim else t,
]


def _part(w, v):
    return w[: v.numel()].reshape(v.shape) if v.numel() <= w.numel() else None


WRITES = [
    lambda v, w: v.mul_(2.0 if _part(w, v) is None else _part(w, v)),
    lambda v, w: v.add_(1.5),
    lambda v, w: v.sin_(),
    lambda v, w: v.fill_(0.25),
    lambda v, w: v.copy_(v * 2 if _part(w, v) is None else _part(w, v) * 3),
    lambda v, w: v.div_(3.0),
]


def _program(lib, seed: int):
    r = random.Random(seed)
    values = np.random.default_rng(seed)
    x = lib.tensor(values.standard_normal((4, 5)), dtype=lib.float64, requires_grad=True)
    w = lib.tensor(values.standard_normal(20), dtype=lib.float64, requires_grad=True)
    y = x * 1.5
    views, uses = [y], []
    for _ in range(r.randrange(2, 6)):
        v = r.choice(views)
        for _ in range(r.randrange(1, 3)):
            v = r.choice(VIEWS)(v, r)
        views.append(v)
        if r.random() < 0.3:
            uses.append((views[r.randrange(len(views))] * 1.0).sum())
        r.choice(WRITES)(v, w)
    loss = (y * y).sum() + sum(uses) + sum((v * v).sum() for v in views[1:])
    try:
        loss.backward()
    except RuntimeError as e:
        return str(e).splitlines()[0]
    grads = [t.grad.numpy() if t.grad is not None else None for t in (x, w)]
    return [y.detach().numpy(), *grads]


@pytest.mark.parametrize("seed", range(0, 400, 16))
def test_random_view_chains_agree_with_torch(seed):
    want, got = _program(torch, seed), _program(eager, seed)
    if isinstance(want, str):
        assert got == want
        return
    for expected, actual in zip(want, got, strict=True):
        if expected is None:
            assert actual is None
        else:
            np.testing.assert_allclose(actual, expected, rtol=1e-9, atol=1e-12)
