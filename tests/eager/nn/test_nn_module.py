"""nn.Module machinery: registration, iteration, modes, state dicts, dtype, hooks, repr."""

import numpy as np
import pytest

import eager
import eager.nn as nn
from compare.zoo.simplenet import SimpleNet


class Nested(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Dropout(0.1))
        self.heads = nn.ModuleList([nn.Linear(4, 2), nn.Linear(4, 2), nn.Linear(4, 3)])
        self.extra = nn.ModuleDict({"norm": nn.LayerNorm(4), "act": nn.Tanh()})
        self.scale = nn.Parameter(eager.ones(1))
        self.register_buffer("steps", eager.zeros(1))
        self.register_buffer("scratch", eager.zeros(2), persistent=False)

    def forward(self, x):
        return self.heads[0](self.extra["act"](self.body(x))) * self.scale


SIMPLE_REPR = """\
SimpleNet(
  (fc1): Linear(in_features=10, out_features=5, bias=True)
  (fc2): Linear(in_features=5, out_features=1, bias=True)
)"""

NESTED_REPR = """\
Nested(
  (body): Sequential(
    (0): Linear(in_features=3, out_features=4, bias=True)
    (1): ReLU()
    (2): Dropout(p=0.1, inplace=False)
  )
  (heads): ModuleList(
    (0-1): 2 x Linear(in_features=4, out_features=2, bias=True)
    (2): Linear(in_features=4, out_features=3, bias=True)
  )
  (extra): ModuleDict(
    (norm): LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=True)
    (act): Tanh()
  )
)"""


def test_repr_is_pytorchs():
    assert repr(SimpleNet()) == SIMPLE_REPR
    assert repr(Nested()) == NESTED_REPR
    assert repr(nn.ModuleList()) == "ModuleList()"
    assert repr(nn.Sequential()) == "Sequential()"


def test_repr_matches_torch_for_the_same_structure():
    torch = pytest.importorskip("torch")

    class TorchNested(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.body = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(),
                                            torch.nn.Dropout(0.1))
            self.heads = torch.nn.ModuleList([torch.nn.Linear(4, 2), torch.nn.Linear(4, 2),
                                              torch.nn.Linear(4, 3)])
            self.extra = torch.nn.ModuleDict({"norm": torch.nn.LayerNorm(4),
                                              "act": torch.nn.Tanh()})

    assert repr(TorchNested()).replace("TorchNested", "Nested") == NESTED_REPR


def test_parameters_children_and_modules_in_registration_order():
    net = Nested()
    names = [n for n, _ in net.named_parameters()]
    assert names == ["scale", "body.0.weight", "body.0.bias", "heads.0.weight", "heads.0.bias",
                     "heads.1.weight", "heads.1.bias", "heads.2.weight", "heads.2.bias",
                     "extra.norm.weight", "extra.norm.bias"]
    assert [p for p in net.parameters()] == [p for _, p in net.named_parameters()]
    assert [n for n, _ in net.named_children()] == ["body", "heads", "extra"]
    assert list(net.children()) == [net.body, net.heads, net.extra]
    mods = [n for n, _ in net.named_modules()]
    assert mods[:5] == ["", "body", "body.0", "body.1", "body.2"]
    assert len(list(net.modules())) == len(mods) == 12
    assert [n for n, _ in net.named_parameters(recurse=False)] == ["scale"]
    assert [n for n, _ in net.named_buffers()] == ["steps", "scratch"]


def test_shared_parameters_and_modules_are_listed_once():
    lin = nn.Linear(2, 2)
    seq = nn.Sequential(lin, lin)
    assert len(list(seq.parameters())) == 2
    assert len(list(seq.modules())) == 2
    assert len(seq.state_dict()) == 4  # state dicts keep every name, like PyTorch


def test_train_and_eval_reach_every_submodule():
    net = Nested()
    assert all(m.training for m in net.modules())
    assert net.eval() is net
    assert not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())


