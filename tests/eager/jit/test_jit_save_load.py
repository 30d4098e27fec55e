"""jit.save/jit.load: one file holding the traced graph as data; the loaded module computes
what the traced one did (at any batch size), prints as torch's loaded module, and loading
refuses missing files, directories, foreign zips and members that are not plain names."""

import io
import zipfile

import numpy as np
import pytest

import eager
import eager.jit as jit

torch = pytest.importorskip("torch")

pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.:DeprecationWarning")


def traced_net(lib):
    lib.manual_seed(3)
    net = lib.nn.Sequential(lib.nn.Linear(4, 8), lib.nn.GELU(), lib.nn.Linear(8, 2)).eval()
    return net, lib.jit.trace(net, lib.ones(1, 4))


def test_round_trip_computes_the_same(tmp_path):
    net, traced = traced_net(eager)
    jit.save(traced, tmp_path / "net.pt")
    assert zipfile.is_zipfile(tmp_path / "net.pt")
    loaded = jit.load(tmp_path / "net.pt")
    x = eager.randn(6, 4)  # another batch size than the example's
    np.testing.assert_allclose(loaded(x).numpy(), net(x).detach().numpy(), rtol=1e-6)
    assert "= gelu(" in str(loaded.graph) or "= erf(" in str(loaded.graph)
    assert "def step(" in loaded.code


def test_loaded_module_prints_as_torchs(tmp_path):
    _, ours = traced_net(eager)
    _, theirs = traced_net(torch)
    ours.save(str(tmp_path / "a.pt"))
    theirs.save(str(tmp_path / "b.pt"))
    loaded, torch_loaded = jit.load(str(tmp_path / "a.pt")), torch.jit.load(str(tmp_path / "b.pt"))
    assert repr(loaded) == repr(torch_loaded)
    assert list(loaded.state_dict()) == list(torch_loaded.state_dict())
    for ours, theirs in zip(loaded.parameters(), torch_loaded.parameters(), strict=True):
        np.testing.assert_array_equal(ours.detach().numpy(), theirs.detach().numpy())


def test_loaded_parameters_are_what_the_graph_reads(tmp_path):
    _, traced = traced_net(eager)
    traced.save(tmp_path / "n.pt")
    loaded = jit.load(tmp_path / "n.pt")
    x = eager.randn(2, 4)
    before = loaded(x).numpy().copy()
    with eager.no_grad():
        dict(loaded.named_parameters())["2.bias"].add_(1)
    np.testing.assert_allclose(loaded(x).numpy(), before + 1, rtol=1e-6)
    with pytest.raises(RuntimeError, match="call the top level"):
        dict(loaded.named_children())["0"](x)


def test_a_traced_function_round_trips(tmp_path):
    def f(x, y):
        return (x * y).sum(dim=-1)

    traced = jit.trace(f, (eager.ones(2, 3), eager.ones(2, 3)))
    traced.save(tmp_path / "f.pt")
    x, y = eager.randn(4, 3), eager.randn(4, 3)
    np.testing.assert_allclose(jit.load(tmp_path / "f.pt")(x, y).numpy(), f(x, y).numpy(),
                               rtol=1e-6)


@pytest.mark.parametrize("lib", [eager, torch], ids=["eager", "torch"])
def test_missing_file_and_directory_errors_are_torchs(lib, tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        lib.jit.load(str(tmp_path / "none.pt"))
    with pytest.raises(ValueError, match="is a directory"):
        lib.jit.load(str(tmp_path))


def test_foreign_and_crafted_files_are_refused(tmp_path):
    _, traced = traced_net(eager)
    good = tmp_path / "good.pt"
    traced.save(good)
    members = {}
    with zipfile.ZipFile(good) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}

    def write(name, entries):
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as zf:
            for member, data in entries.items():
                zf.writestr(member, data)
        return path

    (tmp_path / "text.pt").write_text("not a zip")
    with pytest.raises(RuntimeError, match="not a file written by jit.save"):
        jit.load(tmp_path / "text.pt")
    escaping = dict(members)
    escaping["../evil.py"] = b"print('no')"
    with pytest.raises(RuntimeError, match="not a file written by jit.save"):
        jit.load(write("escape.pt", escaping))
    no_info = {k: v for k, v in members.items() if k != "jit.json"}
    with pytest.raises(RuntimeError, match="not a file written by jit.save"):
        jit.load(write("noinfo.pt", no_info))
    tampered = dict(members)
    graph_file = next(k for k in members if k.startswith("graph"))
    tampered[graph_file] = members[graph_file].replace(b"gelu", b"relu") + b" "
    with pytest.raises(Exception, match="manifest"):
        jit.load(write("tampered.pt", tampered))
    assert not (tmp_path / "evil.py").exists()


def test_only_traced_modules_save():
    with pytest.raises(AttributeError, match="'Linear' object has no attribute 'save'"):
        jit.save(eager.nn.Linear(1, 1), "x.pt")
    with pytest.raises(TypeError, match="expected a file name or a binary file object"):
        jit.load(object())


def test_a_buffer_round_trips():
    net, traced = traced_net(eager)
    buffer = io.BytesIO()
    jit.save(traced, buffer)
    buffer.seek(0)
    x = eager.randn(3, 4)
    np.testing.assert_allclose(jit.load(buffer)(x).numpy(), net(x).detach().numpy(), rtol=1e-6)


def test_a_torchscript_archive_is_refused_unread(tmp_path):
    _, theirs = traced_net(torch)
    theirs.save(str(tmp_path / "torch.pt"))
    with pytest.raises(RuntimeError, match="TorchScript archive written by PyTorch"):
        jit.load(tmp_path / "torch.pt")
