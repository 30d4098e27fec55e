"""Golden tests: the listing before and after `simplify` for every rewrite rule.

Each case builds ``tanh(<pattern>)`` (the tanh shows where the rewritten value is used) and
pins both listings as exact text, so a change in any rule shows up as a readable diff."""

from __future__ import annotations

import numpy as np
import pytest

import shared_ops as ops
import static
from static.compiler import compile
from static.compiler.simplify_rules import RULES


def P(shape=(2, 3), name="x"):  # noqa: N802 -- reads like a pattern variable
    return static.placeholder(shape, name=name)


BUILD = {
    "add_zero": lambda: ops.add(P(), 0.0),
    "sub_zero": lambda: ops.sub(P(), 0.0),
    "sub_self": lambda: (lambda x: ops.sub(x, x))(P()),
    "mul_one": lambda: ops.mul(1.0, P()),
    "div_one": lambda: ops.div(P(), 1.0),
    "pow_one": lambda: ops.pow(P(), 1.0),
    "neg_neg": lambda: ops.neg(ops.neg(P())),
    "exp_log": lambda: ops.exp(ops.log(P())),
    "log_exp": lambda: ops.log(ops.exp(P())),
    "log_softmax": lambda: ops.log(ops.softmax(P(), axis=1)),
    "transpose_transpose": lambda: ops.transpose(ops.transpose(P((2, 3, 4)), axes=(1, 2, 0)),
                                                 axes=(0, 2, 1)),
    "reshape_reshape": lambda: ops.reshape(ops.reshape(P(), shape=(3, 2)), shape=(6,)),
    "reshape_same": lambda: ops.reshape(P(), shape=(2, 3)),
    "broadcast_same": lambda: ops.broadcast_to(P(), shape=(2, 3)),
    "sum_to_same": lambda: ops.sum_to(P(), shape=(2, 3)),
    "cast_same": lambda: ops.cast(P(), dtype=np.dtype("float32")),
    "squeeze_expand": lambda: ops.squeeze(ops.expand_dims(P(), axis=1), axis=1),
    "broadcast_scalar": lambda: ops.mul(P(), ops.broadcast_to(
        static.constant(np.float32(2.0), name="two"), shape=(2, 3))),
}


