"""AdaptiveLogSoftmaxWithLoss against torch: the same seed gives the same weights (torch's
init order), outputs, loss, every gradient, log_prob, predict, the repr and the errors."""

import numpy as np
import pytest
from nn_parity import assert_close, randn
from torch_errors import assert_same_error

import eager
import eager.nn as nn

torch = pytest.importorskip("torch")


def _pair(args, kwargs, seed=0):
    eager.manual_seed(seed)
    ours = nn.AdaptiveLogSoftmaxWithLoss(*args, **kwargs)
    torch.manual_seed(seed)
    theirs = torch.nn.AdaptiveLogSoftmaxWithLoss(*args, **kwargs)
    return ours, theirs


@pytest.mark.parametrize("args,kwargs,target", [
    ((16, 30, [5, 12, 20]), {"div_value": 2.0}, [0, 4, 7, 13, 25, 29, 3, 12]),
    ((8, 10, [4]), {"head_bias": True}, [9, 1, 5, 5, 0]),
    ((16, 10, (2, 6)), {}, [0, 1, 0, 1]),  # every target in the shortlist
    ((16, 10, [3, 7]), {}, [8, 9, 4]),  # none in the shortlist
])
def test_same_seed_same_numbers_and_gradients(args, kwargs, target):
    ours, theirs = _pair(args, kwargs)
    assert repr(ours) == repr(theirs)
    for (name, p), (tname, q) in zip(ours.named_parameters(), theirs.named_parameters(),
                                     strict=True):
        assert name == tname
        np.testing.assert_array_equal(p.numpy(), q.detach().numpy())
    x = randn(len(target), args[0])
    xe, xt = eager.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    oe, ot = ours(xe, eager.tensor(target)), theirs(xt, torch.tensor(target))
    assert type(oe).__name__ == type(ot).__name__ == "_ASMoutput"
    assert_close([oe.output, oe.loss], [ot.output, ot.loss])
    oe.loss.backward()
    ot.loss.backward()
    assert_close(xe.grad, xt.grad, what="input grad")
    for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters(),
                                 strict=True):
        assert_close(p.grad, q.grad, what=name)
    assert_close(ours.log_prob(xe), theirs.log_prob(xt))
    np.testing.assert_array_equal(ours.predict(xe).numpy(), theirs.predict(xt).numpy())


def test_unbatched_input_and_the_full_distribution():
    ours, theirs = _pair((6, 9, [3]), {})
    x = randn(6)
    oe, ot = ours(eager.tensor(x), eager.tensor(7)), theirs(torch.tensor(x), torch.tensor(7))
    assert_close([oe.output, oe.loss], [ot.output, ot.loss])
    probs = np.exp(ours.log_prob(eager.tensor(randn(4, 6))).numpy())
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)


@pytest.mark.parametrize("args", [(8, 10, []), (8, 10, [5, 3]), (8, 10, [0, 3]),
                                  (8, 10, [3, 10]), (8, 10, [3, 3])])
def test_bad_cutoffs_are_torch_s_errors(args):
    assert_same_error(ValueError, lambda: nn.AdaptiveLogSoftmaxWithLoss(*args),
                      lambda: torch.nn.AdaptiveLogSoftmaxWithLoss(*args))


@pytest.mark.parametrize("x_shape,target", [((3, 8), [0, 1]), ((3, 8), [0, 1, 12]),
                                            ((3, 8), [[0]]), ((3, 2, 8), [0, 1, 2]),
                                            ((3, 8), 1)])
def test_bad_inputs_are_torch_s_errors(x_shape, target):
    ours, theirs = _pair((8, 10, [4]), {})
    x = np.ones(x_shape, np.float32)
    assert_same_error(RuntimeError, lambda: ours(eager.tensor(x), eager.tensor(target)),
                      lambda: theirs(torch.tensor(x), torch.tensor(target)))
