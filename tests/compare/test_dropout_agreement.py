"""A model with dropout still agrees between the twins: the harness gives both modes the same
per-step seeds (compare/rng_sync.py), so they drop the same elements every step, also across
the graphs of several input signatures; masks still change from step to step."""

import numpy as np
import pytest

import eager.nn as nn
import shared_ops as ops
from compare.modes import EagerTwin, StaticTwin
from compare.runner import run_model
from compare.training import make_twins, train_and_compare
from compare.zoo import ZOO, ModelCase, register_model


class DropNet(nn.Module):
    """8 -> 16 (relu, dropout) -> 1, with a second dropout on the input."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 16)
        self.fc2 = nn.Linear(16, 1)
        self.drop_in = nn.Dropout(0.2)
        self.drop = nn.Dropout(0.5)

    def forward(self, x):
        return self.fc2(self.drop(ops.relu(self.fc1(self.drop_in(x)))))


@pytest.fixture
def dropnet():
    @register_model("dropnet_test_model", description="8-16-1 with dropout (test)")
    def factory(dtype):
        rng = np.random.default_rng(0)
        # Two batch sizes with exact shapes: two graphs, each with its own generator state.
        batches = [((rng.standard_normal((n, 8)).astype(dtype),),
                    (rng.standard_normal((n, 1)).astype(dtype),)) for n in (6, 5, 6, 5)]
        return ModelCase(model=DropNet().to(dtype), batches=batches, loss=ops.mse, lr=0.1,
                         dynamic_dims=())

    yield "dropnet_test_model"
    del ZOO["dropnet_test_model"]


def test_a_dropout_model_agrees_step_by_step(dropnet):
    result, twin = train_and_compare(dropnet, steps=6)
    assert result["agrees"], result
    assert len(twin.plans) == 2  # both signatures' graphs drew the shared schedule


def test_masks_differ_between_steps_of_the_same_graph(dropnet):
    case, _ = make_twins(dropnet, np.dtype("float64"), 0)
    twin = StaticTwin(case)
    x, y = case.batches[0]
    twin.case.lr = 0.0  # the weights stay fixed: only the masks change
    first, second = twin.step(x, y).output, twin.step(x, y).output
    assert not np.array_equal(first, second)
    eager_twin = EagerTwin(make_twins(dropnet, np.dtype("float64"), 0)[0])
    eager_twin.optimizer.param_groups[0]["lr"] = 0.0
    np.testing.assert_allclose(eager_twin.step(x, y).output, first, atol=1e-12)
    np.testing.assert_allclose(eager_twin.step(x, y).output, second, atol=1e-12)


def test_the_full_run_reports_agreement(dropnet):
    r = run_model(dropnet, steps=3, repeats=1)
    assert r["agreement"]["agrees"]
