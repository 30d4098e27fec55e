"""``F.mse_loss``, ``smooth_l1_loss`` and ``huber_loss`` record torch's one node
(MseLossBackward0, SmoothL1LossBackward0, HuberLossBackward0) whose next functions are the
inputs' nodes, for every reduction (the 60-minute blitz walks ``loss.grad_fn.next_functions``),
with torch's values and gradients; mixed dtypes and beta 0 keep torch's results."""

import numpy as np
import pytest

import eager
import eager.nn.functional as F

torch = pytest.importorskip("torch")

LOSSES = {"mse_loss": {}, "smooth_l1_loss": {"beta": 0.7}, "huber_loss": {"delta": 1.3}}
rng = np.random.default_rng(8)
X = rng.standard_normal((3, 4)) * 2
Y = rng.standard_normal((3, 4))


def _walk(fn, depth=3):
    if fn is None:
        return None
    if depth == 0:
        return type(fn).__name__
    return type(fn).__name__, [_walk(f, depth - 1) for f, _ in fn.next_functions]


def _run(lib, name, reduction, target_grad, dtype="float64", **kw):
    functional = F if lib is eager else torch.nn.functional
    x = lib.tensor(X.astype(dtype), requires_grad=True)
    y = lib.tensor(Y.astype(dtype), requires_grad=target_grad)
    loss = getattr(functional, name)(x * 2, y, reduction=reduction, **{**LOSSES[name], **kw})
    walked = _walk(loss.grad_fn)
    (loss * lib.tensor(np.linspace(1, 2, loss.numel()).reshape(tuple(loss.shape)))).sum() \
        .backward()
    return walked, loss.detach().numpy(), x.grad.numpy(), None if y.grad is None \
        else y.grad.numpy()


@pytest.mark.parametrize("target_grad", [False, True], ids=["target", "target-grad"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", list(LOSSES))
def test_one_node_over_the_inputs_nodes_as_torch(name, reduction, target_grad):
    ours = _run(eager, name, reduction, target_grad)
    theirs = _run(torch, name, reduction, target_grad)
    assert ours[0] == theirs[0]
    for mine, ref in zip(ours[1:], theirs[1:], strict=True):
        if ref is None:
            assert mine is None
        else:
            np.testing.assert_allclose(mine, ref, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", list(LOSSES))
def test_gradients_against_finite_differences(name):
    x = eager.tensor(X, requires_grad=True)
    y = eager.tensor(Y, requires_grad=True)
    assert eager.autograd.gradcheck(
        lambda a, b: getattr(F, name)(a, b, **LOSSES[name]), (x, y))
    assert eager.autograd.gradgradcheck(
        lambda a, b: getattr(F, name)(a, b, reduction="sum", **LOSSES[name]), (x, y))


@pytest.mark.parametrize("kw", [{"dtype": "float32"}, {"beta": 0.0}],
                         ids=["float32", "smooth-l1-beta-0"])
def test_other_calls_agree_with_torch(kw):
    name = "smooth_l1_loss" if "beta" in kw else "mse_loss"
    ours = _run(eager, name, "mean", True, **kw)
    theirs = _run(torch, name, "mean", True, **kw)
    if "dtype" in kw:
        assert ours[0] == theirs[0]
    for mine, ref in zip(ours[1:], theirs[1:], strict=True):
        np.testing.assert_allclose(mine, ref, rtol=1e-5, atol=1e-6)


def test_mixed_dtypes_promote_as_before():
    x = eager.tensor(X.astype(np.float32), requires_grad=True)
    loss = F.mse_loss(x, eager.tensor(Y))  # float32 against float64: the decomposition
    ref = torch.nn.functional.mse_loss(torch.tensor(X.astype(np.float32)), torch.tensor(Y))
    assert loss.dtype == eager.float64 and ref.dtype == torch.float64
    np.testing.assert_allclose(loss.item(), ref.item(), rtol=1e-6)
