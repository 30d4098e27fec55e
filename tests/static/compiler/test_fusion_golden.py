"""Golden listings of the fusion patterns and gradient cleanups, after the full pipeline.

Each graph is tiny and pins the exact text the optimized graph prints, so a change in a
pattern (what it matches, what it emits, which attrs) shows up as a readable diff."""

from __future__ import annotations

import numpy as np
import pytest

import shared_ops as ops
import static
from static.compiler import compile


def ce():  # log_softmax + nll_loss -> one kernel
    x = static.placeholder((4, 3), name="x")
    t = static.placeholder((4,), np.int64, name="t")
    return [ops.cross_entropy(x, t)]


def bce():  # BCE of a sigmoid: PyTorch's clamped kernel (the logits form would not clamp)
    z = static.placeholder((4, 1), name="z")
    y = static.placeholder((4, 1), name="y")
    return [ops.binary_cross_entropy(ops.sigmoid(z), y)]


def bcel():  # BCE with logits -> one stable kernel
    z = static.placeholder((4, 1), name="z")
    y = static.placeholder((4, 1), name="y")
    return [ops.binary_cross_entropy_with_logits(z, y)]


def lin():  # matmul + bias + relu
    x = static.placeholder((4, 3), name="x")
    w = static.variable(np.ones((3, 2), np.float32), name="w")
    b = static.variable(np.zeros(2, np.float32), name="b")
    return [ops.relu(x @ w + b)]


def addn():  # three gradient contributions, seeded with ones -> add_n, no mul by 1
    w = static.variable(np.ones(3, np.float32), name="w")
    y = ops.sum(ops.add(ops.add(ops.exp(w), ops.sin(w)), ops.tanh(w)))
    return static.gradients(y, [w])


GOLDEN = {
    "ce": (
        '%x: f32[4,3] = placeholder()\n'
        '%t: i64[4] = placeholder()\n'
        "%nll_loss: f32[] = softmax_cross_entropy(%x, %t, reduction='mean', ignore_index=-100)"
    ),
    "bce": (
        '%z: f32[4,1] = placeholder()\n'
        '%y: f32[4,1] = placeholder()\n'
        '%sigmoid: f32[4,1] = sigmoid(%z)\n'
        "%clamped_bce: f32[] = clamped_bce(%sigmoid, %y, reduction='mean')"
    ),
    "bcel": (
        '%z: f32[4,1] = placeholder()\n'
        '%y: f32[4,1] = placeholder()\n'
        "%div: f32[] = sigmoid_bce(%z, %y, reduction='mean')"
    ),
    "lin": (
        '%x: f32[4,3] = placeholder()\n'
        '%w: f32[3,2] = variable()\n'
        '%b: f32[2] = variable()\n'
        "%relu: f32[4,2] = linear_act(%x, %w, %b, activation='relu')"
    ),
    "addn": (
        '%w: f32[3] = variable()\n'
        '%exp: f32[3] = exp(%w)\n'
        '%tanh: f32[3] = tanh(%w)\n'
        '%broadcast_to: f32[3] = constant()\n'
        '%tanh_grad: f32[3] = tanh_grad(%broadcast_to, %tanh)\n'
        '%cos: f32[3] = cos(%w)\n'
        '%add_3: f32[3] = add_n(%tanh_grad, %cos, %exp)'
    ),
}
BUILD = {"ce": ce, "bce": bce, "bcel": bcel, "lin": lin, "addn": addn}


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_optimized_listing(name):
    with static.Graph() as g:
        fetches = BUILD[name]()
    c = compile(g, fetches)
    assert "\n".join(n.listing() for n in c.graph.nodes) == GOLDEN[name]
