"""torch.full takes a 0-d tensor fill value as the Python number it holds (its dtype picks the
result's dtype as that number's would), and refuses other tensors with torch's TypeError;
torch.msort sorts along dim 0."""
import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("make", [
    lambda L: L.tensor(3),
    lambda L: L.tensor(2.5, dtype=L.float64),
    lambda L: L.tensor(True),
    lambda L: -L.log(L.tensor(12.0)),  # the Sinkhorn program's log-weights
])
def test_full_with_zero_dim_tensor(make):
    got, want = eager.full((2, 3), make(eager)), torch.full((2, 3), make(torch))
    assert str(got.dtype) == str(want.dtype)
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6)


@pytest.mark.parametrize("make", [lambda L: L.tensor([1.0, 2.0]),
                                  lambda L: L.tensor(1.5, requires_grad=True)])
def test_full_refuses_other_tensors(make):
    with pytest.raises(TypeError) as want:
        torch.full((2,), make(torch))
    with pytest.raises(TypeError) as got:
        eager.full((2,), make(eager))
    assert str(got.value) == str(want.value)


@pytest.mark.parametrize("data", [[[2, 1], [0, 3], [1, 1]], [3.0, -1.0, 2.0], [[0.5, 0.25]]])
def test_msort_matches_torch(data):
    got, want = eager.msort(eager.tensor(data)), torch.msort(torch.tensor(data))
    assert str(got.dtype) == str(want.dtype)
    np.testing.assert_array_equal(got.numpy(), want.numpy())


def test_msort_gradient_flows_to_the_sorted_positions():
    x = eager.tensor([[3.0, 1.0], [1.0, 2.0]], requires_grad=True)
    t = torch.tensor([[3.0, 1.0], [1.0, 2.0]], requires_grad=True)
    weights = [[1.0, 2.0], [3.0, 4.0]]
    (eager.msort(x) * eager.tensor(weights)).sum().backward()
    (torch.msort(t) * torch.tensor(weights)).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), t.grad.numpy())


def test_msort_method_matches_torch():
    data = [[2.0, 1.0], [0.0, 3.0], [1.0, -1.0]]
    np.testing.assert_array_equal(eager.tensor(data).msort().numpy(),
                                  torch.tensor(data).msort().numpy())
