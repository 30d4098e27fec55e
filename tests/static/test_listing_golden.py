"""Golden tests: the exact text listing of a small graph and of its gradient graph.

The graph is built by `build` below; the listing names this file and its lines, so moving
`build` changes the expected text on purpose (update both together).
"""
# Golden listings are pinned verbatim, long comment columns included.
# ruff: noqa: E501

import numpy as np

import shared_ops as ops
import static


def build():
    g = static.Graph()
    with g:
        x = static.placeholder((None, 3), name="x")
        w = static.variable(np.ones((3, 2), np.float32), name="fc1.weight")
        h = ops.tanh(x @ w)
        loss = ops.sum(h * h, axis=1, keepdims=True)
    return g, x, w, loss


FORWARD = """\
%x: f32[?,3] = placeholder()                       # test_listing_golden.py:18
%fc1.weight: f32[3,2] = variable()                 # test_listing_golden.py:19
%matmul: f32[?,2] = matmul(%x, %fc1.weight)        # test_listing_golden.py:20
%tanh: f32[?,2] = tanh(%matmul)                    # test_listing_golden.py:20
%mul: f32[?,2] = mul(%tanh, %tanh)                 # test_listing_golden.py:21
%sum: f32[?,1] = sum(%mul, axis=1, keepdims=True)  # test_listing_golden.py:21"""

BACKWARD = """\
%ones: f32[] = constant(1.0)                                   # test_listing_golden.py:53, grad of %sum
%broadcast_to: f32[?,1] = broadcast_to(%ones, %sum)            # test_listing_golden.py:53, grad of %sum
%broadcast_to_1: f32[?,2] = broadcast_to(%broadcast_to, %mul)  # test_listing_golden.py:53, grad of %sum
%mul_1: f32[?,2] = mul(%broadcast_to_1, %tanh)                 # test_listing_golden.py:53, grad of %mul
%mul_2: f32[?,2] = mul(%broadcast_to_1, %tanh)                 # test_listing_golden.py:53, grad of %mul
%add: f32[?,2] = add(%mul_1, %mul_2)                           # test_listing_golden.py:53, grad of %tanh
%tanh_grad: f32[?,2] = tanh_grad(%add, %tanh)                  # test_listing_golden.py:53, grad of %tanh
%transpose: f32[3,?] = transpose(%x, axes=(1, 0))              # test_listing_golden.py:53, grad of %matmul
%matmul_1: f32[3,2] = matmul(%transpose, %tanh_grad)           # test_listing_golden.py:53, grad of %matmul"""


def test_forward_listing():
    g, *_ = build()
    assert str(g) == FORWARD


def test_gradient_listing():
    g, x, w, loss = build()
    n_forward = len(g)
    static.gradients(loss, [w])
    backward = static.graph.format_listing(g.nodes[n_forward:])
    assert backward == BACKWARD


def test_attrs_print_compactly():
    with static.Graph():
        x = static.placeholder((None, 4), dtype="float64", name="x")
        lines = [
            ops.cast(x, dtype=np.dtype("float32")).listing(),
            ops.sum(x).listing(),
            ops.sum(x, axis=(0, 1)).listing(),
            ops.reshape(x, shape=(-1,)).listing(),
            (x * 0.9).inputs[1].listing(),
            static.variable([1.0], name="slot", trainable=False).listing(),
        ]
    assert lines == [
        "%cast: f32[?,4] = cast(%x, dtype=f32)",
        "%sum: f64[] = sum(%x)",
        "%sum_1: f64[] = sum(%x, axis=(0, 1))",
        "%reshape: f64[?] = reshape(%x, shape=(-1,))",
        "%constant: f64[] = constant(0.9)",
        "%slot: f32[1] = variable(trainable=False)",
    ]
