"""``set_default_dtype`` against torch, rule by rule: factories, Python floats, promotion of
integers by a float, float-only math on integers, layer parameters, printing, and the errors."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

# Each is evaluated with ``T`` bound to torch, then to eager, after both set the same default.
EXPRESSIONS = [
    "T.tensor([1.5])", "T.tensor(2.5)", "T.tensor([[1, 2], [3.5, 4]])",
    "T.tensor([1.5], dtype=T.float32)", "T.tensor([1, 2])", "T.zeros(2)", "T.ones(2, 1)",
    "T.empty(2).dtype", "T.full((2,), 1.5)", "T.full((2,), 2)", "T.arange(0.0, 3)",
    "T.arange(3)", "T.arange(0, 1, 0.25)", "T.linspace(0, 1, 3)", "T.eye(2)",
    "T.zeros_like(T.zeros(2, dtype=T.float32))", "T.ones_like(T.tensor([1, 2]))",
    "T.full_like(T.zeros(2, dtype=T.float32), 0.5)", "T.tensor([1, 2]) * 1.5",
    "T.tensor([1, 2]) / 2", "T.tensor(3) * 0.5", "T.tensor([True]) + 1.5",
    "T.tensor([1, 2], dtype=T.int32) * T.tensor(1.5)", "T.tensor([1, 2]).exp()",
    "T.tensor([1, 2]).sqrt()", "T.tensor([1, 2]).log2()", "T.tensor([[1, 2], [3, 4]]).cov()",
    "T.tensor([1.0]) + T.tensor([1.0], dtype=T.float32)", "T.tensor([1.0, 2.0]).sum()",
    "T.tensor([1, 2]).float()", "T.tensor([1, 2]).double()", "T.Tensor([1, 2])",
    "T.get_default_dtype()", "T.nn.LayerNorm(3).weight", "T.nn.BatchNorm1d(2).running_var",
    "T.zeros(0)", "T.nn.Parameter()", "T.hann_window(4)", "T.nn.utils.clip_grad_norm_([], 1.0)",
]


def _same_under_both(default: str) -> None:
    torch.set_default_dtype(getattr(torch, default))
    eager.set_default_dtype(getattr(eager, default))
    for expression in EXPRESSIONS:
        expected = repr(eval(expression, {"T": torch}))
        actual = repr(eval(expression, {"T": eager})).replace("eager.", "torch.")
        assert actual == expected, f"{expression} under {default}"


@pytest.mark.parametrize("default", ["float64", "float16", "float32"])
def test_factories_and_promotion_follow_the_default(default):
    _same_under_both(default)


@pytest.mark.parametrize("draw", [
    "T.rand(37)", "T.randn(37)", "T.randn(5)", "T.rand(2, 3)", "T.normal(0.5, 2.0, (19,))",
    "T.empty(23).normal_()", "T.empty(23).uniform_(-1, 1)", "T.rand_like(T.zeros(17))",
    "T.nn.Linear(5, 3).weight", "T.nn.Linear(5, 3).bias", "T.nn.Conv2d(2, 3, 2).weight",
    "T.nn.Embedding(4, 3).weight", "T.nn.LSTM(3, 2).weight_hh_l0",
    "T.nn.init.xavier_normal_(T.empty(4, 6))", "T.nn.init.kaiming_uniform_(T.empty(4, 6))",
    "T.nn.init.trunc_normal_(T.empty(20))",
])
def test_float64_draws_are_torch_bits(draw):
    """Random factories and layer initialisation in float64 follow torch's double stream."""
    torch.set_default_dtype(torch.float64)
    eager.set_default_dtype(eager.float64)
    torch.manual_seed(3)
    expected = eval(draw, {"T": torch}).detach().numpy()
    eager.manual_seed(3)
    actual = eval(draw, {"T": eager}).detach().numpy()
    assert actual.dtype == expected.dtype == np.float64
    np.testing.assert_array_equal(actual, expected)


def test_the_default_changes_back_and_printing_follows():
    eager.set_default_dtype(eager.float64)
    assert repr(eager.tensor([1.5])) == "tensor([1.5000])"
    assert repr(eager.zeros(1, dtype=eager.float32)) == "tensor([0.], dtype=torch.float32)"
    eager.set_default_dtype(eager.float32)
    assert eager.get_default_dtype() is eager.float32
    assert repr(eager.tensor([1.5], dtype=eager.float64)) == \
        "tensor([1.5000], dtype=torch.float64)"


@pytest.mark.parametrize("name", ["int64", "int32", "bool"])
def test_a_non_floating_default_is_torch_s_type_error(name):
    with pytest.raises(TypeError) as expected:
        torch.set_default_dtype(getattr(torch, name))
    with pytest.raises(TypeError) as actual:
        eager.set_default_dtype(getattr(eager, name))
    assert str(actual.value) == str(expected.value)
    assert eager.get_default_dtype() is eager.float32


def test_bfloat16_default_is_refused_with_the_reason():
    with pytest.raises(TypeError, match="bfloat16"):
        eager.set_default_dtype(eager.bfloat16)
    assert eager.get_default_dtype() is eager.float32


def test_static_graph_float_constants_take_the_default():
    """A graph built after ``set_default_dtype(float64)`` makes its Python float constants and
    its integer-to-float promotions float64, as eager does."""
    static = pytest.importorskip("static")
    eager.set_default_dtype(eager.float64)
    with static.Graph():
        x = static.placeholder((None, 2), dtype=np.int64, name="x")
        y = x * 1.5
        z = static.exp(x)
    assert y.aval.dtype == np.float64 and z.aval.dtype == np.float64