GOLDEN = {
    "add_zero": (
        '%x: f32[2,3] = placeholder()\n'
        '%constant: f32[] = constant(0.0)\n'
        '%add: f32[2,3] = add(%x, %constant)\n'
        '%tanh: f32[2,3] = tanh(%add)',
        '%x: f32[2,3] = placeholder()\n'
        '%tanh: f32[2,3] = tanh(%x)',
    ),
    "sub_zero": (
        '%x: f32[2,3] = placeholder()\n'
        '%constant: f32[] = constant(0.0)\n'
        '%sub: f32[2,3] = sub(%x, %constant)\n'
        '%tanh: f32[2,3] = tanh(%sub)',
        '%x: f32[2,3] = placeholder()\n'
        '%tanh: f32[2,3] = tanh(%x)',
    ),
    "sub_self": (
        '%x: f32[2,3] = placeholder()\n'
        '%sub: f32[2,3] = sub(%x, %x)\n'
        '%tanh: f32[2,3] = tanh(%sub)',
        '%x: f32[2,3] = placeholder()\n'
        '%sub: f32[2,3] = full_like(%x, fill_value=0)\n'
        '%tanh: f32[2,3] = tanh(%sub)',
    ),
    "mul_one": (
        '%x: f32[2,3] = placeholder()\n'
        '%constant: f32[] = constant(1.0)\n'
        '%mul: f32[2,3] = mul(%constant, %x)\n'
        '%tanh: f32[2,3] = tanh(%mul)',
        '%x: f32[2,3] = placeholder()\n'
        '%tanh: f32[2,3] = tanh(%x)',
    ),
    "div_one": (
        '%x: f32[2,3] = placeholder()\n'
        '%constant: f32[] = constant(1.0)\n'
        '%div: f32[2,3] = div(%x, %constant)\n'
        '%tanh: f32[2,3] = tanh(%div)',
        '%x: f32[2,3] = placeholder()\n'
        '%tanh: f32[2,3] = tanh(%x)',
    ),
    "pow_one": (
        '%x: f32[2,3] = placeholder()\n'
        '%constant: f32[] = constant(1.0)\n'
        '%pow: f32[2,3] = pow(%x, %constant)\n'
        '%tanh: f32[2,3] = tanh(%pow)',
        '%x: f32[2,3] = placeholder()\n'
        '%tanh: f32[2,3] = tanh(%x)',
    ),
    "neg_neg": (
        '%x: f32[2,3] = placeholder()\n'
        '%neg: f32[2,3] = neg(%x)\n'
        '%neg_1: f32[2,3] = neg(%neg)\n'
        '%tanh: f32[2,3] = tanh(%neg_1)',
        '%x: f32[2,3] = placeholder()\n'
        '%tanh: f32[2,3] = tanh(%x)',
    ),
    "exp_log": (
        '%x: f32[2,3] = placeholder()\n'
        '%log: f32[2,3] = log(%x)\n'
        '%exp: f32[2,3] = exp(%log)\n'
        '%tanh: f32[2,3] = tanh(%exp)',
        '%x: f32[2,3] = placeholder()\n'
        '%tanh: f32[2,3] = tanh(%x)',
    ),
    "log_exp": (
        '%x: f32[2,3] = placeholder()\n'
        '%exp: f32[2,3] = exp(%x)\n'
        '%log: f32[2,3] = log(%exp)\n'
        '%tanh: f32[2,3] = tanh(%log)',
        '%x: f32[2,3] = placeholder()\n'
        '%tanh: f32[2,3] = tanh(%x)',
    ),
    "log_softmax": (
        '%x: f32[2,3] = placeholder()\n'
        '%softmax_shift: f32[2,1] = softmax_shift(%x, axis=1)\n'
        '%sub: f32[2,3] = sub(%x, %softmax_shift)\n'
        '%exp: f32[2,3] = exp(%sub)\n'
        '%sum: f32[2,1] = sum(%exp, axis=1, keepdims=True)\n'
        '%div: f32[2,3] = div(%exp, %sum)\n'
        '%log: f32[2,3] = log(%div)\n'
        '%tanh: f32[2,3] = tanh(%log)',
        '%x: f32[2,3] = placeholder()\n'
        '%softmax_shift: f32[2,1] = softmax_shift(%x, axis=1)\n'
        '%sub: f32[2,3] = sub(%x, %softmax_shift)\n'
        '%log_logsumexp: f32[2,1] = logsumexp(%sub, axis=1, keepdims=True)\n'
        '%log: f32[2,3] = sub(%sub, %log_logsumexp)\n'
        '%tanh: f32[2,3] = tanh(%log)',
    ),
    "transpose_transpose": (
        '%x: f32[2,3,4] = placeholder()\n'
        '%transpose: f32[3,4,2] = transpose(%x, axes=(1, 2, 0))\n'
        '%transpose_1: f32[3,2,4] = transpose(%transpose, axes=(0, 2, 1))\n'
        '%tanh: f32[3,2,4] = tanh(%transpose_1)',
        '%x: f32[2,3,4] = placeholder()\n'
        '%transpose_1: f32[3,2,4] = transpose(%x, axes=(1, 0, 2))\n'
        '%tanh: f32[3,2,4] = tanh(%transpose_1)',
    ),
    "reshape_reshape": (
        '%x: f32[2,3] = placeholder()\n'
        '%reshape: f32[3,2] = reshape(%x, shape=(3, 2))\n'
        '%reshape_1: f32[6] = reshape(%reshape, shape=(6,))\n'
        '%tanh: f32[6] = tanh(%reshape_1)',
        '%x: f32[2,3] = placeholder()\n'
        '%reshape_1: f32[6] = reshape(%x, shape=(6,))\n'
        '%tanh: f32[6] = tanh(%reshape_1)',
    ),
    "reshape_same": (
        '%x: f32[2,3] = placeholder()\n'
        '%reshape: f32[2,3] = reshape(%x, shape=(2, 3))\n'
        '%tanh: f32[2,3] = tanh(%reshape)',
        '%x: f32[2,3] = placeholder()\n'
        '%tanh: f32[2,3] = tanh(%x)',
    ),
    "broadcast_same": (
        '%x: f32[2,3] = placeholder()\n'
        '%broadcast_to: f32[2,3] = broadcast_to(%x, shape=(2, 3))\n'
        '%tanh: f32[2,3] = tanh(%broadcast_to)',
        '%x: f32[2,3] = placeholder()\n'
        '%tanh: f32[2,3] = tanh(%x)',
    ),
    "sum_to_same": (
        '%x: f32[2,3] = placeholder()\n'
        '%sum_to: f32[2,3] = sum_to(%x, shape=(2, 3))\n'
        '%tanh: f32[2,3] = tanh(%sum_to)',
        '%x: f32[2,3] = placeholder()\n'
        '%tanh: f32[2,3] = tanh(%x)',
    ),
    "cast_same": (
        '%x: f32[2,3] = placeholder()\n'
        '%cast: f32[2,3] = cast(%x, dtype=f32)\n'
        '%tanh: f32[2,3] = tanh(%cast)',
        '%x: f32[2,3] = placeholder()\n'
        '%tanh: f32[2,3] = tanh(%x)',
    ),
    "squeeze_expand": (
        '%x: f32[2,3] = placeholder()\n'
        '%expand_dims: f32[2,1,3] = expand_dims(%x, axis=1)\n'
        '%squeeze: f32[2,3] = squeeze(%expand_dims, axis=1)\n'
        '%tanh: f32[2,3] = tanh(%squeeze)',
        '%x: f32[2,3] = placeholder()\n'
        '%tanh: f32[2,3] = tanh(%x)',
    ),
    "broadcast_scalar": (
        '%x: f32[2,3] = placeholder()\n'
        '%two: f32[] = constant(2.0)\n'
        '%broadcast_to: f32[2,3] = broadcast_to(%two, shape=(2, 3))\n'
        '%mul: f32[2,3] = mul(%x, %broadcast_to)\n'
        '%tanh: f32[2,3] = tanh(%mul)',
        '%x: f32[2,3] = placeholder()\n'
        '%two: f32[] = constant(2.0)\n'
        '%mul: f32[2,3] = mul(%x, %two)\n'
        '%tanh: f32[2,3] = tanh(%mul)',
    ),
}


def test_every_rule_has_a_golden_case():
    assert {r.name for r in RULES} == set(GOLDEN) == set(BUILD)


@pytest.mark.parametrize("rule", sorted(GOLDEN))
def test_rule_listing_before_and_after(rule):
    with static.Graph() as g:
        y = ops.tanh(BUILD[rule]())
    before, after = GOLDEN[rule]
    assert "\n".join(n.listing() for n in g.nodes) == before
    c = compile(g, y, passes=["simplify"])
    assert "\n".join(n.listing() for n in c.graph.nodes) == after
    assert c.reports[0].rewrites[rule] == 1
    rng = np.random.default_rng(0)
    xb = rng.uniform(0.5, 2.0, g["x"].shape).astype(np.float32)  # positive: exp(log x) = x
    np.testing.assert_allclose(c(xb)[0], static.Session(g).run(y, {"x": xb}), rtol=1e-6)
