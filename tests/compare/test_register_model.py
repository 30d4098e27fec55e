"""A user model registered with @register_model runs through the same harness and CLI."""

import json
from pathlib import Path

import numpy as np
import pytest

import eager
import eager.nn as nn
import shared_ops as ops
from compare.cli import main
from compare.report.json_report import build_report, validate
from compare.runner import run_model
from compare.zoo import ZOO, ModelCase, model_names, register_model


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 1)

    def forward(self, x):
        return ops.tanh(self.fc(x))


@pytest.fixture
def tiny_model():
    @register_model("tiny_user_model", description="4-1 tanh regressor (test)")
    def tiny(dtype):
        rng = np.random.default_rng(0)
        batches = [((rng.standard_normal((6, 4)).astype(dtype),),
                    (rng.standard_normal((6, 1)).astype(dtype),)) for _ in range(2)]
        return ModelCase(model=Tiny().to(dtype), batches=batches, loss=ops.mse, lr=0.1)

    yield "tiny_user_model"
    del ZOO["tiny_user_model"]


def test_registered_model_runs_and_agrees(tiny_model):
    assert tiny_model in model_names()
    assert model_names()[-1] == tiny_model  # user models come after the built-ins
    r = run_model(tiny_model, steps=2, repeats=0)
    assert r["description"] == "4-1 tanh regressor (test)"
    assert r["agreement"]["agrees"]


def test_registered_model_through_cli(tiny_model, tmp_path):
    status = main(["compare", tiny_model, "--steps", "2", "--repeats", "0", "--no-faults",
                   "--no-html", "--out", str(tmp_path)])
    assert status == 0
    assert (tmp_path / "report.json").exists()


def test_duplicate_name_is_refused(tiny_model):
    with pytest.raises(ValueError, match="already registered"):
        register_model(tiny_model)(lambda dtype: None)


def test_factory_that_ignores_the_seed_is_caught():
    calls = []

    @register_model("unseeded_test_model")
    def unseeded(dtype):
        calls.append(1)
        model = Tiny().to(dtype)
        # Different weights on every call: the twins could never agree.
        model.fc.weight.data = np.full((1, 4), float(len(calls)), dtype)
        return ModelCase(model=model, batches=[((np.ones((2, 4), dtype),),
                                               (np.ones((2, 1), dtype),))], loss=ops.mse)

    try:
        r = run_model("unseeded_test_model", steps=1, repeats=0)
    finally:
        del ZOO["unseeded_test_model"]
    assert r["error"]["type"] == "RuntimeError"
    assert "different weights" in r["error"]["message"]


def test_static_runtime_failure_comes_with_the_eager_replay():
    @register_model("bad_labels_test_model")
    def bad_labels(dtype):
        rng = np.random.default_rng(0)
        x = rng.standard_normal((5, 4)).astype(dtype)
        batches = [((x,), (np.array([0, 1, 2, 0, 1]),)), ((x,), (np.array([0, 1, 7, 0, 1]),))]
        return ModelCase(model=nn.Linear(4, 3).to(dtype), batches=batches,
                         loss=lambda out, y: ops.cross_entropy(out, y))  # the user's line

    try:
        r = run_model("bad_labels_test_model", steps=2, repeats=0)
    finally:
        del ZOO["bad_labels_test_model"]
    err = r["error"]
    assert err["mode"] == "static" and err["step"] == 2
    assert "out of range" in err["message"]
    replay = err["replay"]
    assert replay["exception"] == "OpIndexError"
    assert "test_register_model.py:" in replay["user_line"]
    doc = build_report([r], settings={"steps": 2, "dtype": "float64", "seed": 0, "repeats": 0})
    assert validate(json.loads(json.dumps(doc))) == []


def test_factory_error_is_a_setup_error_at_the_users_line():
    @register_model("broken_factory_test_model")
    def broken(dtype):
        raise ValueError("no data file")  # FACTORY LINE

    try:
        r = run_model("broken_factory_test_model", steps=1, repeats=0)
    finally:
        del ZOO["broken_factory_test_model"]
    err = r["error"]
    source = Path(__file__).read_text().splitlines()
    line = next(i for i, text in enumerate(source, 1) if "# FACTORY LINE" in text
                and "raise" in text)
    assert (err["phase"], err["type"]) == ("setup", "ValueError") and "mode" not in err
    assert err["user_line"] == f"test_register_model.py:{line} in broken"
    doc = build_report([r], settings={"steps": 1, "dtype": "float64", "seed": 0, "repeats": 0})
    assert validate(json.loads(json.dumps(doc))) == []


def test_eager_only_error_lands_in_the_eager_column():
    class EagerOnly(Tiny):
        def forward(self, x):
            if isinstance(x, eager.Tensor):
                raise RuntimeError("eager path broke")  # EAGER LINE
            return super().forward(x)

    @register_model("eager_only_test_model")
    def eager_only(dtype):
        rng = np.random.default_rng(0)
        batches = [((rng.standard_normal((6, 4)).astype(dtype),),
                    (rng.standard_normal((6, 1)).astype(dtype),))]
        return ModelCase(model=EagerOnly().to(dtype), batches=batches, loss=ops.mse, lr=0.1)

    try:
        r = run_model("eager_only_test_model", steps=1, repeats=0)
    finally:
        del ZOO["eager_only_test_model"]
    err = r["error"]
    assert (err["phase"], err["mode"], err["message"]) == ("eager", "eager", "eager path broke")
    assert err["user_line"].endswith(" in forward")
