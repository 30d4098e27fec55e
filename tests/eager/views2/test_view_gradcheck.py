"""Gradients through in-place ops on views against central finite differences (float64),
for each kind of view and for chains: views of views, two writes, a stale view used after
its base changed, gradients of gradients (gradgradcheck by hand: backward of a recorded
gradient, checked by finite differences of the gradient itself)."""

from __future__ import annotations

import numpy as np
import pytest

import eager
from eager.autograd import gradcheck


def _slice_mul(x, w):
    y = x * 1
    y[:, 1:3].mul_(w[:, :3].t())
    return (y * y).sum()


def _select_and_narrow(x, w):
    y = x.exp()
    y.narrow(1, 0, 2).add_(w.t()[:3])
    y.select(0, 1).mul_(w[1])
    return (y ** 2).sum()


def _squeeze_unsqueeze_permute(x, w):
    y = (x * 2).unsqueeze(0)
    y.squeeze(0).permute(1, 0)[1:].div_(w[0, :3] + 3)
    return y.sin().sum()


def _diagonal_and_transpose(x, w):
    y = x[:, :3] * 1
    y.diagonal().mul_(w[0, :3])
    y.t().diagonal(1).sub_(w[1, :2])
    return (y.tanh() * x[:, :3]).sum()


def _view_of_view_twice(x, w):
    y = x * 1
    v = y.reshape(-1)[2:10].view(2, 4)
    v.mul_(w)
    v.clamp_(min=-0.5)
    return (v.sum() * y).sum()


def _stale_view_used_after(x, w):
    y = x + 0
    older = y[1]  # made before the write through `newer`, used after it
    newer = y[:, 0]
    newer.mul_(w[0, :3])
    return (older * older).sum() + y.sum()


def _index_put_on_reshape(x, w):
    y = x * 1
    flat = y.reshape(-1)
    flat[eager.tensor([0, 5, 7])] = w[0, :3]
    y.view(-1)[eager.tensor([1, 2])] += w[1, :2]
    return (y * x).sum()


FUNCTIONS = [_slice_mul, _select_and_narrow, _squeeze_unsqueeze_permute,
             _diagonal_and_transpose, _view_of_view_twice, _stale_view_used_after,
             _index_put_on_reshape]


def _inputs():
    rng = np.random.default_rng(3)
    x = eager.tensor(rng.uniform(0.5, 1.5, (3, 4)), requires_grad=True)
    w = eager.tensor(rng.uniform(0.5, 1.5, (2, 4)), requires_grad=True)
    return x, w


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f.__name__.strip("_"))
def test_gradients_match_finite_differences(fn):
    assert gradcheck(fn, _inputs())


@pytest.mark.parametrize("fn", [_slice_mul, _diagonal_and_transpose, _stale_view_used_after],
                         ids=lambda f: f.__name__.strip("_"))
def test_second_order_through_copy_slices(fn):
    def first_gradient_sum(x, w):
        gx, gw = eager.autograd.grad(fn(x, w), (x, w), create_graph=True)
        return (gx * gx).sum() + gw.sum()

    assert gradcheck(first_gradient_sum, _inputs())
