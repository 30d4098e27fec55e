"""examples/train_digits_mlp.py learns the digits (>= 95% test accuracy on a small budget)."""

import importlib.util
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__)))))


def _load_example(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, "examples",
                                                                      name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_digits_mlp_reaches_95_percent(capsys):
    pytest.importorskip("sklearn")
    example = _load_example("train_digits_mlp")
    accuracy = example.train(epochs=8, seed=0)
    assert accuracy >= 0.95
    out = capsys.readouterr().out
    assert "epoch  8" in out and "test accuracy" in out
