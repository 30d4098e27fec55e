"""eager.save / eager.load round trips: nested data, file objects, whole Modules from the
allow-list, and the earlier .npz format."""

from __future__ import annotations

import io
from collections import OrderedDict

import numpy as np
import pytest

import eager
import eager.nn as nn
from eager.serialization import CheckpointError, add_safe_globals, clear_safe_globals


def _round_trip(obj, **load_kwargs):
    buf = io.BytesIO()
    eager.save(obj, buf)
    buf.seek(0)
    return eager.load(buf, **load_kwargs)


def test_nested_values_keep_their_types_and_the_default_format_is_torchs(tmp_path):
    obj = OrderedDict(a=[1, 2.5, None, "s", (True, -3)], b={7: eager.ones(2), "n": np.arange(3)},
                      p=nn.Parameter(eager.zeros(2)), g=eager.ones(2, requires_grad=True),
                      i=np.int64(4), e=eager.zeros(0, 3), shape=eager.ones(2, 5).shape)
    path = tmp_path / "x.pt"
    eager.save(obj, path)
    import zipfile

    assert "archive/data.pkl" in zipfile.ZipFile(path).namelist()
    back = eager.load(path)
    assert type(back) is OrderedDict and list(back) == list(obj)
    assert back["a"] == [1, 2.5, None, "s", (True, -3)]
    assert isinstance(back["b"][7], eager.Tensor) and back["b"][7].tolist() == [1.0, 1.0]
    assert isinstance(back["b"]["n"], np.ndarray) and back["b"]["n"].tolist() == [0, 1, 2]
    assert isinstance(back["p"], nn.Parameter) and back["p"].requires_grad
    assert back["g"].requires_grad and not isinstance(back["g"], nn.Parameter)
    assert back["i"] == 4 and tuple(back["e"].shape) == (0, 3)
    assert back["shape"] == (2, 5)  # a Size is stored as a plain tuple


def test_unwritable_values_are_a_clear_error():
    with pytest.raises(CheckpointError, match="cannot store a object"):
        _round_trip({"f": object()})
    with pytest.raises(CheckpointError, match="cannot store a dict key of type tuple"):
        _round_trip({(1, 2): 3})


def test_file_objects_without_seek_are_read():
    buf = io.BytesIO()
    eager.save({"w": eager.arange(3.0)}, buf)

    class Stream:  # read() only, as a socket or pipe
        def __init__(self, data):
            self.data = data

        def read(self, n=-1):
            data, self.data = self.data, b""
            return data

    assert eager.load(Stream(buf.getvalue()))["w"].tolist() == [0.0, 1.0, 2.0]


def test_whole_modules_rebuild_from_the_allow_list():
    eager.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.BatchNorm1d(8),
                          nn.Linear(8, 3))
    model(eager.randn(4, 1, 4, 4))
    model.eval()
    with pytest.raises(CheckpointError, match="is not on the allow-list .pass weights_only"):
        _round_trip(model)  # weights_only defaults to True, as torch's
    twin = _round_trip(model, weights_only=False)
    assert type(twin) is nn.Sequential and not twin.training and not twin[3].training
    assert repr(twin) == repr(model)
    assert twin[4].in_features == 8
    x = eager.randn(2, 1, 4, 4)
    np.testing.assert_array_equal(twin(x).detach().numpy(), model(x).detach().numpy())
    assert twin[3].num_batches_tracked.item() == 1


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)
        self.scale = 3.0

    def forward(self, x):
        return self.fc(x) * self.scale


def test_user_classes_need_add_safe_globals():
    net = Net()
    with pytest.raises(CheckpointError, match=r"Net' is not on the allow-list"):
        _round_trip(net, weights_only=False)
    try:
        add_safe_globals([Net])
        twin = _round_trip(net, weights_only=False)
        # weights_only=True (the default) allows the registered classes only, as torch's
        with pytest.raises(CheckpointError, match=r"linear.Linear' is not on the allow-list"):
            _round_trip(net)
        add_safe_globals([nn.Linear])
        assert type(_round_trip(net).fc) is nn.Linear
    finally:
        clear_safe_globals()
    assert type(twin) is Net and twin.scale == 3.0
    x = eager.randn(3, 2)
    np.testing.assert_array_equal(twin(x).detach().numpy(), net(x).detach().numpy())
    with pytest.raises(TypeError, match="not an eager.nn.Module subclass"):
        add_safe_globals([dict])


def test_module_with_an_unstorable_attribute_names_it():
    net = Net()
    net.helper = object()
    with pytest.raises(CheckpointError, match=r"cannot store a object.*in a .*Net module"):
        _round_trip(net)


def test_the_earlier_npz_format_is_still_read(tmp_path):
    path = tmp_path / "old.npz"
    sd = nn.Linear(2, 1).state_dict()
    eager.save(sd, path, _use_new_zipfile_serialization=False)
    with np.load(path, allow_pickle=False) as npz:
        assert "weight" in npz.files
    back = eager.load(path)
    np.testing.assert_array_equal(back["weight"].numpy(), sd["weight"].numpy())


def test_big_endian_storages_are_swapped_on_load():
    import zipfile

    buf = io.BytesIO()
    eager.save({"w": eager.tensor([1.5, -2.0, 3.25]), "i": eager.tensor([1, 256])}, buf)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "archive/byteorder":
                data = b"big"
            elif info.filename == "archive/data/0":
                data = np.frombuffer(data, "<f4").astype(">f4").tobytes()
            elif info.filename == "archive/data/1":
                data = np.frombuffer(data, "<i8").astype(">i8").tobytes()
            dst.writestr(info.filename, data)
    out.seek(0)
    back = eager.load(out)
    assert back["w"].tolist() == [1.5, -2.0, 3.25] and back["i"].tolist() == [1, 256]
