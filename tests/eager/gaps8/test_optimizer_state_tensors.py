"""``optimizer.state[p]`` holds Tensors as torch's (kinds, dtypes, shapes, values), updated in
place by each step, so code that reads or edits them (resetting momentum with ``zero_()``,
``torch.norm(state["exp_avg"])``, a held reference) behaves as with torch; state dicts load
back as torch's do."""

import numpy as np
import pytest

import eager
import eager.nn as nn
import eager.optim as optim

torch = pytest.importorskip("torch")

CONFIGS = [
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.1)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, amsgrad=True)),
    ("AdamW", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True)),
    ("RMSprop", dict(lr=0.01)),
    ("Adagrad", dict(lr=0.1)),
    ("Adadelta", dict()),
    ("Adamax", dict()),
    ("NAdam", dict()),
    ("RAdam", dict()),
    ("Rprop", dict()),
    ("ASGD", dict()),
]
IDS = [f"{name}-{'-'.join(kw)}" for name, kw in CONFIGS]
X = np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32)


def _twins(name, kwargs, dtype=np.float32):
    eager.manual_seed(0)
    ours = nn.Linear(3, 2).to(dtype)
    theirs = torch.nn.Linear(3, 2).to(getattr(torch, np.dtype(dtype).name))
    with torch.no_grad():
        for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
            q.copy_(torch.from_numpy(p.detach().numpy().copy()))
    return (ours, getattr(optim, name)(ours.parameters(), **kwargs),
            theirs, getattr(torch.optim, name)(theirs.parameters(), **kwargs))


def _step(lib, model, opt):
    x = lib.from_numpy(X.astype(str(model.weight.dtype).replace("torch.", "")))
    opt.zero_grad()
    (model(x) ** 2).mean().backward()
    opt.step()


def _describe(entries):
    return {key: (type(value).__name__, str(value.dtype).replace("torch.", ""),
                  tuple(value.shape)) if hasattr(value, "shape") else (type(value).__name__,)
            for key, value in entries.items()}


@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=IDS)
def test_state_entries_are_tensors_as_torchs(name, kwargs):
    ours, opt, theirs, ref = _twins(name, kwargs)
    assert _describe(opt.state[ours.weight]) == _describe(ref.state[theirs.weight])
    for _ in range(3):
        _step(eager, ours, opt)
        _step(torch, theirs, ref)
    mine, reference = opt.state[ours.weight], ref.state[theirs.weight]
    assert list(mine) == list(reference)  # names, in torch's order
    assert _describe(mine) == _describe(reference)
    for key, value in mine.items():
        assert isinstance(value, eager.Tensor), key
        np.testing.assert_allclose(value.numpy(), reference[key].numpy(), rtol=1e-5,
                                   atol=1e-7, err_msg=key)
    assert repr(mine.get("step")) == repr(reference.get("step"))


@pytest.mark.parametrize("name,kwargs", [CONFIGS[0], CONFIGS[2], CONFIGS[5]],
                         ids=[IDS[0], IDS[2], IDS[5]])
def test_state_edited_in_place_is_what_the_next_step_reads(name, kwargs):
    # An LR finder / restart resetting the buffers: zero_() on every state Tensor.
    ours, opt, theirs, ref = _twins(name, kwargs)
    for lib, model, o in ((eager, ours, opt), (torch, theirs, ref)):
        _step(lib, model, o)
        _step(lib, model, o)
        for entries in o.state.values():
            for key, value in entries.items():
                if key != "step":
                    value.zero_()
        _step(lib, model, o)
    np.testing.assert_allclose(ours.weight.detach().numpy(), theirs.weight.detach().numpy(),
                               rtol=1e-5, atol=1e-6)
    norm_mine = eager.norm(next(iter(opt.state[ours.weight].values())).float())
    norm_ref = torch.norm(next(iter(ref.state[theirs.weight].values())).float())
    assert norm_mine.item() == pytest.approx(norm_ref.item(), rel=1e-5)


def test_a_held_state_tensor_follows_the_steps():
    ours, opt, theirs, ref = _twins("Adam", dict(lr=0.01))
    _step(eager, ours, opt)
    held = opt.state[ours.weight]["exp_avg"]
    view = held[0]  # a view of it, and a NumPy array of it, follow too
    array = held.numpy()
    version = held._version
    for _ in range(3):
        _step(eager, ours, opt)
    assert opt.state[ours.weight]["exp_avg"] is held and held._version == version + 3
    for _ in range(4):
        _step(torch, theirs, ref)
    expected = ref.state[theirs.weight]["exp_avg"].numpy()
    np.testing.assert_allclose(held.numpy(), expected, rtol=1e-5, atol=1e-7)
    np.testing.assert_array_equal(view.numpy(), held.numpy()[0])
    np.testing.assert_array_equal(array, held.numpy())


def test_loaded_state_stays_tensors_cast_to_the_parameters_dtype():
    ours, opt, theirs, ref = _twins("Adam", dict(lr=0.01))
    _step(eager, ours, opt)
    _step(torch, theirs, ref)
    ours64, opt64, theirs64, ref64 = _twins("Adam", dict(lr=0.01), np.float64)
    opt64.load_state_dict(opt.state_dict())
    ref64.load_state_dict(ref.state_dict())
    assert _describe(opt64.state[ours64.weight]) == _describe(ref64.state[theirs64.weight])
    # A state dict of the same dtype is not copied: the loaded optimizer shares its Tensors.
    other = optim.Adam(ours.parameters())
    other.load_state_dict(opt.state_dict())
    assert other.state[ours.weight]["exp_avg"] is opt.state[ours.weight]["exp_avg"]
    _step(eager, ours64, opt64)
    _step(torch, theirs64, ref64)
    np.testing.assert_allclose(opt64.state[ours64.weight]["exp_avg_sq"].numpy(),
                               ref64.state[theirs64.weight]["exp_avg_sq"].numpy(), rtol=1e-6)


def test_sparse_adam_state_as_torchs():
    eager.manual_seed(0)
    emb = nn.Embedding(4, 2, sparse=True)
    twin = torch.nn.Embedding(4, 2, sparse=True)
    with torch.no_grad():
        twin.weight.copy_(torch.from_numpy(emb.weight.detach().numpy().copy()))
    opt, ref = optim.SparseAdam(emb.parameters()), torch.optim.SparseAdam(twin.parameters())
    for lib, model, o in ((eager, emb, opt), (torch, twin, ref)):
        model(lib.tensor([1, 3])).sum().backward()
        o.step()
    assert _describe(opt.state[emb.weight]) == _describe(ref.state[twin.weight])
    np.testing.assert_allclose(opt.state[emb.weight]["exp_avg_sq"].numpy(),
                               ref.state[twin.weight]["exp_avg_sq"].numpy(), rtol=1e-6)
