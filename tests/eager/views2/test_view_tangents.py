"""Forward-mode tangents through writes into views reach the base, as PyTorch's (a view's
tangent is a view of its base's), with and without a graph recorded."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import eager


def _tangent_after_writes(lib, requires_grad: bool):
    fw = lib.autograd.forward_ad
    with fw.dual_level():
        primal = lib.tensor([1.0, 2.0, 3.0, 4.0], dtype=lib.float64,
                            requires_grad=requires_grad)
        d = fw.make_dual(primal, lib.tensor([1.0, 0.5, 0.0, -1.0], dtype=lib.float64))
        y = d * 1
        y[0:2].mul_(y[1:3] * 1)
        y.view(2, 2)[1].add_(d[:2])
        y[3:].zero_()
        return fw.unpack_dual(y).primal.detach().numpy(), fw.unpack_dual(y).tangent.detach().numpy()


# torch's first make_dual loads its jvp decompositions through the deprecated jit.script
@pytest.mark.filterwarnings("ignore:`torch.jit.:DeprecationWarning")
@pytest.mark.parametrize("requires_grad", [False, True])
def test_tangents_of_a_base_written_through_views_as_torch(requires_grad):
    want = _tangent_after_writes(torch, requires_grad)
    got = _tangent_after_writes(eager, requires_grad)
    np.testing.assert_allclose(got[0], want[0], rtol=1e-12)
    np.testing.assert_allclose(got[1], want[1], rtol=1e-12)
