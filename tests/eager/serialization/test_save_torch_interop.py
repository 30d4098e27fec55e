"""Files written by the installed torch load in eager (without unpickling), and what eager.save
writes loads in torch with ``weights_only=True``."""

from __future__ import annotations

import io

import numpy as np
import pytest

import eager
import eager.nn as enn

torch = pytest.importorskip("torch")


def _torch_bytes(obj) -> io.BytesIO:
    buf = io.BytesIO()
    torch.save(obj, buf)
    buf.seek(0)
    return buf


def _assert_same(ours, theirs) -> None:
    assert list(ours) == list(theirs)
    for k, t in theirs.items():
        e = ours[k]
        assert isinstance(e, eager.Tensor), k
        assert str(e.dtype) == str(t.dtype), k
        assert tuple(e.shape) == tuple(t.shape), k
        np.testing.assert_array_equal(e.numpy(), t.numpy(), err_msg=k)


@pytest.mark.parametrize("make", [
    lambda: torch.nn.Linear(4, 3),
    lambda: torch.nn.Conv2d(2, 5, 3, padding=1),
    lambda: torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True),
    lambda: torch.nn.BatchNorm2d(6),
    lambda: torch.nn.Linear(3, 2).double(),
], ids=["linear", "conv2d", "lstm", "batchnorm", "float64"])
def test_state_dicts_written_by_torch_load(make, tmp_path):
    torch.manual_seed(0)
    module = make()
    if isinstance(module, torch.nn.BatchNorm2d):  # non-trivial running stats, int64 counter
        module(torch.randn(4, 6, 3, 3))
    sd = module.state_dict()
    path = tmp_path / "model.pt"
    torch.save(sd, path)
    loaded = eager.load(path)
    assert type(loaded).__name__ == "OrderedDict"
    _assert_same(loaded, sd)
    if "num_batches_tracked" in sd:
        assert loaded["num_batches_tracked"].dtype == eager.int64
        assert loaded["num_batches_tracked"].item() == 1


def test_views_shared_storages_and_0d_tensors_from_torch():
    base = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    obj = {"t": base, "tail": base[1:], "cols": base[:, ::2], "tt": base.t(),
           "scalar": torch.tensor(2.5, dtype=torch.float64), "i": torch.tensor(7),
           "flag": torch.tensor([True, False]), "p": torch.nn.Parameter(torch.ones(2)),
           "meta": [1, "two", 3.0, None, (True,)]}
    loaded = eager.load(_torch_bytes(obj))
    for k in ("t", "tail", "cols", "tt", "scalar", "i", "flag"):
        np.testing.assert_array_equal(loaded[k].numpy(), obj[k].numpy(), err_msg=k)
        assert tuple(loaded[k].shape) == tuple(obj[k].shape)
    assert loaded["scalar"].shape == () and loaded["scalar"].dtype == eager.float64
    assert isinstance(loaded["p"], enn.Parameter) and loaded["p"].requires_grad
    assert loaded["meta"] == [1, "two", 3.0, None, (True,)]
    # one storage, as in torch: writing through one view shows in the other
    with eager.no_grad():
        loaded["t"][1, 0] = 100.0
    assert loaded["tail"][0, 0].item() == 100.0


def test_eager_state_dicts_load_in_torch_weights_only(tmp_path):
    eager.manual_seed(0)
    model = enn.Sequential(enn.Linear(4, 3), enn.BatchNorm1d(3), enn.Linear(3, 2))
    model(eager.randn(5, 4))
    path = tmp_path / "ours.pt"
    eager.save(model.state_dict(), path)
    theirs = torch.load(path, weights_only=True)
    ref = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.BatchNorm1d(3),
                              torch.nn.Linear(3, 2))
    ref.load_state_dict(theirs)
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    model.eval()
    ref.eval()
    np.testing.assert_allclose(model(eager.tensor(x)).detach().numpy(),
                               ref(torch.tensor(x)).detach().numpy(), rtol=1e-6, atol=1e-6)


