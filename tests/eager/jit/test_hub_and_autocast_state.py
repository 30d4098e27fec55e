"""eager.hub against torch.hub (the cache directory, set_dir, load_state_dict_from_url reading
the cache and downloading into it, hash checks, refusing hubconf code) and the autocast state
queries against torch (is_autocast_enabled, get/set_autocast_dtype, their errors)."""

import hashlib
import os

import numpy as np
import pytest

import eager
import eager.hub as hub

torch = pytest.importorskip("torch")


@pytest.fixture
def torch_home(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(hub, "_hub_dir", None)
    monkeypatch.setattr(torch.hub, "_hub_dir", None)
    return tmp_path / "home"


def test_get_dir_and_set_dir_are_torchs(torch_home, tmp_path, monkeypatch):
    assert hub.get_dir() == torch.hub.get_dir() == str(torch_home / "hub")
    monkeypatch.delenv("TORCH_HOME")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert hub.get_dir() == torch.hub.get_dir() == str(tmp_path / "xdg" / "torch" / "hub")
    hub.set_dir(tmp_path / "mine")
    torch.hub.set_dir(tmp_path / "mine")
    assert hub.get_dir() == torch.hub.get_dir()


def test_a_cached_checkpoint_loads_without_a_download(torch_home):
    checkpoints = torch_home / "hub" / "checkpoints"
    checkpoints.mkdir(parents=True)
    weights = {"w": torch.arange(6.0).reshape(2, 3), "b": torch.ones(2)}
    torch.save(weights, checkpoints / "tiny-0123abcd.pth")
    url = "https://example.invalid/models/tiny-0123abcd.pth"  # never fetched: it is cached
    ours = hub.load_state_dict_from_url(url)
    theirs = torch.hub.load_state_dict_from_url(url)
    assert list(ours) == list(theirs)
    for key in ours:
        np.testing.assert_array_equal(ours[key].numpy(), theirs[key].numpy())
    net = eager.nn.Linear(3, 2)
    net.load_state_dict({"weight": ours["w"], "bias": ours["b"]})


def test_a_missing_checkpoint_is_downloaded_into_the_cache(torch_home, tmp_path, capsys):
    source = tmp_path / "served.pt"
    eager.save({"x": eager.tensor([1.0, 2.0])}, source)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    name = f"net-{digest[:8]}.pt"
    loaded = hub.load_state_dict_from_url(source.as_uri(), file_name=name, check_hash=True)
    assert loaded["x"].tolist() == [1.0, 2.0]
    assert (torch_home / "hub" / "checkpoints" / name).exists()
    assert f'Downloading: "{source.as_uri()}" to ' in capsys.readouterr().err


def test_a_wrong_hash_is_torchs_error_and_leaves_nothing(torch_home, tmp_path):
    source = tmp_path / "served.pt"
    eager.save({"x": eager.ones(1)}, source)
    for lib in (hub, torch.hub):
        with pytest.raises(RuntimeError, match=r'invalid hash value \(expected "00000000"'):
            lib.load_state_dict_from_url(source.as_uri(), file_name="net-00000000.pt",
                                         check_hash=True, progress=False)
    assert os.listdir(torch_home / "hub" / "checkpoints") == []


def test_a_failed_download_raises_urllibs_error(torch_home, tmp_path):
    missing = (tmp_path / "absent.pt").as_uri()
    errors = []
    for lib in (hub, torch.hub):
        with pytest.raises(Exception) as caught:
            lib.load_state_dict_from_url(missing, progress=False)
        errors.append(type(caught.value))
    assert errors[0] is errors[1]


def test_hubconf_code_is_never_run(tmp_path):
    (tmp_path / "hubconf.py").write_text("raise SystemExit('ran')\n")
    with pytest.raises(RuntimeError, match="never runs code read from a file"):
        hub.load(str(tmp_path), "model", source="local")
    with pytest.raises(ValueError, match='Unknown source: "svn"'):
        hub.load(str(tmp_path), "model", source="svn")
    with pytest.raises(RuntimeError, match="hub.list"):
        hub.list("pytorch/vision")


@pytest.mark.parametrize("device_type", [None, "cpu", "cuda"])
def test_autocast_is_off_as_torchs_outside_regions(device_type):
    args = () if device_type is None else (device_type,)
    assert eager.is_autocast_enabled(*args) is torch.is_autocast_enabled(*args) is False
    with eager.autocast("cpu", enabled=False):
        assert eager.is_autocast_enabled("cpu") is False


@pytest.mark.parametrize("device_type", ["cpu", "cuda", "hpu", "mps", "xla"])
def test_autocast_dtypes_are_torchs(device_type):
    assert str(eager.get_autocast_dtype(device_type)) == str(torch.get_autocast_dtype(
        device_type))


def test_set_autocast_dtype_and_errors_are_torchs():
    eager.set_autocast_dtype("cpu", eager.float16)
    try:
        assert eager.get_autocast_dtype("cpu") == eager.float16
    finally:
        eager.set_autocast_dtype("cpu", eager.bfloat16)
    for lib in (eager, torch):
        with pytest.raises(RuntimeError, match="Expected one of cpu, cuda"):
            lib.is_autocast_enabled("foo")
        with pytest.raises(TypeError, match="argument 'device_type' \\(position 1\\) must be "
                           "str, not int"):
            lib.is_autocast_enabled(1)
        with pytest.raises(TypeError, match="must be torch.dtype, not int"):
            lib.set_autocast_dtype("cpu", 3)
