"""examples/gru_variable_length.py runs and its static policies agree with eager training."""

import importlib.util
import pathlib

import numpy as np

import eager

PATH = pathlib.Path(__file__).parents[2] / "examples" / "gru_variable_length.py"


def load():
    spec = importlib.util.spec_from_file_location("gru_variable_length", PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_example_trains_the_same_in_both_modes(capsys):
    ex = load()
    eager.manual_seed(0)
    reference = ex.make_model()
    model = ex.make_model()
    model.load_state_dict(reference.state_dict())
    initial = np.asarray(model.head.weight).copy()
    ex.train_eagerly(reference, 2)
    step = ex.train_static(model, "dynamic", 2)
    assert step.ledger.traces == 1
    assert not np.allclose(np.asarray(model.head.weight), initial)
    for p, q in zip(model.parameters(), reference.parameters(), strict=True):
        assert not np.shares_memory(np.asarray(p), np.asarray(q))
        np.testing.assert_allclose(np.asarray(p), np.asarray(q), rtol=0, atol=1e-12)
