"""``static.compile(model)`` trains unchanged eager Modules to eager's losses (issue 17 point
4): 20 steps of the eager optimizer on the compiled model, two batch sizes, within 1e-5
relative. Dropout masks: the compiled graph draws each mask's seed from eager's seed source,
so with the source both runs share (as the compare harness does) they drop the same
elements."""

import copy
import itertools

import numpy as np
import pytest

import eager
import eager.nn as nn
import eager.nn.functional as F
import shared_ops
import static
from benchmarks.torch_style_models import CNN, GPT, MLP, RNNModel

STEPS = 20


def twins(cls):
    eager.manual_seed(0)
    a = cls()
    return a, copy.deepcopy(a)


def train(model, batches, loss_fn, optimizer):
    losses = []
    for step, batch in enumerate(batches):
        seeds = itertools.count(1000 * step)  # the same dropout seeds in both runs
        with shared_ops.using_seed_source("eager", lambda _x, seeds=seeds: next(seeds)):
            optimizer.zero_grad()
            loss = loss_fn(model, *batch)
            loss.backward()
            optimizer.step()
        losses.append(loss.item())
    return losses


def check_twins(cls, batches, loss_fn, make_opt, **compile_args):
    a, b = twins(cls)
    before = [p.detach().numpy().copy() for p in b.parameters()]
    compiled = static.compile(b, **compile_args)
    want = train(a, batches, loss_fn, make_opt(a.parameters()))
    got = train(compiled, batches, loss_fn, make_opt(b.parameters()))
    np.testing.assert_allclose(got, want, rtol=1e-5)
    assert not compiled.breaks and compiled.ledger.traces >= 1  # it ran compiled
    assert len(set(want)) == STEPS  # every step gives its own loss
    for (name, p), q in zip(a.named_parameters(), b.parameters(), strict=True):
        np.testing.assert_allclose(q.detach().numpy(), p.detach().numpy(), rtol=1e-4,
                                   atol=1e-6, err_msg=name)
    # The compiled model trained the Module's own parameters, every one of them.
    assert not any(np.allclose(p0, q.detach().numpy())
               for p0, q in zip(before, b.parameters(), strict=True))
    return compiled


def classification(shape, classes, sizes=(8, 5)):
    """Batches of two sizes, labelled by a fixed linear rule (so that there is something
    to learn)."""
    rng = np.random.default_rng(0)
    rule = rng.standard_normal((int(np.prod(shape)), classes))
    out = []
    for k in range(STEPS):
        x = rng.standard_normal((sizes[k % 2], *shape)).astype(np.float32)
        y = (x.reshape(len(x), -1) @ rule).argmax(1)
        out.append((eager.tensor(x), eager.tensor(y)))
    return out


def test_an_mlp_trains_like_eager_and_two_batch_sizes_share_one_dynamic_trace():
    compiled = check_twins(MLP, classification((6,), 3),
                           lambda m, x, y: F.cross_entropy(m(x), y),
                           lambda ps: eager.optim.SGD(ps, lr=0.1, momentum=0.9))
    assert compiled.ledger.traces == 2  # the second size marks the batch dim dynamic
    assert compiled.ledger.records[1].reason.endswith("(now dynamic: x dim 0)")
    assert compiled.ledger.records[1].signature == "(x: f32[?,6])"


def test_a_cnn_with_flatten_and_dropout_trains_like_eager():
    compiled = check_twins(CNN, classification((1, 12, 12), 10),
                           lambda m, x, y: F.nll_loss(m(x), y),
                           lambda ps: eager.optim.Adam(ps, lr=1e-2), dynamic=True)
    assert compiled.ledger.traces == 1  # dynamic=True: one trace for both sizes


def test_an_lstm_language_model_carries_its_detached_state_like_eager():
    rng = np.random.default_rng(1)
    data = [(eager.tensor(rng.integers(0, 13, (7, 4))), eager.tensor(rng.integers(0, 13, 28)))
            for _ in range(STEPS)]
    states = {}

    def loss_fn(model, tokens, targets):
        # pytorch/examples: the state goes on from batch to batch, detached (repackaged).
        key = id(model)
        hidden = states.get(key) or model.init_hidden(4)
        out, hidden = model(tokens, tuple(h.detach() for h in hidden))
        states[key] = hidden
        return F.nll_loss(out, targets)

    check_twins(RNNModel, data, loss_fn, lambda ps: eager.optim.SGD(ps, lr=0.5))


