"""The second batch's Tensor methods on static graph values: traced once, run, equal to torch
(the same table serves both modes); the in-place ones are functional updates of the value."""

from __future__ import annotations

import numpy as np
import pytest
from surface_pairs import torch

import eager
import static

RNG = np.random.default_rng(1606)
X = RNG.uniform(-2.0, 3.0, (3, 4)).astype(np.float32)

CALLS = {
    "fill_diagonal_": lambda x: (x * 1).fill_diagonal_(-1.0),
    "index_fill_": lambda x: (x * 1).index_fill_(1, x.new_tensor([3, 0]).long(), 2.0),
    "index_fill": lambda x: x.index_fill(0, x.new_tensor([1]).long(), 0.5),
    "kron": lambda x: x[:2, :2].kron(x[0]),
    "rot90": lambda x: x.rot90(1, [0, 1]),
    "take": lambda x: x.take(x.new_tensor([[0, 11], [-1, 5]]).long()),
    "cummax": lambda x: x.cummax(1).values,
    "cummin-indices": lambda x: x.cummin(0).indices,
    "logcumsumexp": lambda x: x.logcumsumexp(1),
    "nanmedian": lambda x: x.nanmedian(1).values,
    "cov": lambda x: x.cov(),
    "corrcoef": lambda x: x.corrcoef(),
    "baddbmm": lambda x: x[:, :3].baddbmm(x[None], x.t()[None, :, :3], alpha=0.5),
    "addr": lambda x: x.addr(x[:, 0], x[0], beta=2),
    "sinc": lambda x: x.sinc(),
    "copysign": lambda x: x.copysign(x[0]),
    "erfc": lambda x: x.erfc(),
    "div-trunc": lambda x: x.div(0.7, rounding_mode="trunc"),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_traced_method_agrees_with_torch(name):
    run = static.trace(CALLS[name], static.TensorSpec(X.shape))
    # eager.testing.assert_close checks dtype and shape as well as the values.
    eager.testing.assert_close(eager.tensor(np.asarray(run(X))),
                               eager.tensor(CALLS[name](torch.tensor(X)).numpy()),
                               rtol=1e-5, atol=1e-6)
