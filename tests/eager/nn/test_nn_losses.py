"""Loss modules and their functional forms against torch: values and input gradients."""

import numpy as np
import pytest

import eager
import eager.nn as nn
import eager.nn.functional as F

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)
LOGITS = RNG.standard_normal((6, 4))
PROBS = 1 / (1 + np.exp(-RNG.standard_normal((6, 3))))
BINARY = (RNG.random((6, 3)) > 0.5).astype(np.float64)
CLASSES = RNG.integers(0, 4, 6)
CLASSES_IGNORED = np.where(np.arange(6) % 3 == 0, -100, CLASSES)

CASES = [
    ("MSELoss", LOGITS, RNG.standard_normal((6, 4)), {}),
    ("BCELoss", PROBS, BINARY, {}),
    ("BCEWithLogitsLoss", LOGITS[:, :3] * 20, BINARY, {}),
    ("CrossEntropyLoss", LOGITS, CLASSES, {}),
    ("CrossEntropyLoss", LOGITS, CLASSES_IGNORED, {}),
    ("NLLLoss", np.log(np.exp(LOGITS) / np.exp(LOGITS).sum(1, keepdims=True)), CLASSES, {}),
]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name,x,target,kwargs", CASES, ids=[c[0] for c in CASES])
def test_loss_value_and_gradient_match_torch(name, x, target, kwargs, reduction):
    xe = eager.tensor(x, requires_grad=True)
    xt = torch.tensor(x, requires_grad=True)
    le = getattr(nn, name)(reduction=reduction, **kwargs)(xe, eager.tensor(target))
    lt = getattr(torch.nn, name)(reduction=reduction, **kwargs)(xt, torch.tensor(target))
    np.testing.assert_allclose(le.detach().numpy(), lt.detach().numpy(), rtol=1e-7, atol=1e-12)
    le.sum().backward()
    lt.sum().backward()
    np.testing.assert_allclose(xe.grad.numpy(), xt.grad.numpy(), rtol=1e-7, atol=1e-12)


def test_functional_names_and_arguments_are_pytorchs():
    x = RNG.standard_normal((3, 5))
    xe, xt = eager.tensor(x), torch.tensor(x)
    pairs = [
        (F.softmax(xe, dim=0), torch.nn.functional.softmax(xt, dim=0)),
        (F.log_softmax(xe, 1), torch.nn.functional.log_softmax(xt, 1)),
        (F.gelu(xe), torch.nn.functional.gelu(xt)),
        (F.relu(xe), torch.nn.functional.relu(xt)),
        (F.mse_loss(xe, xe * 2), torch.nn.functional.mse_loss(xt, xt * 2)),
        (F.layer_norm(xe, (5,)), torch.nn.functional.layer_norm(xt, (5,))),
        (F.linear(xe, eager.tensor(x)), torch.nn.functional.linear(xt, torch.tensor(x))),
    ]
    for ours, theirs in pairs:
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-12)


def test_softmax_without_dim_uses_pytorchs_implicit_choice():
    x = RNG.standard_normal((2, 3, 4))
    ours = F.softmax(eager.tensor(x)).numpy()
    np.testing.assert_allclose(ours.sum(axis=0), 1.0)  # 3-d: dim 0, as legacy torch


def test_out_of_range_class_names_the_index():
    logits = eager.zeros(2, 3)
    with pytest.raises(IndexError, match="12"):
        F.cross_entropy(logits, eager.tensor([0, 12]))


CLASS_WEIGHT = np.array([0.5, 2.0, 1.0, 3.0])
ELEMENT_WEIGHT = RNG.random((6, 3))
POS_WEIGHT = np.array([0.5, 2.0, 4.0])

