"""`nn.LSTM(proj_size=...)` (LSTM with projections) against PyTorch: parameter names, shapes
and initialisation order, outputs, final states and gradients in float64, several layers,
both directions, ``batch_first``, lengths, and torch's constructor and state-shape errors."""

import numpy as np
import pytest

import eager
import eager.nn as nn

torch = pytest.importorskip("torch")

T, B, F, H, P = 5, 3, 4, 6, 2


def make_pair(**kwargs):
    ours = nn.LSTM(F, H, proj_size=P, dtype=eager.float64, **kwargs)
    theirs = torch.nn.LSTM(F, H, proj_size=P, dtype=torch.float64, **kwargs)
    theirs.load_state_dict({k: torch.from_numpy(np.asarray(v).copy())
                            for k, v in ours.state_dict().items()})
    return ours, theirs


def loss_of(out, state):
    h, c = state
    return (out * out).sum() + (h * 3.0).sum() + (c * c).sum()


@pytest.mark.parametrize("num_layers", [1, 2])
@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
def test_outputs_states_and_gradients_match_torch(num_layers, bidirectional, batch_first):
    ours, theirs = make_pair(num_layers=num_layers, bidirectional=bidirectional,
                             batch_first=batch_first)
    x = np.random.default_rng(0).standard_normal((B, T, F) if batch_first else (T, B, F))
    xe, xt = eager.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out_e, state_e = ours(xe)
    out_t, state_t = theirs(xt)
    assert tuple(out_e.shape) == tuple(out_t.shape)
    for a, b in zip((out_e, *state_e), (out_t, *state_t), strict=True):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-10,
                                   atol=1e-12)
    loss_of(out_e, state_e).backward()
    loss_of(out_t, state_t).backward()
    np.testing.assert_allclose(xe.grad.numpy(), xt.grad.numpy(), rtol=1e-9, atol=1e-11)
    for (name, p), q in zip(ours.named_parameters(), theirs.parameters(), strict=True):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-9, atol=1e-11,
                                   err_msg=name)


def test_parameters_are_registered_and_drawn_in_torchs_order():
    eager.manual_seed(3)
    torch.manual_seed(3)
    ours = nn.LSTM(F, H, num_layers=2, proj_size=P, bidirectional=True)
    theirs = torch.nn.LSTM(F, H, num_layers=2, proj_size=P, bidirectional=True)
    assert [(n, tuple(p.shape)) for n, p in ours.named_parameters()] == \
        [(n, tuple(p.shape)) for n, p in theirs.named_parameters()]
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())
    assert repr(ours) == repr(theirs)


def test_given_initial_state_and_lengths():
    ours, theirs = make_pair(num_layers=2)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((T, B, F))
    h0, c0 = rng.standard_normal((2, B, P)), rng.standard_normal((2, B, H))
    out_e, (h_e, c_e) = ours(eager.tensor(x), (eager.tensor(h0), eager.tensor(c0)),
                             lengths=[5, 2, 4])
    packed = torch.nn.utils.rnn.pack_padded_sequence(torch.tensor(x), torch.tensor([5, 2, 4]),
                                                     enforce_sorted=False)
    out_t, (h_t, c_t) = theirs(packed, (torch.tensor(h0), torch.tensor(c0)))
    out_t, _ = torch.nn.utils.rnn.pad_packed_sequence(out_t, total_length=T)
    for a, b in ((out_e, out_t), (h_e, h_t), (c_e, c_t)):
        np.testing.assert_allclose(a.numpy(), b.detach().numpy(), rtol=1e-10, atol=1e-12)


def test_unbatched_input():
    ours, theirs = make_pair()
    x = np.random.default_rng(2).standard_normal((T, F))
    out_e, (h_e, c_e) = ours(eager.tensor(x))
    out_t, (h_t, c_t) = theirs(torch.tensor(x))
    assert (tuple(out_e.shape), tuple(h_e.shape), tuple(c_e.shape)) == \
        ((T, P), (1, P), (1, H))
    np.testing.assert_allclose(out_e.numpy(), out_t.detach().numpy(), rtol=1e-10)


@pytest.mark.parametrize("kwargs, message", [
    (dict(proj_size=-1), "proj_size should be a positive integer or zero"),
    (dict(proj_size=6), "proj_size has to be smaller than hidden_size"),
    (dict(dropout=1.5), r"dropout should be a number in range \[0, 1\]"),
    (dict(num_layers=0), "num_layers must be greater than zero"),
])
def test_constructor_errors_match_torch(kwargs, message):
    for module in (nn, torch.nn):
        with pytest.raises(ValueError, match=message):
            module.LSTM(F, H, **kwargs)


def test_rnn_and_gru_refuse_a_projection():
    with pytest.raises(ValueError, match="only supported for LSTM"):
        nn.RNNBase("GRU", F, H, proj_size=2)
    with pytest.raises(TypeError, match="hidden_size should be of type int, got: float"):
        nn.GRU(F, 2.0)


def test_wrong_state_shapes_name_which_state():
    lstm = nn.LSTM(F, H, proj_size=P)
    x = eager.zeros(T, B, F)
    with pytest.raises(RuntimeError, match=r"Expected hidden\[0\] size \(1, 3, 2\), got "
                                           r"\[1, 3, 6\]"):
        lstm(x, (eager.zeros(1, B, H), eager.zeros(1, B, H)))
    with pytest.raises(RuntimeError, match=r"Expected hidden\[1\] size \(1, 3, 6\), got "
                                           r"\[1, 3, 2\]"):
        lstm(x, (eager.zeros(1, B, P), eager.zeros(1, B, P)))
