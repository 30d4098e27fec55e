"""eager.Tensor: creation, storage sharing, attributes, conversions, in-place updates."""

from __future__ import annotations

import numpy as np
import pytest

import eager
import shared_ops


def test_tensor_copies_and_infers_torch_default_dtypes():
    data = np.array([1.0, 2.0])
    t = eager.tensor(data)
    data[0] = 99.0
    assert t.tolist() == [1.0, 2.0]
    assert t.dtype == eager.float64  # an ndarray keeps its dtype
    assert eager.tensor([1.0, 2.0]).dtype == eager.float32  # Python floats: float32
    assert eager.tensor([1, 2]).dtype == eager.int64
    assert eager.tensor(True).dtype == eager.bool
    assert eager.tensor([1, 2], dtype=eager.float64).dtype == eager.float64


def test_from_numpy_shares_memory_both_ways():
    a = np.array([1, 2, 3, 4, 5])
    t = eager.from_numpy(a)
    a[0] = 10
    assert t[0].item() == 10
    t.numpy()[1] = 20
    assert a[1] == 20
    assert t.numpy() is a and np.asarray(t) is a and t.__array__() is a
    with pytest.raises(TypeError):
        eager.from_numpy([1, 2])
    with pytest.raises(shared_ops.DTypeError, match="object"):
        eager.from_numpy(np.zeros(2, object))


def test_as_tensor_shares_when_it_can():
    a = np.zeros(3, np.float32)
    assert eager.as_tensor(a).numpy() is a
    assert eager.as_tensor(a, dtype=eager.float64).dtype == eager.float64
    t = eager.ones(2)
    assert eager.as_tensor(t) is t


def test_filled_and_range_constructors():
    assert eager.zeros(2, 3).shape == (2, 3)
    assert eager.zeros((2, 3)).shape == (2, 3)
    assert eager.ones([4]).tolist() == [1.0, 1.0, 1.0, 1.0]
    assert eager.full((2,), 7).tolist() == [7, 7] and eager.full((2,), 7).dtype == eager.int64
    assert eager.full((2,), 0.5).dtype == eager.float32
    assert eager.empty(3).shape == (3,)
    x = eager.ones(2, 2, dtype=eager.float64)
    assert eager.zeros_like(x).dtype == eager.float64
    assert eager.ones_like(x).tolist() == [[1.0, 1.0], [1.0, 1.0]]
    assert eager.full_like(x, 3.0).tolist() == [[3.0, 3.0], [3.0, 3.0]]
    assert eager.empty_like(x).shape == (2, 2)
    assert eager.arange(5).tolist() == [0, 1, 2, 3, 4] and eager.arange(5).dtype == eager.int64
    assert eager.arange(1, 4).tolist() == [1, 2, 3]
    assert eager.arange(0, 1, 0.25).dtype == eager.float32
    assert np.allclose(eager.linspace(0, 1, 5).numpy(), [0, 0.25, 0.5, 0.75, 1])
    assert eager.eye(3).numpy().trace() == 3.0
    assert eager.zeros(2, requires_grad=True).requires_grad


def test_random_constructors_follow_manual_seed():
    eager.manual_seed(3)
    a = (eager.rand(3), eager.randn(2, 2), eager.randint(0, 10, (5,)))
    eager.manual_seed(3)
    b = (eager.rand(3), eager.randn(2, 2), eager.randint(0, 10, (5,)))
    for x, y in zip(a, b, strict=True):
        assert np.array_equal(x.numpy(), y.numpy())
    assert a[0].dtype == eager.float32 and a[2].dtype == eager.int64
    assert ((a[0].numpy() >= 0) & (a[0].numpy() < 1)).all()
    assert eager.randint(5, (3,)).shape == (3,)
    g = eager.Generator(1)
    assert np.array_equal(eager.rand(2, generator=g).numpy(),
                          eager.rand(2, generator=eager.Generator(1)).numpy())
    assert eager.initial_seed() == 3