WEIGHTED = [
    ("CrossEntropyLoss", LOGITS, CLASSES, dict(weight=CLASS_WEIGHT)),
    ("CrossEntropyLoss", LOGITS, CLASSES_IGNORED, dict(weight=CLASS_WEIGHT)),
    ("NLLLoss", LOGITS, CLASSES_IGNORED, dict(weight=CLASS_WEIGHT, ignore_index=-100)),
    ("BCELoss", PROBS, BINARY, dict(weight=ELEMENT_WEIGHT)),
    ("BCEWithLogitsLoss", LOGITS[:, :3] * 20, BINARY, dict(weight=ELEMENT_WEIGHT)),
    ("BCEWithLogitsLoss", LOGITS[:, :3] * 20, BINARY, dict(pos_weight=POS_WEIGHT)),
    ("BCEWithLogitsLoss", LOGITS[:, :3], BINARY, dict(weight=ELEMENT_WEIGHT[0],
                                                      pos_weight=POS_WEIGHT)),
    ("CrossEntropyLoss", LOGITS, CLASSES_IGNORED, dict(label_smoothing=0.2)),
    ("CrossEntropyLoss", LOGITS, np.exp(LOGITS) / np.exp(LOGITS).sum(1, keepdims=True),
     dict(label_smoothing=0.3)),
    ("CrossEntropyLoss", LOGITS, CLASSES_IGNORED, dict(weight=CLASS_WEIGHT,
                                                       label_smoothing=0.2)),
    ("CrossEntropyLoss", LOGITS, CLASSES, dict(weight=CLASS_WEIGHT, label_smoothing=0.1)),
    ("CrossEntropyLoss", LOGITS, np.exp(LOGITS) / np.exp(LOGITS).sum(1, keepdims=True),
     dict(weight=CLASS_WEIGHT)),
    ("CrossEntropyLoss", LOGITS, np.exp(LOGITS) / np.exp(LOGITS).sum(1, keepdims=True),
     dict(weight=CLASS_WEIGHT, label_smoothing=0.3)),
]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name,x,target,kwargs", WEIGHTED,
                         ids=[f"{c[0]}-{'-'.join(c[3])}" for c in WEIGHTED])
def test_weighted_losses_match_torch(name, x, target, kwargs, reduction):
    xe = eager.tensor(x, requires_grad=True)
    xt = torch.tensor(x, requires_grad=True)
    ours = getattr(nn, name)(reduction=reduction,
                             **{k: eager.tensor(v) if isinstance(v, np.ndarray) else v
                                for k, v in kwargs.items()})
    theirs = getattr(torch.nn, name)(reduction=reduction,
                                     **{k: torch.tensor(v) if isinstance(v, np.ndarray) else v
                                        for k, v in kwargs.items()})
    le, lt = ours(xe, eager.tensor(target)), theirs(xt, torch.tensor(target))
    np.testing.assert_allclose(le.detach().numpy(), lt.detach().numpy(), rtol=1e-7, atol=1e-12)
    le.sum().backward()
    lt.sum().backward()
    np.testing.assert_allclose(xe.grad.numpy(), xt.grad.numpy(), rtol=1e-7, atol=1e-12)


def test_loss_weights_are_buffers():
    loss = nn.CrossEntropyLoss(weight=[1.0, 2.0])
    assert list(loss.state_dict()) == ["weight"]
    assert loss.double().weight.dtype == np.float64
    assert repr(loss) == "CrossEntropyLoss()"


MIXED = [  # (function, input dtype, target dtype): PyTorch's result dtype, not promotion
    ("binary_cross_entropy_with_logits", "float64", "float32"),
    ("binary_cross_entropy_with_logits", "float32", "float64"),
    ("huber_loss", "float32", "float64"),
    ("huber_loss", "float64", "float32"),
    ("soft_margin_loss", "float32", "float64"),
    ("mse_loss", "float32", "float64"),
]


@pytest.mark.parametrize("name,in_dtype,target_dtype", MIXED)
@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_mixed_float_dtypes_give_torchs_result_dtype(name, in_dtype, target_dtype, reduction):
    x, y = RNG.standard_normal((3, 4)), np.sign(RNG.standard_normal((3, 4)))
    if name == "binary_cross_entropy_with_logits":
        y = (y > 0).astype(float)
    ours = getattr(F, name)(eager.tensor(x, dtype=getattr(eager, in_dtype)),
                            eager.tensor(y, dtype=getattr(eager, target_dtype)),
                            reduction=reduction)
    theirs = getattr(torch.nn.functional, name)(
        torch.tensor(x, dtype=getattr(torch, in_dtype)),
        torch.tensor(y, dtype=getattr(torch, target_dtype)), reduction=reduction)
    assert str(ours.dtype) == str(theirs.dtype)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-7)


def test_bce_with_logits_weights_of_another_dtype_keep_the_targets():
    x, y = RNG.standard_normal((2, 3)), RNG.random((2, 3))
    for L in (eager, torch):
        loss = L.nn.functional.binary_cross_entropy_with_logits(
            L.tensor(x, dtype=L.float32), L.tensor(y, dtype=L.float32),
            weight=L.tensor(y), pos_weight=L.tensor([1.0, 2.0, 3.0], dtype=L.float64))
        assert str(loss.dtype) == "torch.float32"


def test_bce_of_probabilities_refuses_mixed_dtypes_as_torch():
    for L in (eager, torch):
        with pytest.raises(RuntimeError, match="Found dtype Double but expected Float"):
            L.nn.functional.binary_cross_entropy(L.ones(2) * 0.5, L.ones(2, dtype=L.float64))
