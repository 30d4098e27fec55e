"""Shape methods that take their sizes or dims as ``*args`` also take torch's keyword spelling
(``x.flip(dims=(1,))``, ``x.permute(dims=...)``, ``x.view(size=...)``, ``x.reshape(shape=...)``,
``x.expand(size=...)``, ``x.repeat(repeats=...)``, ``x.tile(dims=...)``,
``x.transpose(dim0=, dim1=)``, ``torch.permute(x, dims=)``, ``torch.reshape(x, shape=)``),
with the same values and gradients as torch, and a TypeError for a size given twice."""
import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

CALLS = {
    "flip": lambda L, x: x.flip(dims=(1,)),
    "flip_list": lambda L, x: L.flip(x, dims=[0, 2]),
    "permute": lambda L, x: x.permute(dims=(2, 0, 1)),
    "torch.permute": lambda L, x: L.permute(x, dims=(1, 0, 2)),
    "view": lambda L, x: x.view(size=(6, 4)),
    "reshape": lambda L, x: x.reshape(shape=(4, -1)),
    "torch.reshape": lambda L, x: L.reshape(x, shape=(-1,)),
    "expand": lambda L, x: x[:, :1].expand(size=(2, 5, 4)),
    "repeat": lambda L, x: x.repeat(repeats=(1, 2, 1)),
    "tile": lambda L, x: x.tile(dims=(2,)),
    "transpose": lambda L, x: x.transpose(dim0=0, dim1=2),
    "transpose_mixed": lambda L, x: x.transpose(1, dim1=2),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_keyword_spelling_matches_torch(name):
    data = np.random.default_rng(0).standard_normal((2, 3, 4)).astype(np.float32)
    x, t = eager.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
    got, want = CALLS[name](eager, x * 1.0), CALLS[name](torch, t * 1.0)
    np.testing.assert_array_equal(got.detach().numpy(), want.detach().numpy())
    weights = np.arange(want.numel(), dtype=np.float32).reshape(tuple(want.shape))
    (got * eager.tensor(weights)).sum().backward()
    (want * torch.tensor(weights)).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), t.grad.numpy())


@pytest.mark.parametrize("call", [lambda L, x: x.flip(0, dims=(1,)),
                                  lambda L, x: x.view(2, size=(6, 4)),
                                  lambda L, x: x.transpose(0, 1, dim1=2)])
def test_positional_and_keyword_together_is_a_type_error(call):
    with pytest.raises(TypeError):
        call(torch, torch.zeros(2, 3, 4))
    with pytest.raises(TypeError):
        call(eager, eager.zeros(2, 3, 4))


@pytest.mark.parametrize("name", ["new_zeros", "new_ones", "new_empty"])
def test_new_factories_take_size_keyword(name):
    got = getattr(eager.ones(2, dtype=eager.float64), name)(size=(3, 2))
    want = getattr(torch.ones(2, dtype=torch.float64), name)(size=(3, 2))
    assert tuple(got.shape) == tuple(want.shape)
    assert str(got.dtype) == str(want.dtype)
