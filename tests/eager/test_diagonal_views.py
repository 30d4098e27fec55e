"""``Tensor.diagonal`` and ``Tensor.select`` are views as in torch: writes through them reach
the viewed tensor (``A.diagonal().add_(eps)``, ``mask.diagonal().fill_(0)``), they share its
version counter, and their gradients are torch's; ``torch.diag`` of a matrix stays a copy."""

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

WRITES = {
    "fill": lambda z: z.diagonal().fill_(1.0),
    "offset": lambda z: z.diagonal(1).add_(2.0),
    "negative offset": lambda z: z.diagonal(-1).mul_(0.0).add_(3.0),
    "other dims": lambda z: z.unsqueeze(0).diagonal(0, 2, 1).add_(4.0),
    "setitem": lambda z: z.diagonal().__setitem__(0, 9.0),
    "select": lambda z: z.select(1, 2).fill_(8.0),
    "select negative": lambda z: z.select(0, -1).add_(5.0),
}


@pytest.mark.parametrize("name", WRITES)
def test_writes_through_the_view_reach_the_tensor(name):
    results = []
    for lib in (eager, torch):
        z = lib.arange(12.0).reshape(3, 4)
        WRITES[name](z)
        results.append(np.asarray(z.tolist()))
    np.testing.assert_array_equal(*results)


def test_diag_of_a_matrix_is_a_copy_as_in_torch():
    for lib in (eager, torch):
        z = lib.zeros(3, 3)
        lib.diag(z).fill_(1.0)
        assert z.sum().item() == 0.0


def test_gradients_through_diagonal_and_diagonal_scatter_match_torch():
    x0 = np.random.default_rng(0).standard_normal((2, 3, 4))
    grads = []
    for lib in (eager, torch):
        x = lib.tensor(x0, requires_grad=True)
        s = lib.tensor(x0[0, 0, :3].copy(), requires_grad=True)
        out = (x.diagonal(1, 1, 2) ** 2).sum() + \
            lib.diagonal_scatter(x[0], s, 1).pow(3).sum()
        out.backward()
        grads.append((x.grad.numpy(), s.grad.numpy()))
    for a, b in zip(*grads, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_a_write_into_the_diagonal_of_a_recorded_tensor_reaches_it_as_torch():
    # (recorded as PyTorch's CopySlices: tests/eager/views2 holds the general case)
    results = []
    for lib in (eager, torch):
        x = lib.ones(3, 3, requires_grad=True)
        y = x * 2
        y.diagonal().add_(1.0)
        y.diagonal(1).zero_()
        (y * y).sum().backward()
        results.append((y.detach().numpy(), x.grad.numpy(), type(y.grad_fn).__name__))
    np.testing.assert_array_equal(results[0][0], results[1][0])
    np.testing.assert_array_equal(results[0][1], results[1][1])
    assert results[0][2] == results[1][2] == "CopySlices"


def test_select_checks_its_index_as_torch():
    for lib in (eager, torch):
        with pytest.raises(IndexError, match=r"index 3 out of range for tensor of size "
                                             r"\[3, 4\] at dimension 0"):
            lib.zeros(3, 4).select(0, 3)


SETITEMS = {
    "mask": lambda y, v: y.__setitem__(y < 0, -1e6),
    "row": lambda y, v: y.__setitem__(1, v),
    "column": lambda y, v: y.__setitem__((slice(None), 0), v[:3]),
}


@pytest.mark.parametrize("name", SETITEMS)
def test_index_assignment_into_a_recorded_tensor_is_differentiable_as_in_torch(name):
    """d2l's masked_softmax (``X[~mask] = -1e6``) and CS231n's backward passes assign into
    tensors of the graph; torch records the assignment, and so does eager."""
    x0 = np.random.default_rng(1).standard_normal((3, 4))
    results = []
    for lib in (eager, torch):
        x = lib.tensor(x0, requires_grad=True)
        v = lib.tensor([1.5, -2.0, 0.5, 3.0], requires_grad=True)
        y = x * 2
        SETITEMS[name](y, v)
        (y ** 2).sum().backward()
        results.append([y.detach().numpy(), x.grad.numpy(),
                        np.zeros(4) if v.grad is None else v.grad.numpy()])
    for a, b in zip(*results, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_index_assignment_into_a_leaf_requiring_grad_is_refused():
    x = eager.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        x[0] = 5.0