def test_attribute_errors_and_type_checks():
    net = SimpleNet()
    with pytest.raises(AttributeError, match="'SimpleNet' object has no attribute 'fc3'"):
        net.fc3  # noqa: B018
    with pytest.raises(TypeError, match="cannot assign 'int' as parameter 'weight'"):
        net.fc1.weight = 3
    with pytest.raises(TypeError, match="cannot assign 'str' as child module 'fc1'"):
        net.fc1 = "oops"
    net.fc1 = None  # removing a child is allowed
    assert [n for n, _ in net.named_children()] == ["fc2"]

    class Early(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(1, 1)

    with pytest.raises(AttributeError, match="before Module.__init__"):
        Early()
    with pytest.raises(NotImplementedError, match='missing the required "forward"'):
        nn.Module()(1)


def test_zero_grad_drops_or_zeroes_gradients():
    net = SimpleNet()
    net(eager.randn(4, 10)).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad(set_to_none=False)
    assert all(not p.grad.numpy().any() for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_state_dict_shares_storage_and_skips_non_persistent_buffers():
    net = Nested()
    sd = net.state_dict()
    assert "scratch" not in sd and "steps" in sd
    assert list(sd)[:2] == ["scale", "steps"]
    assert not sd["scale"].requires_grad
    assert sd["body.0.weight"].numpy() is net.body[0].weight.detach().numpy()


def test_load_state_dict_copies_in_place_and_round_trips():
    eager.manual_seed(0)
    a, b = SimpleNet(), SimpleNet()
    weight = b.fc1.weight._data
    version = b.fc1.weight._version
    result = b.load_state_dict(a.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert b.fc1.weight._data is weight  # written into, not replaced
    assert b.fc1.weight._version > version
    x = eager.randn(3, 10)
    np.testing.assert_array_equal(a(x).detach().numpy(), b(x).detach().numpy())


def test_load_state_dict_strict_errors_use_pytorchs_text_and_change_nothing():
    net = SimpleNet()
    before = {k: v.numpy().copy() for k, v in net.state_dict().items()}
    sd = SimpleNet().state_dict()
    del sd["fc1.bias"]
    sd["fc3.weight"] = eager.zeros(1)
    sd["fc2.weight"] = eager.zeros(2, 5)
    with pytest.raises(RuntimeError) as info:
        net.load_state_dict(sd)
    assert str(info.value) == (
        'Error(s) in loading state_dict for SimpleNet:\n'
        '\tMissing key(s) in state_dict: "fc1.bias". \n'
        '\tUnexpected key(s) in state_dict: "fc3.weight". \n'
        '\tsize mismatch for fc2.weight: copying a param with shape torch.Size([2, 5]) from '
        'checkpoint, the shape in current model is torch.Size([1, 5]).')
    for k, v in net.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), before[k])


def test_load_state_dict_non_strict_reports_keys():
    net = SimpleNet()
    sd = SimpleNet().state_dict()
    del sd["fc2.bias"]
    sd["other"] = eager.zeros(1)
    result = net.load_state_dict(sd, strict=False)
    assert result.missing_keys == ["fc2.bias"]
    assert result.unexpected_keys == ["other"]
    np.testing.assert_array_equal(net.fc1.weight.detach().numpy(), sd["fc1.weight"].numpy())


def test_to_dtype_converts_floating_parameters_and_grads():
    net = Nested()
    net(eager.randn(2, 3)).sum().backward()
    assert net.to(eager.float64) is net
    for p in net.parameters():
        assert p.dtype == np.float64
        assert p.grad is None or p.grad.dtype == np.float64
    assert net.heads[0].weight.grad.dtype == np.float64
    assert net.steps.dtype == np.float64
    out = net(eager.randn(2, 3).double())
    assert out.dtype == np.float64
    assert net.float().body[0].weight.dtype == np.float32
    assert net.to("cpu") is net
    with pytest.raises(TypeError, match="floating point"):
        net.to(eager.int64)


def test_forward_hooks_see_and_replace_inputs_and_outputs():
    net = SimpleNet()
    seen = []
    h1 = net.fc1.register_forward_hook(lambda m, args, out: seen.append((m, args[0].shape,
                                                                        out.shape)))
    h2 = net.fc2.register_forward_pre_hook(lambda m, args: args[0] * 0)
    h3 = net.register_forward_hook(lambda m, args, out: out + 1)
    out = net(eager.randn(4, 10))
    assert seen == [(net.fc1, (4, 10), (4, 5))]
    expected = np.broadcast_to(net.fc2.bias.detach().numpy() + 1, (4, 1))
    np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-6)
    for h in (h1, h2, h3):
        h.remove()
    with net.register_forward_hook(lambda m, args, out: out * 0):
        assert not net(eager.randn(1, 10)).detach().numpy().any()
    assert net(eager.ones(1, 10)).detach().numpy().any()
    assert len(seen) == 1


def test_hooks_run_in_registration_order_unless_prepended():
    lin = nn.Linear(1, 1)
    order = []
    lin.register_forward_hook(lambda *a: order.append("first"))
    lin.register_forward_hook(lambda *a: order.append("second"))
    lin.register_forward_hook(lambda *a: order.append("prepended"), prepend=True)
    lin.register_forward_pre_hook(lambda *a: order.append("pre"))
    lin(eager.ones(1, 1))
    assert order == ["pre", "prepended", "first", "second"]


def test_containers_index_slice_append_and_delete():
    seq = nn.Sequential(nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 1))
    assert isinstance(seq[-1], nn.Linear) and len(seq) == 3
    assert isinstance(seq[:2], nn.Sequential) and len(seq[:2]) == 2
    seq.append(nn.Sigmoid())
    assert [n for n, _ in seq.named_children()] == ["0", "1", "2", "3"]
    del seq[1]
    assert len(seq) == 3
    with pytest.raises(IndexError):
        seq[5]  # noqa: B018
    ml = nn.ModuleList([nn.ReLU(), nn.Tanh()])
    ml.insert(0, nn.Sigmoid())
    del ml[1]
    assert [type(m).__name__ for m in ml] == ["Sigmoid", "Tanh"]
    assert list(ml._modules) == ["0", "1"]
    md = nn.ModuleDict({"a": nn.ReLU()})
    md["b"] = nn.Tanh()
    assert list(md) == ["a", "b"] and "b" in md and len(md) == 2
    assert md.pop("a").__class__ is nn.ReLU


def test_parameter_wraps_without_copy_and_prints_like_torch():
    t = eager.tensor([1.0, 2.0])
    p = nn.Parameter(t)
    assert p.requires_grad and p.is_leaf
    assert p._data is t._data
    assert repr(p) == "Parameter containing:\ntensor([1., 2.], requires_grad=True)"
    assert not nn.Parameter(t, requires_grad=False).requires_grad
