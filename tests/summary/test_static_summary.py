"""static.summary: the same table as eager.summary for every zoo model traced with module
scopes; unknown dims; graphs without module scopes; errors."""

from __future__ import annotations

import numpy as np
import pytest

import eager
import eager.nn as nn
import static
from compare.training import make_twins
from compare.zoo import model_names

COLS = ("input_size", "output_size", "num_params", "trainable", "mult_adds")


@pytest.mark.parametrize("name", model_names())
def test_static_table_equals_eager_table(name):
    case_e, case_s = make_twins(name, np.dtype("float64"), 0)
    x = case_e.batches[0][0]
    traced = static.summary_trace(case_s.model, *x)
    expected = eager.summary(case_e.model, input_data=list(x), col_names=COLS[1:], verbose=0)
    got = static.summary(traced, col_names=COLS[1:])
    assert str(got) == str(expected)


def test_unknown_batch_dim_prints_as_question_mark():
    model = nn.Sequential(nn.Linear(4, 3), nn.ReLU())
    traced = static.summary_trace(model, static.TensorSpec((None, 4), np.float32))
    s = static.summary(traced, col_names=COLS)
    assert [r.output_size for r in s.summary_list] == [[None, 3], [None, 3], [None, 3]]
    text = str(s)
    assert "[?, 3]" in text and "Total params: 15" in text and "Unknown dims (?)" in text
    assert s.total_mult_adds == 0


def test_frozen_parameters_count_as_non_trainable():
    model = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
    model[0].requires_grad_(False)
    traced = static.summary_trace(model, static.TensorSpec((5, 2), np.float32))
    s = static.summary(traced, col_names=COLS)
    e = eager.summary(model, input_size=(5, 2), col_names=COLS, verbose=0)
    assert (s.trainable_params, s.non_trainable_params) == (3, 6)
    assert str(s) == str(e)


def test_hand_built_graph_rows_come_from_variable_names():
    with static.Graph() as g:
        x = static.placeholder((2, 3), np.float32, name="x")
        w = static.variable(np.ones((3, 4), np.float32), name="enc.fc.weight")
        b = static.variable(np.ones((4,), np.float32), name="enc.fc.bias", trainable=False)
        static.add(static.matmul(x, w), b)
    s = static.summary(g)
    assert [(r.path, r.depth, r.num_params) for r in s.summary_list] == \
        [("", 0, 0), ("enc", 1, 0), ("enc.fc", 2, 16)]
    assert s.summary_list[2].trainable == "Partial"
    assert (s.total_params, s.trainable_params, s.input_bytes) == (16, 12, 24)


def test_scopes_are_closed_when_the_forward_fails():
    model = nn.Sequential(nn.Linear(2, 2))
    with pytest.raises(Exception, match="features"):
        static.summary_trace(model, static.TensorSpec((1, 3), np.float32))
    assert not model._forward_hooks and not model[0]._forward_pre_hooks
    with static.Graph() as g:  # a later graph gets no stale module tags
        static.placeholder((1,), np.float32, name="x")
    assert "module" not in g.nodes[0].meta


def test_not_a_graph_is_a_type_error():
    with pytest.raises(TypeError, match="static.summary: expected a Graph or a Traced, got "
                                        "Linear"):
        static.summary(nn.Linear(2, 2))
