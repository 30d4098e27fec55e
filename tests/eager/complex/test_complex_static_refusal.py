"""Static graphs do not compute with complex values: every way a complex value would enter a
graph is refused while building, naming the op, never a wrong answer."""

from __future__ import annotations

import numpy as np
import pytest

import eager
import shared_ops
import static

REFUSAL = "static graphs do not compute with complex values"


@pytest.fixture
def graph_values():
    with static.Graph():
        yield (static.builder.placeholder((3,), np.float32, name="x"),
               static.builder.placeholder((3, 2), np.float32, name="pairs"))


@pytest.mark.parametrize("build, op", [
    (lambda x, p: shared_ops.fft_r2c(x, dims=(0,), norm_mode="none", onesided=True),
     "fft_r2c"),
    (lambda x, p: eager.view_as_complex(p), "view_as_complex"),
    (lambda x, p: eager.complex(x, x), "complex"),
    (lambda x, p: eager.polar(x, x), "polar"),
    (lambda x, p: x * 1j, "mul"),
    (lambda x, p: shared_ops.add(x, np.ones(3, np.complex64)), "add"),
])
def test_complex_values_are_refused_naming_the_op(graph_values, build, op):
    with pytest.raises(TypeError, match=f"^{op}: {REFUSAL}"):
        build(*graph_values)


def test_torch_fft_on_a_graph_value_says_to_run_it_eagerly(graph_values):
    x, _ = graph_values
    with pytest.raises(TypeError, match="run torch.fft in eager mode"):
        eager.fft.rfft(x)


def test_real_ops_still_stage(graph_values):
    x, _ = graph_values
    y = x * 2.0 + 1.0
    assert y.dtype == np.float32
