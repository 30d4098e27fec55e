"""``eager.poisson``, ``eager.binomial``, ``eager._standard_gamma`` and
``eager._sample_dirichlet`` against torch's: the same draws from the global generator and from
a ``generator=``, shapes and dtypes kept, and ATen's refusals of other dtypes."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")
rng = np.random.default_rng(3)
POSITIVE = rng.uniform(0.05, 40.0, (3, 4))
PROB = rng.uniform(0.0, 1.0, (3, 4))
CALLS = {
    "poisson": lambda L, t, **kw: L.poisson(t(POSITIVE), **kw),
    "binomial": lambda L, t, **kw: L.binomial(t(np.floor(POSITIVE)), t(PROB), **kw),
    "standard_gamma": lambda L, t, **kw: L._standard_gamma(t(POSITIVE / 10), **kw),
    "sample_dirichlet": lambda L, t, **kw: L._sample_dirichlet(t(POSITIVE[:, :3] / 10), **kw),
}


@pytest.mark.parametrize("name", CALLS)
@pytest.mark.parametrize("own_generator", [False, True])
def test_draws_are_torchs(name, own_generator):
    call = CALLS[name]
    if own_generator:
        ours = call(eager, eager.tensor, generator=eager.Generator().manual_seed(21))
        theirs = call(torch, torch.tensor, generator=torch.Generator().manual_seed(21))
    else:
        eager.manual_seed(21)
        torch.manual_seed(21)
        ours, theirs = call(eager, eager.tensor), call(torch, torch.tensor)
    assert ours.shape == theirs.shape and str(ours.dtype) == str(theirs.dtype)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    np.testing.assert_array_equal(eager.rand(3).numpy(), torch.rand(3).numpy())


@pytest.mark.parametrize("name", CALLS)
def test_integer_inputs_are_refused_as_torch(name):
    def as_long(x):
        return x.long() if hasattr(x, "long") else x

    with pytest.raises((NotImplementedError, ValueError)) as theirs:
        CALLS[name](torch, lambda a: torch.tensor(a).long())
    with pytest.raises(theirs.type) as ours:
        CALLS[name](eager, lambda a: as_long(eager.tensor(a)))
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("dtypes", [("float32", "float64"), ("float16", "float16")])
def test_binomial_dtype_refusals(dtypes):
    def run(L):
        return L.binomial(L.ones(2, dtype=getattr(L, dtypes[0])),
                          L.ones(2, dtype=getattr(L, dtypes[1])))

    with pytest.raises((RuntimeError, NotImplementedError)) as theirs:
        run(torch)
    with pytest.raises(theirs.type) as ours:
        run(eager)
    assert str(ours.value) == str(theirs.value)
