"""Module.get_submodule / get_parameter / get_buffer and Module.half against torch: what they
return for the same model and the AttributeErrors, word for word, for every wrong path."""

import numpy as np
import pytest

import eager
import eager.nn  # noqa: F401  (eager.nn loaded for model(eager))

torch = pytest.importorskip("torch")


def model(lib):
    return lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.Sequential(lib.nn.BatchNorm1d(3)))


def test_lookups_find_what_torch_finds():
    ours, theirs = model(eager), model(torch)
    assert ours.get_submodule("") is ours
    assert repr(ours.get_submodule("1.0")) == repr(theirs.get_submodule("1.0"))
    assert ours.get_parameter("0.weight") is ours[0].weight
    assert tuple(ours.get_parameter("1.0.bias").shape) == tuple(theirs.get_parameter(
        "1.0.bias").shape)
    assert ours.get_buffer("1.0.running_var").tolist() == theirs.get_buffer(
        "1.0.running_var").tolist()


@pytest.mark.parametrize("method,target", [
    ("get_submodule", "2"), ("get_submodule", "0.weight"), ("get_submodule", "1.0.x"),
    ("get_parameter", "0.foo"), ("get_parameter", "1.0.running_mean"),
    ("get_parameter", "3.weight"), ("get_buffer", "0.weight"), ("get_buffer", "1.0.nope"),
])
def test_wrong_paths_raise_torchs_errors(method, target):
    with pytest.raises(AttributeError) as theirs:
        getattr(model(torch), method)(target)
    with pytest.raises(AttributeError) as ours:
        getattr(model(eager), method)(target)
    assert str(ours.value) == str(theirs.value)


def test_half_converts_floating_parameters_and_buffers_as_torch():
    ours, theirs = model(eager).half(), model(torch).half()
    for (name, a), (_, b) in zip(ours.state_dict().items(), theirs.state_dict().items(),
                                 strict=True):
        assert str(a.dtype) == str(b.dtype), name
    assert ours[0].weight.numpy().dtype == np.float16