def test_a_gpt_returns_logits_and_loss_and_trains_like_eager():
    rng = np.random.default_rng(2)
    data = [(eager.tensor(rng.integers(0, 11, (n, 8))), eager.tensor(rng.integers(0, 11, (n, 8))))
            for n in [4, 3] * (STEPS // 2)]

    def loss_fn(model, idx, targets):
        logits, loss = model(idx, targets)
        assert logits.shape == (idx.shape[0], 8, 11)
        return loss

    # SGD: the key bias's gradient is zero up to rounding (softmax ignores a shift shared by
    # all keys), and Adam would scale that rounding noise up to full-size steps.
    compiled = check_twins(GPT, data, loss_fn, lambda ps: eager.optim.SGD(ps, lr=0.1))
    assert compiled.ledger.traces == 2
    logits, loss = compiled(data[0][0])  # no targets: a new signature, loss None
    assert loss is None and logits.shape == (4, 8, 11)


def test_eval_is_a_new_signature_and_drops_no_elements():
    a, b = twins(CNN)
    compiled = static.compile(b)
    x = classification((1, 12, 12), 10)[0][0]
    compiled.train()
    compiled(x)
    assert compiled.eval() is compiled and not b.training
    with eager.no_grad():
        got = compiled(x)
    assert got.grad_fn is None
    np.testing.assert_allclose(got.numpy(), a.eval()(x).detach().numpy(), rtol=1e-5, atol=1e-6)
    assert compiled.ledger.records[-1].reason == \
        "training mode changed (train()/eval() of a submodule)"


def test_parameters_are_the_modules_own_and_gradients_reach_inputs():
    a, b = twins(MLP)
    compiled = static.compile(b)
    assert list(compiled.parameters())[0] is b.fc1.weight  # attributes are the Module's
    x = eager.tensor(np.random.default_rng(3).standard_normal((2, 6)).astype(np.float32),
                     requires_grad=True)
    x2 = x.detach().clone().requires_grad_(True)
    (compiled(x) ** 2).sum().backward()
    (a(x2) ** 2).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), x2.grad.numpy(), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(b.fc1.weight.grad.numpy(), a.fc1.weight.grad.numpy(),
                               rtol=1e-5, atol=1e-7)
    with eager.no_grad():
        b.fc2.bias.add_(1.0)  # an in-place update is seen without a retrace
        a.fc2.bias.add_(1.0)
    np.testing.assert_allclose(compiled(x).detach().numpy(), a(x).detach().numpy(), rtol=1e-6)
    assert compiled.ledger.traces == 1
    assert "OptimizedModule" in repr(compiled)


def test_a_function_over_a_closure_module_is_compiled_with_its_parameters():
    a, b = twins(MLP)

    def step(x, y):
        return F.cross_entropy(b(x), y)

    compiled = static.compile(step)
    x, y = classification((6,), 3)[0]
    loss = compiled(x, y)
    loss.backward()
    F.cross_entropy(a(x), y).backward()
    assert loss.item() == pytest.approx(F.cross_entropy(a(x), y).item(), rel=1e-6)
    np.testing.assert_allclose(b.fc2.weight.grad.numpy(), a.fc2.weight.grad.numpy(),
                               rtol=1e-5, atol=1e-7)


def test_freezing_a_parameter_is_a_new_signature():
    a, b = twins(MLP)
    compiled = static.compile(b)
    x, y = classification((6,), 3)[0]
    F.cross_entropy(compiled(x), y).backward()
    b.fc1.weight.requires_grad_(False)
    b.zero_grad()
    F.cross_entropy(compiled(x), y).backward()
    assert b.fc1.weight.grad is None and b.fc2.weight.grad is not None
    assert compiled.ledger.records[-1].reason == "requires_grad of a parameter changed"
    b.fc1.weight.requires_grad_(True)
    F.cross_entropy(compiled(x), y).backward()  # the first trace again: no retrace
    assert compiled.ledger.traces == 2 and b.fc1.weight.grad is not None


def test_traces_are_bounded_and_evictions_recorded(monkeypatch):
    import static.compiling.compiled_module as cm

    monkeypatch.setattr(cm, "MAX_TRACES", 2)
    static.config.retrace_warning_threshold = 10
    try:
        compiled = static.compile(MLP(), dynamic=False)
        for n in (1, 2, 3):
            compiled(eager.ones(n, 6))
    finally:
        static.config.retrace_warning_threshold = 5
    assert len(compiled._entries) == 2 and compiled.ledger.evicted == 1
    assert "evicted trace 1 (x: f32[1,6])" in str(compiled.ledger)
    compiled(eager.ones(1, 6))  # traced again
    assert compiled.ledger.traces == 4


def test_python_values_and_sizes_come_back_as_python_values():
    class Many(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3, 2)

        def forward(self, x):
            return self.fc(x), x.argmax(1), 3.0, x.size(0), {"none": None}

    compiled = static.compile(Many(), dynamic=True)
    for n in (2, 4):
        y, idx, k, size, extra = compiled(eager.ones(n, 3))
        assert y.grad_fn.name() == "CompiledRegionBackward0" and y.shape == (n, 2)
        assert idx.dtype == eager.int64 and idx.grad_fn is None
        assert (k, size, extra) == (3.0, n, {"none": None})
        assert type(k) is float and type(size) is int
    assert compiled.ledger.traces == 1


def test_compiled_dropout_is_reproducible_under_manual_seed_and_fresh_each_step():
    x = classification((1, 12, 12), 10)[0][0]
    runs = []
    for _ in range(2):
        _, model = twins(CNN)
        compiled = static.compile(model)
        eager.manual_seed(7)
        runs.append([compiled(x).detach().numpy() for _ in range(2)])
    np.testing.assert_array_equal(runs[0][0], runs[1][0])  # same seed, same masks
    np.testing.assert_array_equal(runs[0][1], runs[1][1])
    assert not np.array_equal(runs[0][0], runs[0][1])  # a new mask every call
