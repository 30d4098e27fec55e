"""eager.save / eager.load: state dicts in .npz, no pickle, clear errors on bad files."""

import zipfile
from collections import OrderedDict

import numpy as np
import pytest

import eager
import eager.nn as nn
from eager.serialization import CheckpointError


def test_module_state_dict_round_trip_and_plain_npz_layout(tmp_path):
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    path = tmp_path / "model.ckpt"  # the name is used as given (np.savez would add .npz)
    # The earlier .npz format (eager.save's default is now PyTorch's zip format).
    eager.save(model.state_dict(), path, _use_new_zipfile_serialization=False)
    assert path.exists()
    loaded = eager.load(path)
    assert isinstance(loaded, OrderedDict) and list(loaded) == list(model.state_dict())
    assert isinstance(loaded["0.weight"], eager.Tensor)
    with np.load(path, allow_pickle=False) as npz:  # readable without eager
        np.testing.assert_array_equal(npz["2.bias"], model[2].bias.detach().numpy())
    twin = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    twin.load_state_dict(loaded)
    x = eager.randn(5, 3)
    np.testing.assert_array_equal(model(x).detach().numpy(), twin(x).detach().numpy())


def test_nested_values_keep_their_types(tmp_path):
    obj = {"a": [1, 2.5, None, "s", (True, 3)], 7: {"t": eager.ones(2), "n": np.arange(3)},
           "p": nn.Parameter(eager.zeros(2)), "i": np.int64(4)}
    eager.save(obj, tmp_path / "x.npz")
    back = eager.load(tmp_path / "x.npz")
    assert back["a"] == [1, 2.5, None, "s", (True, 3)]
    assert isinstance(back[7]["t"], eager.Tensor) and back[7]["t"].tolist() == [1.0, 1.0]
    assert isinstance(back[7]["n"], np.ndarray) and back[7]["n"].dtype == np.int64
    assert isinstance(back["p"], nn.Parameter) and back["p"].requires_grad
    assert back["i"] == 4


def test_file_objects_work(tmp_path):
    with open(tmp_path / "f.npz", "wb") as f:
        eager.save({"w": eager.ones(3)}, f)
    with open(tmp_path / "f.npz", "rb") as f:
        assert eager.load(f)["w"].tolist() == [1.0, 1.0, 1.0]


def test_bad_files_raise_a_clear_error(tmp_path):
    # (a file that is no archive at all: test_load_malicious.py)
    plain = tmp_path / "plain.npz"
    np.savez(plain, a=np.ones(2))
    with pytest.raises(CheckpointError, match="not one written by eager.save"):
        eager.load(plain)
    truncated = tmp_path / "cut.npz"
    eager.save({"w": eager.ones(100)}, truncated)
    truncated.write_bytes(truncated.read_bytes()[:200])
    with pytest.raises(CheckpointError, match="cut.npz"):
        eager.load(truncated)
    with pytest.raises(FileNotFoundError):
        eager.load(tmp_path / "missing.npz")


def test_objects_are_never_pickled(tmp_path):
    with pytest.raises(CheckpointError, match="cannot store a object"):
        eager.save({"f": object()}, tmp_path / "x.npz")
    with pytest.raises(CheckpointError, match="dtype object"):
        eager.save({"a": np.array([{}], dtype=object)}, tmp_path / "x.npz")
    evil = tmp_path / "evil.npz"
    np.savez(evil, __dualgraph_structure__=np.array([{"x": 1}], dtype=object))
    with pytest.raises(CheckpointError):
        eager.load(evil)
    assert zipfile.is_zipfile(evil)
