"""Generators as PyTorch's: seeding (negative and 64-bit seeds), the default seed, state bytes
that round-trip with PyTorch's own, ``fork_rng``, ``seed()`` and their errors."""

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("seed", [0, 5, 2**32 + 1, 2**63 + 11, -1, -(2**63)])
def test_state_bytes_equal_torchs_through_draws(seed):
    torch.manual_seed(seed)
    eager.manual_seed(seed)
    assert eager.initial_seed() == torch.initial_seed()
    for draw in (lambda m: m.rand(3), lambda m: m.randn(5), lambda m: m.rand(621),
                 lambda m: m.randn(40, dtype=m.float64), lambda m: m.randint(0, 9, (700,))):
        draw(torch)
        draw(eager)
        state = eager.get_rng_state()
        assert state.dtype == eager.uint8 and tuple(state.shape) == (5056,)
        np.testing.assert_array_equal(state.numpy(), torch.get_rng_state().numpy())


def test_states_load_across_frameworks_cached_normal_included():
    torch.manual_seed(3)
    torch.randn(1)  # leaves a cached normal in the state
    eager.set_rng_state(eager.tensor(torch.get_rng_state().numpy()))
    np.testing.assert_array_equal(eager.randn(3).numpy(), torch.randn(3).numpy())
    eager.manual_seed(4)
    eager.randn(3)
    torch.set_rng_state(torch.from_numpy(eager.get_rng_state().numpy()))
    np.testing.assert_array_equal(eager.rand(700).numpy(), torch.rand(700).numpy())


def test_generator_objects():
    g = eager.Generator()
    assert g.initial_seed() == torch.Generator().initial_seed() == 67280421310721
    assert g.manual_seed(9) is g and g.device == eager.device("cpu")
    np.testing.assert_array_equal(eager.rand(4, generator=g).numpy(),
                                  torch.rand(4, generator=torch.Generator().manual_seed(9)).numpy())
    saved = g.get_state()
    a = eager.randn(20, generator=g).numpy()
    assert g.set_state(saved) is g
    np.testing.assert_array_equal(eager.randn(20, generator=g).numpy(), a)
    assert eager.Generator(7).initial_seed() == 7  # eager's shorthand for manual_seed(7)


def test_seed_reseeds_from_entropy_and_reports_it():
    first = eager.seed()
    assert eager.initial_seed() == first and 0 <= first < 2**64
    assert eager.Generator().seed() != eager.Generator().seed()
    value = eager.seed()
    drawn = eager.rand(3).numpy()
    eager.manual_seed(value)
    np.testing.assert_array_equal(eager.rand(3).numpy(), drawn)


def test_fork_rng_restores_the_global_state():
    eager.manual_seed(1)
    with eager.random.fork_rng():
        eager.rand(10)
        eager.manual_seed(99)
    after = eager.rand(2).numpy()
    torch.manual_seed(1)
    np.testing.assert_array_equal(after, torch.rand(2).numpy())
    with eager.random.fork_rng(enabled=False):
        eager.rand(1)
    assert eager.initial_seed() == 1


def test_generator_errors_are_torchs():
    for make, error in [(lambda m: m.Generator().manual_seed(2**64), ValueError),
                        (lambda m: m.Generator().manual_seed(1.5), RuntimeError),
                        (lambda m: m.Generator().set_state([1, 2]), TypeError),
                        (lambda m: m.Generator().set_state(m.zeros(5056)), TypeError),
                        (lambda m: m.Generator().set_state(m.zeros(10, dtype=m.uint8)),
                         RuntimeError)]:
        with pytest.raises(error) as theirs:
            make(torch)
        with pytest.raises(error) as ours:
            make(eager)
        assert str(ours.value) == str(theirs.value)
    bad = torch.get_rng_state()
    bad[8:12] = 0  # left = 0: not a state MT19937 can be in
    with pytest.raises(RuntimeError, match="Invalid mt19937 state"):
        torch.set_rng_state(bad)
    with pytest.raises(RuntimeError, match="Invalid mt19937 state"):
        eager.set_rng_state(eager.tensor(bad.numpy()))
    with pytest.raises(TypeError, match="eager.Generator"):
        eager.rand(2, generator=np.random.default_rng(0))
