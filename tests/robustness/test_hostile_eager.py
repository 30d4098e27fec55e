"""Hostile inputs in eager mode: bad dtypes, read-only and non-contiguous arrays, empty
batches, scalars vs one-element arrays, huge shapes. Legitimate ones are checked against
PyTorch; bad ones must raise a named error."""

from __future__ import annotations

import numpy as np
import pytest

import eager
import eager.nn as nn
import shared_ops as so
from shared_ops import limits
from shared_ops.errors import DTypeError
from shared_ops.limits import SizeLimitError

SUPPORTED = (r"\(supported: bool, uint8, int8, int16, int32, int64, float16, float32, float64, "
             r"complex64, complex128\)")


@pytest.mark.parametrize("value, name", [
    (np.array([1, "a"], dtype=object), "object"),
    (np.array(["a", "b"]), "<U1"),
    ([object()], "object"),
])
def test_unsupported_dtypes_are_refused_when_made(value, name):
    with pytest.raises(DTypeError, match=rf"tensor: unsupported dtype {name} {SUPPORTED}"):
        eager.tensor(value)


@pytest.mark.parametrize("other, name", [
    ("a", "<U1"), (np.array([None, None]), "object"),
])
def test_unsupported_dtypes_are_refused_by_ops_naming_the_user_line(other, name):
    with pytest.raises(DTypeError, match=rf"add: unsupported dtype {name} {SUPPORTED} at "
                                         r".*test_hostile_eager.py:\d+"):
        eager.ones(2) + other
    with pytest.raises(TypeError):  # DTypeError is a TypeError for code catching builtins
        so.exp(np.asarray(other))


def test_read_only_arrays_are_read_not_written():
    torch = pytest.importorskip("torch")
    frozen = np.arange(6, dtype=np.float32).reshape(2, 3)
    frozen.setflags(write=False)
    x = eager.tensor(frozen, requires_grad=True)
    (x * x).sum().backward()
    tx = torch.tensor(frozen.copy(), requires_grad=True)
    (tx * tx).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy())
    assert not frozen.flags.writeable and frozen[1, 2] == 5.0
    shared = eager.from_numpy(frozen)  # shares memory, so stays read-only
    np.testing.assert_array_equal((shared + 1).numpy(), frozen + 1)


def test_in_place_op_on_read_only_memory_names_the_op():
    frozen = np.zeros(3, np.float32)
    frozen.setflags(write=False)
    with pytest.raises(ValueError, match=r"add_: .*read-only.* at .*test_hostile_eager.py"):
        eager.from_numpy(frozen).add_(1)
    assert not frozen.any()


def test_non_contiguous_inputs_match_torch():
    torch = pytest.importorskip("torch")
    base = np.random.default_rng(0).standard_normal((6, 8)).astype(np.float32)
    views = [base[:, ::2], base.T, base[::-1], np.asfortranarray(base)]
    for view in views:
        x = eager.from_numpy(view).requires_grad_()
        w = eager.ones(view.shape[1], 3)
        (x @ w).tanh().sum().backward()
        tx = torch.tensor(np.ascontiguousarray(view), requires_grad=True)
        (tx @ torch.ones(view.shape[1], 3)).tanh().sum().backward()
        np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_zero_size_batch_matches_torch():
    torch = pytest.importorskip("torch")
    eager.manual_seed(0)
    lin = nn.Linear(3, 2)
    tlin = torch.nn.Linear(3, 2)
    out = lin(eager.zeros(0, 3))
    assert out.shape == (0, 2)
    out.sum().backward()
    tlin(torch.zeros(0, 3)).sum().backward()
    np.testing.assert_array_equal(lin.weight.grad.numpy(), tlin.weight.grad.numpy())
    np.testing.assert_array_equal(lin.bias.grad.numpy(), tlin.bias.grad.numpy())
    # The mean over no elements is NaN in both (IEEE 0/0), not an exception.
    mse = nn.functional.mse_loss(eager.zeros(0, 2), eager.zeros(0, 2))
    tmse = torch.nn.functional.mse_loss(torch.zeros(0, 2), torch.zeros(0, 2))
    assert np.isnan(mse.item()) and np.isnan(tmse.item())


def test_scalars_and_one_element_tensors_follow_torch():
    torch = pytest.importorskip("torch")
    cases = [lambda m: m.tensor(3.0), lambda m: m.tensor([3.0]), lambda m: m.tensor([[3.0]])]
    for make in cases:
        e, t = make(eager), make(torch)
        assert e.shape == tuple(t.shape)
        assert (e + eager.tensor([1.0, 2.0])).shape == tuple((t + torch.tensor([1.0, 2.0])).shape)
        assert e.item() == t.item() == 3.0
        x = make(eager).requires_grad_()
        (x * 2).backward()  # one element: an implicit gradient of 1, as in torch
        assert x.grad.shape == x.shape and x.grad.numpy().ravel().tolist() == [2.0]
    with pytest.raises(RuntimeError, match="a Tensor with 2 elements cannot be converted to "
                                           "Scalar"):
        eager.tensor([1.0, 2.0]).item()
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar "
                                           "outputs"):
        eager.tensor([1.0, 2.0], requires_grad=True).exp().backward()


def test_huge_op_output_is_a_size_error_naming_the_op():
    with pytest.raises(SizeLimitError, match=r"add: failed on shapes \(1000000, 1\) and "
                                             r"\(1, 10000000\).*Unable to allocate") as info:
        eager.ones(10**6, 1) + eager.ones(1, 10**7)
    assert isinstance(info.value, MemoryError)
    assert "test_hostile_eager.py" in str(info.value)


def test_eager_creation_respects_the_size_limit():
    with pytest.raises(SizeLimitError, match=r"zeros: output f32\[1000000000000\] would have "
                                             r"1000000000000 elements"):
        eager.zeros((10**12,))
    with limits.max_elements(100), pytest.raises(SizeLimitError, match="over the limit of 100"):
        eager.zeros(101)