def test_attributes_and_conversions():
    t = eager.tensor([[1.5, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert t.shape == (2, 3) and t.size() == (2, 3) and t.size(1) == 3
    assert t.ndim == 2 and t.dim() == 2 and t.numel() == 6
    assert t.tolist() == [[1.5, 2.0, 3.0], [4.0, 5.0, 6.0]]
    assert t.double().dtype == eager.float64 and t.long().dtype == eager.int64
    assert t.long().tolist() == [[1, 2, 3], [4, 5, 6]]
    assert t.float() is t and t.to(eager.float32) is t
    assert t.to("cpu") is t
    with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"):
        t.to("cuda")  # PyTorch without CUDA raises this (issue 16)
    assert eager.tensor([2.5]).item() == 2.5
    with pytest.raises(RuntimeError, match="cannot be converted"):
        t.item()
    assert float(eager.tensor(2.0)) == 2.0 and int(eager.tensor(3)) == 3
    assert len(t) == 2 and [r.tolist() for r in t][1] == [4.0, 5.0, 6.0]
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(t)
    assert f"{eager.tensor(2.5):.2f}" == "2.50"


def test_clone_detach_and_data_share_or_copy_storage():
    x = eager.tensor([1.0, 2.0], requires_grad=True)
    d = x.detach()
    assert d.numpy() is x._data and not d.requires_grad
    assert x.data._data is x._data and not x.data.requires_grad
    c = x.clone()
    assert c._data is not x._data and c.requires_grad and c.grad_fn is not None
    c.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]
    assert x.numpy() is x._data  # shared storage, even when requiring grad


def test_requires_grad_only_on_floats_and_leaves():
    with pytest.raises(RuntimeError, match="floating point"):
        eager.tensor([1, 2], requires_grad=True)
    x = eager.ones(2).requires_grad_()
    assert x.requires_grad and x.is_leaf
    y = x * 2
    assert not y.is_leaf
    with pytest.raises(RuntimeError, match="leaf variables"):
        y.requires_grad = False


def test_inplace_methods_write_into_the_same_array_and_bump_the_version():
    a = np.ones(3, np.float32)
    t = eager.from_numpy(a)
    v = t._version
    t.add_(1).mul_(3).sub_(eager.ones(3))
    assert t.numpy() is a and a.tolist() == [5.0, 5.0, 5.0]
    t += 1
    t /= 2
    assert a.tolist() == [3.0, 3.0, 3.0]
    t.zero_()
    assert a.tolist() == [0.0, 0.0, 0.0]
    t.copy_(eager.tensor([1.0, 2.0, 3.0]))
    t.clamp_(min=1.5)
    assert a.tolist() == [1.5, 2.0, 3.0]
    assert t._version == v + 8
    t.add_(eager.ones(3), alpha=2)
    assert a.tolist() == [3.5, 4.0, 5.0]


def test_inplace_on_a_leaf_that_requires_grad():
    w = eager.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        w.add_(1)
    with eager.no_grad():  # what optimizers do
        w.sub_(0.5)
    assert w.tolist() == [0.5, 0.5] and w.requires_grad


def test_inplace_on_a_recorded_tensor_rebases_its_grad_fn():
    x = eager.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.add_(1)
    assert y.grad_fn.name() == "AddBackward0"
    (y * y).sum().backward()
    assert x.grad.tolist() == [2 * 4.0 * 3, 2 * 7.0 * 3]


def test_setitem_without_grad_and_refused_with_grad():
    t = eager.zeros(2, 3)
    t[0, 1] = 5.0
    t[1] = eager.tensor([1.0, 2.0, 3.0])
    t[eager.tensor([True, False])] = 9.0
    assert t.tolist() == [[9.0, 9.0, 9.0], [1.0, 2.0, 3.0]]
    w = eager.zeros(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        w[0] = 1.0
    with eager.no_grad():
        w[0] = 1.0
    assert w.tolist() == [1.0, 0.0]


def test_tensors_hash_by_identity():
    a, b = eager.ones(1), eager.ones(1)
    assert len({a: 1, b: 2}) == 2


def test_ndarray_on_the_left_defers_to_the_tensor():
    t = eager.tensor([1.0, 2.0], requires_grad=True)
    out = np.array([1.0, 1.0], np.float32) + t
    assert isinstance(out, eager.Tensor) and out.grad_fn is not None


def test_views_share_the_version_counter_of_what_they_view():
    a = eager.ones(3)
    b = a.view(3, 1)
    assert b.numpy().base is a.numpy() or b.numpy().base is a.numpy().base
    w = eager.ones(3, requires_grad=True)
    loss = (w * a).sum()
    b.add_(1)  # changes `a`, which the product saved
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()


def test_inplace_on_a_view_of_a_recorded_tensor_rebases_its_base():
    # PyTorch's CopySlices (tests/eager/views2 compares the general case with torch)
    x = eager.ones(3, requires_grad=True)
    y = x * 2
    y[:2].mul_(3)
    assert type(y.grad_fn).__name__ == "CopySlices"
    y.sum().backward()
    assert y.tolist() == [6.0, 6.0, 2.0] and x.grad.tolist() == [6.0, 6.0, 2.0]


def test_deepcopy_and_pickle_copy_leaves_and_refuse_non_leaves():
    import copy
    import pickle

    x = eager.tensor([1.0, 2.0], requires_grad=True)
    x.grad = eager.ones(2)
    c = copy.deepcopy(x)
    assert c.tolist() == [1.0, 2.0] and c.requires_grad and c._data is not x._data
    assert c.grad.tolist() == [1.0, 1.0]
    p = pickle.loads(pickle.dumps(x))
    assert p.tolist() == [1.0, 2.0] and p.requires_grad
    with pytest.raises(RuntimeError, match="deepcopy"):
        copy.deepcopy(x * 2)


def test_copy_overwrites_any_old_value_and_passes_gradient_to_the_source():
    t = eager.tensor([float("inf"), float("nan")])
    t.copy_(eager.ones(2))
    assert t.tolist() == [1.0, 1.0]
    x = eager.tensor([2.0], requires_grad=True)
    w = eager.zeros(3, requires_grad=True) * 2
    w.copy_(x)
    w.sum().backward()
    assert w.tolist() == [2.0, 2.0, 2.0] and x.grad.tolist() == [3.0]
