"""A basic index's grad_fn is named after the last view op PyTorch applies for it (select,
slice, unsqueeze, or an alias when whole-axis slices make none); any index tensor makes it
IndexBackward0."""

import pytest

import eager

torch = pytest.importorskip("torch")

KEYS = [(0, slice(None, 4)), 0, (slice(None), 1), slice(None, 2), (slice(1, None), 0),
        (None, 0), (Ellipsis, 0), (slice(None), None), (1, 2), (slice(None, 2), slice(None, 3)),
        (0, slice(None)), (slice(None), slice(None)), Ellipsis, slice(None), None,
        (0, None, slice(None)), (0, Ellipsis), (0, slice(None, None, 2)), -1,
        ([0, 2], slice(None)), (slice(None), [1, 3]), (0, [1, 1])]


@pytest.mark.parametrize("key", KEYS, ids=repr)
def test_grad_fn_of_basic_index_is_torchs(key):
    x = torch.randn(3, 5, requires_grad=True)
    e = eager.tensor(x.detach().numpy(), requires_grad=True)
    assert type(e[key].grad_fn).__name__ == type(x[key].grad_fn).__name__


def test_gradient_through_renamed_index_still_flows():
    e = eager.arange(15.0).reshape(3, 5).requires_grad_()
    e[0, None][..., 1:3].sum().backward()
    assert e.grad.tolist() == [[0, 1, 1, 0, 0], [0] * 5, [0] * 5]
