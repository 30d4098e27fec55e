"""Under ``eager.compile(model, backend="dualgraph")``: a forward's random fills
(``x.new_empty(...).normal_()``, ``uniform_``, ``bernoulli_``: StyleGAN's noise injection) are
fresh draws at every call, the ones eager draws from the same seed (and the generator is left
where eager leaves it); ``torch.finfo(x.dtype)`` / ``iinfo`` take a traced value's dtype
(lucidrains' masking idiom). Elsewhere a fill on a graph value is still refused."""

import numpy as np
import pytest

import eager
import eager.nn as nn
import static


class Noisy(nn.Module):
    def __init__(self, fill):
        super().__init__()
        self.fill = fill
        self.lin = nn.Linear(4, 4)

    def forward(self, x):
        noise = self.fill(x.new_empty(x.shape[0], 1, x.shape[2]))
        shaped = x.new_zeros(x.shape)
        shaped.uniform_(-0.5, 0.5)
        return self.lin(x) + noise + shaped


FILLS = {
    "normal": lambda t: t.normal_(0.0, 0.3),
    "uniform": lambda t: t.uniform_(-1.0, 1.0),
    "bernoulli": lambda t: t.bernoulli_(0.3),
    "normal-defaults": lambda t: t.normal_(),
}


@pytest.mark.parametrize("fill", list(FILLS))
def test_fills_are_fresh_draws_of_eagers_stream(fill):
    eager.manual_seed(0)
    model = Noisy(FILLS[fill])
    x = eager.randn(2, 3, 4)
    compiled = eager.compile(model, backend="dualgraph")
    results = {}
    for name, run in (("eager", model), ("compiled", compiled)):
        eager.manual_seed(5)
        with eager.no_grad():
            results[name] = [run(x).numpy() for _ in range(3)] + [eager.rand(2).numpy()]
    for mine, ref in zip(results["compiled"], results["eager"], strict=True):
        np.testing.assert_allclose(mine, ref, rtol=1e-6, atol=1e-6)
    first, second = results["compiled"][:2]
    assert not np.array_equal(first, second)  # a fresh draw at each call


def test_finfo_and_iinfo_of_a_traced_values_dtype():
    def masked(x, lengths):
        big = eager.finfo(x.dtype).max
        top = eager.iinfo(lengths.dtype).max
        return x.masked_fill(x > 0, -big), (lengths.clamp(max=top) * 0).sum()

    x, lengths = eager.randn(3, 4), eager.tensor([1, 2, 3])
    compiled = eager.compile(masked, backend="dualgraph")
    for mine, ref in zip(compiled(x, lengths), masked(x, lengths), strict=True):
        np.testing.assert_array_equal(mine.numpy(), ref.numpy())
    assert eager.finfo(np.dtype(np.float16)).max == 65504.0  # a NumPy dtype is taken as its own


def test_a_fill_outside_a_compiled_region_is_refused():
    with static.Graph():
        x = static.placeholder((2, 3), np.float32) * 1.0
        with pytest.raises(TypeError, match="normal_ on static node .*belongs in eager mode"):
            x.normal_()


def test_a_fill_of_unknown_shape_is_refused_with_advice():
    def f(x):
        return x.new_empty(x.shape).normal_() + x

    compiled = eager.compile(f, backend="dualgraph", dynamic=True)
    with pytest.raises(TypeError, match="normal_ on static node"):
        compiled(eager.randn(3, 2))
