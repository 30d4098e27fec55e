"""``F.nll_loss`` and ``F.cross_entropy`` take class indices as int64 or uint8 only, as torch:
an int32 (int16, int8, bool, float) target is refused with torch's RuntimeError rather than
used; cross_entropy still takes class probabilities of the input's shape."""

import numpy as np
import pytest

import eager
import eager.nn.functional as F

torch = pytest.importorskip("torch")

DTYPES = ["int64", "uint8", "int32", "int16", "int8", "bool", "float32", "float64"]
X = np.random.default_rng(3).standard_normal((3, 4)).astype(np.float32)


def _outcome(lib, functional, name, dtype, shape=(3,)):
    target = lib.tensor(np.array([1, 0, 2, 1, 0, 3][:int(np.prod(shape))]).reshape(shape)
                        .astype(dtype))
    x = lib.tensor(X)
    if name == "nll_loss":
        x = x.log_softmax(1)
    try:
        return "ok", round(getattr(functional, name)(x, target).item(), 5)
    except RuntimeError as e:
        return "RuntimeError", str(e)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["nll_loss", "cross_entropy"])
def test_target_dtypes_as_torch(name, dtype):
    ours = _outcome(eager, F, name, dtype)
    theirs = _outcome(torch, torch.nn.functional, name, dtype)
    assert ours == theirs


def test_spatial_and_module_forms_refuse_int32_too():
    logits = np.random.default_rng(4).standard_normal((2, 3, 4)).astype(np.float32)
    target = np.zeros((2, 4), np.int32)
    for lib in (eager, torch):
        with pytest.raises(RuntimeError, match="^expected target dtype to be Long or Byte, but "
                                               "got Int$"):
            lib.nn.CrossEntropyLoss()(lib.tensor(logits), lib.tensor(target))
        with pytest.raises(RuntimeError, match="but got Int$"):
            lib.nn.NLLLoss(weight=lib.ones(3))(lib.tensor(logits), lib.tensor(target))


def test_probabilities_of_the_inputs_shape_are_taken():
    probs = np.random.default_rng(5).dirichlet(np.ones(4), 3).astype(np.float32)
    ours = F.cross_entropy(eager.tensor(X), eager.tensor(probs)).item()
    theirs = torch.nn.functional.cross_entropy(torch.tensor(X), torch.tensor(probs)).item()
    assert ours == pytest.approx(theirs, rel=1e-6)
