"""Multi-layer and bidirectional nn.RNN/LSTM/GRU against torch with torch's weights: outputs,
final states, input/state/parameter gradients; parameter names; inter-layer dropout; lengths
against torch's packed sequences."""

import numpy as np
import pytest
from nn_parity import assert_close, load_torch_weights, randn, run_modules

import eager
import eager.nn as nn

torch = pytest.importorskip("torch")

CASES = [
    ("LSTM", {"num_layers": 2, "bidirectional": True}),
    ("GRU", {"num_layers": 2, "bidirectional": True, "batch_first": True}),
    ("RNN", {"num_layers": 3, "bidirectional": True, "nonlinearity": "relu", "bias": False}),
    ("GRU", {"num_layers": 1, "bidirectional": True}),
    ("LSTM", {"num_layers": 3, "batch_first": True}),
]


def _pair(kind, **options):
    torch.manual_seed(0)
    theirs = getattr(torch.nn, kind)(3, 4, **options)
    ours = getattr(nn, kind)(3, 4, **options)
    assert repr(ours) == repr(theirs)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    return ours, theirs


@pytest.mark.parametrize("kind,options", CASES, ids=lambda v: str(v))
@pytest.mark.parametrize("with_state", [False, True])
def test_stacked_bidirectional_rnns_match_torch(kind, options, with_state):
    ours, theirs = _pair(kind, **options)
    x = randn(2, 5, 3) if options.get("batch_first") else randn(5, 2, 3)
    layers = options["num_layers"] * (2 if options.get("bidirectional") else 1)
    inputs = [x]
    if with_state:
        inputs += [randn(layers, 2, 4, seed=1)] + ([randn(layers, 2, 4, seed=2)]
                                                    if kind == "LSTM" else [])

    def forward(module, x, *state):
        if not state:
            return module(x)
        return module(x, tuple(state) if kind == "LSTM" else state[0])
    run_modules(ours, theirs, inputs, torch, call=forward)


def test_unbatched_input_to_a_bidirectional_lstm():
    ours, theirs = _pair("LSTM", num_layers=2, bidirectional=True)
    run_modules(ours, theirs, [randn(6, 3)], torch)


@pytest.mark.parametrize("kind", ["GRU", "LSTM"])
def test_lengths_match_torchs_packed_sequences(kind):
    ours, theirs = _pair(kind, num_layers=2, bidirectional=True, batch_first=True)
    load_torch_weights(ours, theirs)
    x, lengths = randn(3, 6, 3), [6, 2, 4]
    out, state = ours(eager.tensor(x), lengths=lengths)
    packed = torch.nn.utils.rnn.pack_padded_sequence(torch.tensor(x), lengths,
                                                     batch_first=True, enforce_sorted=False)
    t_out, t_state = theirs(packed)
    t_out, _ = torch.nn.utils.rnn.pad_packed_sequence(t_out, batch_first=True, total_length=6)
    assert_close(out, t_out.detach())
    assert_close(state, tuple(s.detach() for s in t_state) if kind == "LSTM"
                 else t_state.detach())


def test_inter_layer_dropout_in_training_only():
    eager.manual_seed(0)
    lstm = nn.LSTM(3, 4, num_layers=3, dropout=0.5, bidirectional=True)
    x = eager.tensor(randn(5, 2, 3))
    (a, (h, c)), (b, _) = lstm(x), lstm(x)
    assert a.shape == (5, 2, 8) and h.shape == (6, 2, 4) and c.shape == (6, 2, 4)
    assert not np.allclose(a.detach().numpy(), b.detach().numpy())
    lstm.eval()
    np.testing.assert_array_equal(lstm(x)[0].detach().numpy(), lstm(x)[0].detach().numpy())
    # Dropout 0 is deterministic in training too.
    plain = nn.GRU(3, 4, num_layers=2, bidirectional=True)
    np.testing.assert_array_equal(plain(x)[0].detach().numpy(), plain(x)[0].detach().numpy())
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        nn.GRU(3, 4, dropout=0.2)


def test_bad_initial_state_shape_is_refused():
    gru = nn.GRU(3, 4, num_layers=2, bidirectional=True)
    with pytest.raises(RuntimeError, match=r"Expected hidden size \(4, 2, 4\)"):
        gru(eager.zeros(5, 2, 3), eager.zeros(2, 2, 4))
