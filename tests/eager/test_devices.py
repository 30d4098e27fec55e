"""Devices (issue 16): eager.device, tensor/module .to/.cuda/.cpu, factories' ``device=``,
eager.cuda / eager.backends / threads, each checked against CPU-only PyTorch: printing,
equality, and errors (type and message), and a typical program header run under both."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")
if torch.cuda.is_available():  # the oracle must be a machine without CUDA
    pytest.skip("the reference answers are those of PyTorch without CUDA",
                allow_module_level=True)


def outcome(fn):
    """What ``fn()`` gives: ('ok', repr) or (exception type name, message)."""
    try:
        return "ok", repr(fn())
    except Exception as e:  # noqa: BLE001  (comparing whatever each library raises)
        return type(e).__name__, str(e)


DEVICE_ARGS = [("cpu",), ("cuda",), ("cuda:0",), ("cuda", 1), ("cpu", 0), ("cpu:0",),
               ("meta",), ("mps",), ("foo",), ("CPU",), ("",), ("cuda:x",), ("cuda:-1",),
               ("cuda", -1), (0,), ("cuda:0", 1), ("cuda", "a")]


@pytest.mark.parametrize("args", DEVICE_ARGS, ids=repr)
def test_device_construction_prints_and_raises_as_torch(args):
    assert outcome(lambda: eager.device(*args)) == outcome(lambda: torch.device(*args))
    ok, _ = outcome(lambda: torch.device(*args))
    if ok == "ok":
        ours, theirs = eager.device(*args), torch.device(*args)
        assert (str(ours), ours.type, ours.index) == (str(theirs), theirs.type, theirs.index)


def test_device_keyword_copy_equality_hash_and_pickle():
    assert repr(eager.device(type="cpu")) == repr(torch.device(type="cpu"))
    assert repr(eager.device(eager.device("cuda:1"))) == "device(type='cuda', index=1)"
    pairs = [("cpu", "cpu"), ("cpu", "cpu:0"), ("cuda", "cuda:0"), ("cuda:0", "cuda:0")]
    for a, b in pairs:
        assert (eager.device(a) == eager.device(b)) == (torch.device(a) == torch.device(b))
    # a device is not equal to its string, in PyTorch too
    assert (eager.device("cpu") == "cpu") == (torch.device("cpu") == "cpu") is False
    assert (eager.device("cpu") != "cuda") == (torch.device("cpu") != "cuda")
    assert hash(eager.device("cuda:0")) == hash(eager.device("cuda", 0))
    assert len({eager.device("cpu"), eager.device("cpu"), eager.device("cuda")}) == 2
    assert pickle.loads(pickle.dumps(eager.device("cuda:2"))) == eager.device("cuda:2")


def test_tensor_device_is_a_cpu_device():
    ours, theirs = eager.zeros(2), torch.zeros(2)
    assert repr(ours.device) == repr(theirs.device) == "device(type='cpu')"
    assert ours.device == eager.device("cpu") and ours.device.type == "cpu"
    assert (ours.is_cuda, ours.get_device()) == (theirs.is_cuda, theirs.get_device())


TO_FORMS = [
    ("to('cpu')", lambda m, x: x.to("cpu")),
    ("to('cpu:0')", lambda m, x: x.to("cpu:0")),
    ("to(device('cpu'))", lambda m, x: x.to(m.device("cpu"))),
    ("to(device=cpu)", lambda m, x: x.to(device="cpu")),
    ("to('cpu', float64)", lambda m, x: x.to("cpu", m.float64)),
    ("cpu()", lambda m, x: x.cpu()),
    ("to('cuda')", lambda m, x: x.to("cuda")),
    ("to('cuda:1')", lambda m, x: x.to("cuda:1")),
    ("to(device('cuda'))", lambda m, x: x.to(m.device("cuda"))),
    ("to(device=cuda, dtype)", lambda m, x: x.to(device="cuda", dtype=m.float64)),
    ("to(0)", lambda m, x: x.to(0)),
    ("to('mps')", lambda m, x: x.to("mps")),
    ("cuda()", lambda m, x: x.cuda()),
    ("cuda(1)", lambda m, x: x.cuda(1)),
]


def _described(value):
    # compare what a program would see: device and dtype of a result, else the value
    if hasattr(value, "device") and hasattr(value, "dtype"):
        return repr(value.device), str(value.dtype).split(".")[-1]
    return value


@pytest.mark.parametrize("name,fn", TO_FORMS, ids=[n for n, _ in TO_FORMS])
def test_tensor_to_matches_torch(name, fn):
    def run(m):
        try:
            return "ok", _described(fn(m, m.zeros(2)))
        except Exception as e:  # noqa: BLE001
            return type(e).__name__, str(e)
    assert run(eager) == run(torch)


FACTORIES = [
    ("tensor", lambda m, d: m.tensor([1.0], device=d)),
    ("as_tensor", lambda m, d: m.as_tensor([1.0], device=d)),
    ("zeros", lambda m, d: m.zeros(2, device=d)),
    ("ones", lambda m, d: m.ones(2, device=d)),
    ("empty", lambda m, d: m.empty(2, device=d)),
    ("full", lambda m, d: m.full((2,), 3.0, device=d)),
    ("arange", lambda m, d: m.arange(3, device=d)),
    ("linspace", lambda m, d: m.linspace(0, 1, 3, device=d)),
    ("rand", lambda m, d: m.rand(2, device=d)),
    ("randn", lambda m, d: m.randn(2, device=d)),
    ("randint", lambda m, d: m.randint(0, 5, (2,), device=d)),
    ("randperm", lambda m, d: m.randperm(3, device=d)),
    ("eye", lambda m, d: m.eye(2, device=d)),
    ("zeros_like", lambda m, d: m.zeros_like(m.zeros(2), device=d)),
    ("ones_like", lambda m, d: m.ones_like(m.zeros(2), device=d)),
    ("empty_like", lambda m, d: m.empty_like(m.zeros(2), device=d)),
    ("full_like", lambda m, d: m.full_like(m.zeros(2), 1.0, device=d)),
    ("rand_like", lambda m, d: m.rand_like(m.zeros(2), device=d)),
    ("randn_like", lambda m, d: m.randn_like(m.zeros(2), device=d)),
]


@pytest.mark.parametrize("where", ["cpu", "cpu:0", "device-cpu", "cuda", "cuda:0",
                                   "device-cuda", 0])
@pytest.mark.parametrize("name,fn", FACTORIES, ids=[n for n, _ in FACTORIES])
def test_factories_device_keyword_matches_torch(name, fn, where):
    def run(m):
        d = m.device(where[7:]) if isinstance(where, str) and where.startswith("device-") \
            else where
        try:
            return "ok", repr(fn(m, d).device)
        except Exception as e:  # noqa: BLE001
            return type(e).__name__, str(e)
    assert run(eager) == run(torch)


def test_factory_mps_raises_not_implemented_as_torch():
    with pytest.raises(NotImplementedError) as theirs:
        torch.zeros(2, device="mps")
    with pytest.raises(NotImplementedError) as ours:
        eager.zeros(2, device="mps")
    # torch's message goes on to list its dispatch keys; the first sentence is the same
    assert str(theirs.value).startswith(str(ours.value))


def test_meta_device_is_refused_with_a_clear_message():
    # PyTorch makes value-less meta tensors; eager has none (left for later: issue 16)
    with pytest.raises(NotImplementedError, match="device 'meta' is not supported"):
        eager.zeros(2, device="meta")


MODULE_FORMS = [
    ("to('cpu')", lambda m, n: n.to("cpu")),
    ("to(device('cpu'))", lambda m, n: n.to(m.device("cpu"))),
    ("to(device=cpu, dtype)", lambda m, n: n.to(device="cpu", dtype=m.float64)),
    ("cpu()", lambda m, n: n.cpu()),
    ("to('cuda')", lambda m, n: n.to("cuda")),
    ("to(device('cuda:0'))", lambda m, n: n.to(m.device("cuda:0"))),
    ("cuda()", lambda m, n: n.cuda()),
]


@pytest.mark.parametrize("name,fn", MODULE_FORMS, ids=[n for n, _ in MODULE_FORMS])
def test_module_to_cuda_cpu_match_torch(name, fn):
    def run(m):
        net = m.nn.Linear(2, 2)
        try:
            out = fn(m, net)
            return "ok", out is net, repr(net.weight.device), str(net.weight.dtype)[-7:]
        except Exception as e:  # noqa: BLE001
            return type(e).__name__, str(e)
    assert run(eager) == run(torch)


def test_cuda_module_answers_as_torch_without_cuda():
    for name in ("is_available", "device_count", "is_initialized", "empty_cache"):
        assert getattr(eager.cuda, name)() == getattr(torch.cuda, name)(), name
    for name in ("manual_seed", "manual_seed_all"):
        assert getattr(eager.cuda, name)(3) is None and getattr(torch.cuda, name)(3) is None
    for name in ("synchronize", "current_device", "get_device_name"):
        assert outcome(getattr(eager.cuda, name)) == outcome(getattr(torch.cuda, name)), name


def test_backends_and_threads():
    assert eager.backends.mps.is_available() == torch.backends.mps.is_available() is False
    cudnn = eager.backends.cudnn
    assert (cudnn.deterministic, cudnn.benchmark, cudnn.enabled, cudnn.is_available()) == (
        False, False, True, torch.backends.cudnn.is_available())
    try:
        cudnn.deterministic, cudnn.benchmark = True, True
        assert eager.backends.cudnn.deterministic and eager.backends.cudnn.benchmark
    finally:
        cudnn.deterministic, cudnn.benchmark = False, False
    assert_setting_sticks(eager.get_num_threads, eager.set_num_threads, 3)
    for bad in (0, -1):
        assert outcome(lambda b=bad: eager.set_num_threads(b)) == \
            outcome(lambda b=bad: torch.set_num_threads(b))


def typical_program(m):
    """The header most PyTorch scripts open with, then one training step."""
    device = m.device("cuda" if m.cuda.is_available() else "cpu")
    m.manual_seed(0)
    m.cuda.manual_seed_all(0)
    m.backends.cudnn.deterministic = True
    try:
        model = m.nn.Linear(3, 1)
        model.to(device)
        with m.no_grad():
            model.weight.copy_(m.tensor([[0.5, -1.0, 2.0]]))
            model.bias.fill_(0.25)
        x = m.tensor([[1.0, 2.0, 3.0], [0.0, 1.0, -1.0]]).to(device)
        y = m.zeros(2, 1, device=device)
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        return str(device), repr(x.device), loss.item(), model.weight.grad.numpy().tolist()
    finally:
        m.backends.cudnn.deterministic = False


def test_typical_program_header_runs_the_same_under_both():
    ours, theirs = typical_program(eager), typical_program(torch)
    assert ours[:2] == theirs[:2] == ("cpu", "device(type='cpu')")
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-6)
    np.testing.assert_allclose(ours[3], theirs[3], rtol=1e-6)


def test_interop_threads_and_cuda_memory_answer_as_a_cpu_build():
    torch = pytest.importorskip("torch")
    assert_setting_sticks(eager.get_num_interop_threads, eager.set_num_interop_threads, 3)
    for L in (eager, torch):
        with pytest.raises(RuntimeError, match="set_num_interop_threads expects a positive"):
            L.set_num_interop_threads(0)
        assert L.cuda.memory_allocated() == L.cuda.max_memory_reserved() == 0
        with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"):
            L.cuda.mem_get_info()
    assert not eager.backends.mkldnn.is_available() and not eager.backends.openmp.is_available()


def assert_setting_sticks(get, set_, value) -> None:
    """``set_(value)`` is read back by ``get``; the setting is put back afterwards."""
    before = get()
    try:
        set_(value)
        assert get() == value
    finally:
        set_(before)
