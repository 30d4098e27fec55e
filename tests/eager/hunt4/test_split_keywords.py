"""Tensor.split and torch.split take their size argument under PyTorch's keyword names, and
refuse each other's name with torch's TypeError."""

import pytest

import eager

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("size", [2, [1, 3, 2]])
def test_method_split_size_keyword(size):
    got = eager.arange(12.0).reshape(6, 2).split(split_size=size, dim=0)
    want = torch.arange(12.0).reshape(6, 2).split(split_size=size, dim=0)
    assert [g.tolist() for g in got] == [w.tolist() for w in want]


def test_function_split_keyword_and_wrong_names():
    got = eager.split(eager.arange(5.0), split_size_or_sections=[2, 3])
    assert [g.tolist() for g in got] == [[0.0, 1.0], [2.0, 3.0, 4.0]]
    for lib in (torch, eager):
        with pytest.raises(TypeError):
            lib.arange(4.0).split(split_size_or_sections=2)
        with pytest.raises(TypeError):
            lib.split(lib.arange(4.0), split_size=2)


def test_split_with_keyword_keeps_shared_grad_fn():
    x = eager.arange(6.0, requires_grad=True)
    a, b = (x * 1).split(split_size=[4, 2])
    assert type(a.grad_fn).__name__ == "SplitWithSizesBackward0" and a.grad_fn is b.grad_fn
    (a.sum() + 2 * b.sum()).backward()
    assert x.grad.tolist() == [1, 1, 1, 1, 2, 2]


def test_split_size_keyword_when_compiled_with_dualgraph():
    pytest.importorskip("static")  # registers the dualgraph backend

    class Gate(eager.nn.Module):
        def forward(self, x):
            a, b = x.split(split_size=[2, 2], dim=-1)
            return a * eager.sigmoid(b)

    x = eager.arange(8.0).reshape(2, 4) / 4
    got = eager.compile(Gate(), backend="dualgraph")(x)
    want = torch.arange(8.0).reshape(2, 4) / 4
    want = want[:, :2] * torch.sigmoid(want[:, 2:])
    assert torch.allclose(torch.tensor(got.numpy()), want)
