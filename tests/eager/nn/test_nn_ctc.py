"""nn.CTCLoss and F.ctc_loss against torch: every reduction, blank position, padded and
concatenated targets, lengths as tensors or int sequences, unbatched input, zero_infinity;
losses and gradients (to log_probs and through log_softmax to the logits); the true
derivative by finite differences; printing and errors."""

import numpy as np
import pytest
from nn_parity import assert_close, run_both
from torch_errors import assert_same_error

import eager
import eager.nn as nn
import eager.nn.functional as F

torch = pytest.importorskip("torch")

T, N, C, S = 10, 3, 5, 4
RNG = np.random.default_rng(16)
LOGITS = RNG.standard_normal((T, N, C)).astype(np.float32)
IN_LEN, TGT_LEN = np.array([10, 8, 6]), np.array([4, 2, 3])


def _targets(blank):
    t = RNG.integers(0, C - 1, (N, S))
    return t + (t >= blank)  # never the blank


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("blank", [0, C - 1])
@pytest.mark.parametrize("layout", ["padded", "concatenated"])
def test_ctc_loss_and_gradients_match_torch(reduction, blank, layout):
    tg = _targets(blank)
    if layout == "concatenated":
        tg = np.concatenate([tg[i, :TGT_LEN[i]] for i in range(N)])

    def loss(lib, fn):
        def f(logits):
            return fn(logits.log_softmax(2), lib.tensor(tg), lib.tensor(IN_LEN),
                      lib.tensor(TGT_LEN), blank=blank, reduction=reduction)
        return f

    run_both(loss(eager, F.ctc_loss), loss(torch, torch.nn.functional.ctc_loss), [LOGITS],
             torch)


def test_gradient_to_log_probs_is_torchs():
    lp = torch.tensor(LOGITS).log_softmax(2).numpy()
    tg = _targets(0)
    run_both(lambda x: F.ctc_loss(x, eager.tensor(tg), list(IN_LEN), tuple(TGT_LEN)),
             lambda x: torch.nn.functional.ctc_loss(x, torch.tensor(tg), list(IN_LEN),
                                                    tuple(TGT_LEN)), [lp], torch)


def test_gradient_through_log_softmax_is_the_true_derivative():
    logits = RNG.standard_normal((5, 2, 3))
    tg, il, tl = np.array([[1, 2], [2, 2]]), np.array([5, 4]), np.array([2, 2])

    def value(a):
        return F.ctc_loss(eager.tensor(a).log_softmax(2), eager.tensor(tg), il, tl).item()

    x = eager.tensor(logits, requires_grad=True)
    F.ctc_loss(x.log_softmax(2), eager.tensor(tg), il, tl).backward()
    numeric = np.zeros_like(logits)
    for idx in np.ndindex(*logits.shape):
        step = np.zeros_like(logits)
        step[idx] = 1e-6
        numeric[idx] = (value(logits + step) - value(logits - step)) / 2e-6
    np.testing.assert_allclose(x.grad.numpy(), numeric, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_unbatched_input_matches_torch(reduction):
    lp = torch.tensor(LOGITS[:, 0]).log_softmax(1).numpy()
    tg = np.array([1, 3, 3])
    run_both(lambda x: F.ctc_loss(x, eager.tensor(tg), eager.tensor(9), eager.tensor(3),
                                  reduction=reduction),
             lambda x: torch.nn.functional.ctc_loss(x, torch.tensor(tg), torch.tensor(9),
                                                    torch.tensor(3), reduction=reduction),
             [lp], torch)


@pytest.mark.parametrize("zero_infinity", [False, True])
def test_impossible_alignments_as_torch(zero_infinity):
    # Three equal labels need five steps (blanks between repeats); three are too few.
    lp = torch.tensor(LOGITS[:3, :2]).log_softmax(2).numpy()
    tg, il, tl = np.array([[1, 1, 1], [2, 3, 0]]), [3, 3], (3, 2)
    ours, theirs = nn.CTCLoss(reduction="none", zero_infinity=zero_infinity), \
        torch.nn.CTCLoss(reduction="none", zero_infinity=zero_infinity)
    xe, xt = eager.tensor(lp, requires_grad=True), torch.tensor(lp, requires_grad=True)
    le, lt = ours(xe, eager.tensor(tg), il, tl), theirs(xt, torch.tensor(tg), il, tl)
    assert_close(le, lt)
    le.sum().backward()
    lt.sum().backward()
    np.testing.assert_array_equal(np.isnan(xe.grad.numpy()), np.isnan(xt.grad.numpy()))
    assert_close(np.nan_to_num(xe.grad.numpy()), np.nan_to_num(xt.grad.numpy()))


def test_ctc_layer_prints_and_keeps_its_options_as_torch():
    ours, theirs = nn.CTCLoss(blank=2, reduction="sum", zero_infinity=True), \
        torch.nn.CTCLoss(blank=2, reduction="sum", zero_infinity=True)
    assert repr(ours) == repr(theirs) == "CTCLoss()"
    assert (ours.blank, ours.reduction, ours.zero_infinity) == \
        (theirs.blank, theirs.reduction, theirs.zero_infinity)


ERRORS = [
    (lambda f, x: f(x, [[1, 2]], [11], [2]), RuntimeError),
    (lambda f, x: f(x, [[1, 2]], [10], [2], blank=5), RuntimeError),
    (lambda f, x: f(x, [[1, 2]], [10], [2], reduction="avg"), ValueError),
    (lambda f, x: f(x, [[1, 2]], [10], [3]), RuntimeError),
]


@pytest.mark.parametrize("call,error", ERRORS, ids=range(len(ERRORS)))
def test_errors_match_torch(call, error):
    lp = LOGITS[:, :1]
    assert_same_error(
        error,
        lambda: call(lambda x, t, *a, **k: F.ctc_loss(x, eager.tensor(t), *a, **k),
                     eager.tensor(lp)),
        lambda: call(lambda x, t, *a, **k: torch.nn.functional.ctc_loss(x, torch.tensor(t), *a,
                                                                        **k), torch.tensor(lp)))
