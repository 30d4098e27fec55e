"""`nn.RNN`/`nn.GRU`/`nn.LSTM` against PyTorch (weights copied through the state dict):
outputs, final states and gradients, with ``batch_first``, several layers and ``lengths=``
(compared with torch's pack_padded_sequence)."""

import numpy as np
import pytest

import eager
import eager.nn as nn

torch = pytest.importorskip("torch")

T, B, F, H = 6, 3, 4, 5
LENGTHS = [6, 2, 4]


def make_pair(kind, **kwargs):
    eager.manual_seed(0)
    ours = getattr(nn, kind)(F, H, dtype=eager.float64, **kwargs)
    theirs = getattr(torch.nn, kind)(F, H, dtype=torch.float64, **kwargs)
    theirs.load_state_dict({k: torch.from_numpy(np.asarray(v).copy())
                            for k, v in ours.state_dict().items()})
    return ours, theirs


def inputs(batch_first):
    x = np.random.default_rng(1).standard_normal((B, T, F) if batch_first else (T, B, F))
    return x


def run_ours(model, x, lengths=None, hx=None):
    xt = eager.tensor(x, requires_grad=True)
    out, state = model(xt, hx, lengths=lengths)
    h = state[0] if isinstance(state, tuple) else state
    loss = (out * out).sum() + (h * h * 2.0).sum()
    loss.backward()
    return out, state, xt


def run_torch(model, x, lengths=None, batch_first=False):
    xt = torch.tensor(x, requires_grad=True)
    if lengths is None:
        out, state = model(xt)
    else:
        packed = torch.nn.utils.rnn.pack_padded_sequence(xt, torch.tensor(lengths),
                                                         batch_first=batch_first,
                                                         enforce_sorted=False)
        out, state = model(packed)
        out, _ = torch.nn.utils.rnn.pad_packed_sequence(out, batch_first=batch_first,
                                                        total_length=T)
    h = state[0] if isinstance(state, tuple) else state
    loss = (out * out).sum() + (h * h * 2.0).sum()
    loss.backward()
    return out, state, xt


def close(a, b):
    np.testing.assert_allclose(np.asarray(a.detach()), b.detach().numpy(), rtol=1e-9,
                               atol=1e-10)


@pytest.mark.parametrize("kind", ["RNN", "GRU", "LSTM"])
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("num_layers", [1, 2])
@pytest.mark.parametrize("lengths", [None, LENGTHS], ids=["full", "lengths"])
def test_matches_torch(kind, batch_first, num_layers, lengths):
    ours, theirs = make_pair(kind, num_layers=num_layers, batch_first=batch_first)
    x = inputs(batch_first)
    out, state, xg = run_ours(ours, x, lengths)
    t_out, t_state, t_xg = run_torch(theirs, x, lengths, batch_first)
    close(out, t_out)
    for s, ts in zip(state if kind == "LSTM" else (state,),
                     t_state if kind == "LSTM" else (t_state,), strict=True):
        close(s, ts)
    close(xg.grad, t_xg.grad)
    t_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        close(p.grad, t_params[name].grad)


def test_parameter_names_and_repr_follow_torch():
    ours, theirs = make_pair("LSTM", num_layers=2, batch_first=True)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours) == repr(theirs)
    assert repr(nn.RNN(3, 4, nonlinearity="relu", bias=False)) == \
        repr(torch.nn.RNN(3, 4, nonlinearity="relu", bias=False))


def test_initial_state_and_unbatched_input():
    ours, theirs = make_pair("GRU", num_layers=2)
    x = inputs(False)
    h0 = np.random.default_rng(2).standard_normal((2, B, H))
    out, h = ours(eager.tensor(x), eager.tensor(h0))
    t_out, t_h = theirs(torch.tensor(x), torch.tensor(h0))
    close(out, t_out)
    close(h, t_h)
    out, h = ours(eager.tensor(x[:, 0]), eager.tensor(h0[:, 0]))
    t_out, t_h = theirs(torch.tensor(x[:, 0]), torch.tensor(h0[:, 0]))
    assert tuple(out.shape) == (T, H) and tuple(h.shape) == (2, H)
    close(out, t_out)
    close(h, t_h)


def test_padded_steps_do_not_change_the_final_state():
    ours, _ = make_pair("LSTM", batch_first=True)
    x = inputs(True)
    noisy = x.copy()
    noisy[1, 2:] = 1e3  # garbage beyond sequence 1's length
    a_out, (a_h, a_c) = ours(eager.tensor(x), lengths=[6, 2, 4])
    b_out, (b_h, b_c) = ours(eager.tensor(noisy), lengths=[6, 2, 4])
    np.testing.assert_array_equal(np.asarray(a_h), np.asarray(b_h))
    np.testing.assert_array_equal(np.asarray(a_c), np.asarray(b_c))
    np.testing.assert_array_equal(np.asarray(b_out)[1, 2:], 0.0)


def test_unknown_nonlinearity_is_refused():
    with pytest.raises(ValueError, match="Unknown nonlinearity"):
        nn.RNN(3, 4, nonlinearity="sigmoid")


def test_bad_shapes_are_reported_like_torch():
    gru = nn.GRU(F, H, num_layers=2)
    x = eager.tensor(inputs(False))
    with pytest.raises(RuntimeError, match="input.size\\(-1\\) must be equal to input_size"):
        gru(eager.tensor(np.zeros((T, B, F + 1))))
    with pytest.raises(RuntimeError, match=r"Expected hidden size \(2, 3, 5\), got \[1, 3, 5\]"):
        gru(x, eager.tensor(np.zeros((1, B, H))))
    with pytest.raises(ValueError, match=r"lengths must lie in 1..6"):
        gru(x, lengths=[7, 1, 1])
    with pytest.raises(ValueError, match="needs a batch"):
        gru(eager.tensor(inputs(False)[:, 0]), lengths=[3])
