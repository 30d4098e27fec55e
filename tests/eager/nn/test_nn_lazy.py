"""Lazy modules against torch: the placeholders before the first call (repr, state dict keys,
shape errors), the materialized layer after it (class, repr, shapes and - from the same seed -
the very numbers of torch's initialization), training after the dry run, and errors."""

import numpy as np
import pytest
from nn_parity import assert_close, randn
from torch_errors import assert_same_error

import eager
import eager.nn as nn

torch = pytest.importorskip("torch")

LAYERS = [
    ("LazyLinear", (3,), {}, (2, 4)),
    ("LazyLinear", (5,), {"bias": False}, (2, 3, 6)),
    ("LazyConv1d", (4, 3), {"stride": 2}, (2, 3, 9)),
    ("LazyConv2d", (4, 3), {"padding": 1, "groups": 2}, (2, 6, 5, 5)),
    ("LazyConv2d", (2, (3, 1)), {"bias": False}, (3, 5, 4)),  # unbatched
    ("LazyConv3d", (2, 2), {}, (1, 3, 4, 4, 3)),
    ("LazyConvTranspose1d", (3, 2), {"stride": 2}, (2, 4, 5)),
    ("LazyConvTranspose2d", (4, 3), {"stride": 2, "bias": False}, (1, 2, 4, 4)),
    ("LazyConvTranspose3d", (2, 2), {"stride": 2}, (1, 3, 2, 3, 2)),
    ("LazyBatchNorm1d", (), {}, (4, 3)),
    ("LazyBatchNorm1d", (), {"affine": False}, (4, 3, 5)),
    ("LazyBatchNorm2d", (), {"momentum": 0.3}, (2, 3, 2, 2)),
    ("LazyBatchNorm3d", (), {"track_running_stats": False}, (2, 2, 2, 2, 2)),
]


@pytest.mark.parametrize("name,args,kwargs,shape", LAYERS, ids=lambda v: str(v))
def test_lazy_layer_materializes_as_torch(name, args, kwargs, shape):
    eager.manual_seed(7)
    torch.manual_seed(7)
    ours, theirs = getattr(nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert ours.has_uninitialized_params() == theirs.has_uninitialized_params()
    x = randn(*shape)
    out_ours, out_theirs = ours(eager.tensor(x)), theirs(torch.tensor(x))
    assert type(ours).__name__ == type(theirs).__name__ == name[4:]
    assert repr(ours) == repr(theirs)
    assert not hasattr(ours, "has_uninitialized_params")
    for (key, a), (_, b) in zip(ours.state_dict().items(), theirs.state_dict().items(),
                                strict=True):
        assert type(a).__name__ == type(b).__name__, key
        assert_close(a, b, what=key)  # the seeded initialization drew torch's numbers
    assert_close(out_ours, out_theirs, atol=1e-5)
    assert all(type(p) is nn.Parameter for p in ours.parameters())


def test_placeholders_print_and_refuse_their_shape_as_torch():
    ours, theirs = nn.LazyLinear(2), torch.nn.LazyLinear(2)
    assert repr(ours.weight) == repr(theirs.weight) == "<UninitializedParameter>"
    assert repr(nn.LazyBatchNorm1d().running_mean) == "<UninitializedBuffer>"
    assert isinstance(ours.weight, nn.UninitializedParameter)
    assert isinstance(ours.weight, nn.Parameter)
    with pytest.raises(RuntimeError) as t:
        theirs.weight.shape  # noqa: B018
    with pytest.raises(RuntimeError) as e:
        ours.weight.shape  # noqa: B018
    assert str(e.value) == str(t.value)


def test_parameters_keep_their_identity_and_train_after_the_dry_run():
    def train(lib, seed=3):
        lib.manual_seed(seed)
        net = lib.nn.Sequential(lib.nn.LazyConv1d(4, 3), lib.nn.ReLU(), lib.nn.Flatten(),
                                lib.nn.LazyLinear(2))
        x, y = lib.randn(5, 3, 8), lib.randn(5, 2)
        before = list(net.parameters())
        net(x)  # the dry run
        assert [id(p) for p in net.parameters()] == [id(p) for p in before]
        opt = lib.optim.SGD(net.parameters(), lr=0.1)
        losses = []
        for _ in range(3):
            opt.zero_grad()
            loss = lib.nn.functional.mse_loss(net(x), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        return losses, repr(net)

    (ours, ours_repr), (theirs, theirs_repr) = train(eager), train(torch)
    assert ours_repr == theirs_repr
    np.testing.assert_allclose(ours, theirs, rtol=1e-5)


def test_load_state_dict_materializes_lazy_layers_as_torch():
    def load(lib):
        lib.manual_seed(0)
        net = lib.nn.Sequential(lib.nn.LazyLinear(3), lib.nn.ReLU(), lib.nn.LazyBatchNorm1d(),
                                lib.nn.Unflatten(1, (3, 1)), lib.nn.LazyConv1d(2, 1))
        source = lib.nn.Sequential(lib.nn.Linear(5, 3), lib.nn.ReLU(), lib.nn.BatchNorm1d(3),
                                   lib.nn.Unflatten(1, (3, 1)), lib.nn.Conv1d(3, 2, 1))
        net.load_state_dict(source.state_dict())
        loaded = repr(net), tuple(net[0].weight.shape), type(net[2].running_mean).__name__
        out = net(lib.arange(20.0).reshape(4, 5).sin())
        return loaded, repr(net), out

    (loaded_ours, repr_ours, ours), (loaded_theirs, repr_theirs, theirs) = load(eager), \
        load(torch)
    assert loaded_ours == loaded_theirs and repr_ours == repr_theirs
    assert_close(ours, theirs, atol=1e-5)


ERRORS = [
    (lambda m: m.nn.LazyConv2d(4, 3)(m.ones(3, 3)), RuntimeError),
    (lambda m: m.nn.LazyConv2d(4, 3, groups=2)(m.ones(1, 3, 4, 4)), ValueError),
]


@pytest.mark.parametrize("call,error", ERRORS, ids=range(len(ERRORS)))
def test_errors_match_torch(call, error):
    assert_same_error(error, lambda: call(eager), lambda: call(torch))