def test_eager_views_scalars_and_nested_data_load_in_torch():
    base = eager.arange(12.0).reshape(3, 4)
    obj = {"t": base, "tail": base[1:], "tt": base.t(), "rev": base.flip(0),
           "s": eager.tensor(1.5, dtype=eager.float64), "n": eager.tensor([1, 2]),
           "b": eager.tensor([True]), "nested": [{"lr": 0.1, "betas": (0.9, 0.999)}, None],
           "big": 2**40, "neg": -3}
    buf = io.BytesIO()
    eager.save(obj, buf)
    buf.seek(0)
    theirs = torch.load(buf, weights_only=True)
    for k in ("t", "tail", "tt", "rev", "s", "n", "b"):
        np.testing.assert_array_equal(theirs[k].numpy(), obj[k].numpy(), err_msg=k)
        assert str(theirs[k].dtype) == str(obj[k].dtype)
    assert theirs["tail"].untyped_storage().data_ptr() == theirs["t"].untyped_storage().data_ptr()
    assert theirs["nested"] == obj["nested"] and theirs["big"] == 2**40 and theirs["neg"] == -3


def test_optimizer_state_dict_round_trips_through_torch():
    eager.manual_seed(0)
    model = enn.Linear(3, 2)
    opt = eager.optim.Adam(model.parameters(), lr=0.01)
    model(eager.randn(4, 3)).sum().backward()
    opt.step()
    buf = io.BytesIO()
    eager.save(opt.state_dict(), buf)
    buf.seek(0)
    theirs = torch.load(buf, weights_only=True)
    assert theirs["param_groups"][0]["betas"] == opt.state_dict()["param_groups"][0]["betas"]
    back = eager.load(_torch_bytes(theirs))
    ours = opt.state_dict()
    assert back["param_groups"] == ours["param_groups"]
    for i, state in ours["state"].items():
        for k, v in state.items():
            np.testing.assert_array_equal(np.asarray(back["state"][i][k]), np.asarray(v))


def test_map_location_and_cuda_storages_as_torch_without_cuda():
    data = _torch_bytes({"a": torch.ones(2)}).getvalue()
    messages = []
    for L in (eager, torch):
        with pytest.raises(RuntimeError) as info:
            L.load(io.BytesIO(data), map_location="cuda")
        messages.append(str(info.value))
    assert messages[0] == messages[1]
    for where in ("cpu", eager.device("cpu"), {"cuda:0": "cpu"}):
        assert eager.load(io.BytesIO(data), map_location=where)["a"].tolist() == [1.0, 1.0]
    # a storage recorded on cuda:0 (patched in: this torch has no CUDA) needs map_location
    cuda = _patched_location(data)
    with pytest.raises(RuntimeError, match="Attempting to deserialize object on a CUDA device"):
        eager.load(io.BytesIO(cuda))
    assert eager.load(io.BytesIO(cuda), map_location="cpu")["a"].tolist() == [1.0, 1.0]


def _patched_location(data: bytes) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            raw = src.read(info)
            if info.filename.endswith("data.pkl"):
                raw = raw.replace(b"X\x03\x00\x00\x00cpu", b"X\x06\x00\x00\x00cuda:0")
            dst.writestr(info.filename, raw)
    return out.getvalue()


def test_a_whole_torch_module_is_refused_naming_its_class():
    data = _torch_bytes(torch.nn.Linear(2, 2))
    with pytest.raises(eager.serialization.CheckpointError,
                       match=r"names the global 'torch.nn.modules.linear.Linear'"):
        eager.load(data, weights_only=False)


def test_tied_weights_from_torch_share_one_storage():
    lin = torch.nn.Linear(3, 3, bias=False)
    sd = {"a": lin.weight.data, "b": lin.weight.data}
    back = eager.load(_torch_bytes(sd))
    with eager.no_grad():
        back["a"][0, 0] = 42.0
    assert back["b"][0, 0].item() == 42.0
