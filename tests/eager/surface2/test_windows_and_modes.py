"""Window functions, the deterministic-algorithms switch and the default device against
torch: values (float32 to within an ulp, float64), periodic and symmetric forms, lengths 0
and 1, dtype and requires_grad, and the errors."""

from __future__ import annotations

import numpy as np
import pytest
from surface_pairs import torch

import eager

WINDOWS = ["hann_window", "hamming_window", "blackman_window", "bartlett_window",
           "kaiser_window"]


@pytest.mark.parametrize("name", WINDOWS)
@pytest.mark.parametrize("length", [0, 1, 2, 5, 16, 33])
@pytest.mark.parametrize("periodic", [True, False])
def test_window_values(name, length, periodic):
    ours = getattr(eager, name)(length, periodic)
    theirs = getattr(torch, name)(length, periodic)
    assert ours.dtype == eager.float32 and tuple(ours.shape) == tuple(theirs.shape)
    # One float32 ulp (torch's float32 Bessel function for Kaiser's: a few).
    rtol = 1e-6 if name == "kaiser_window" else 1.2e-7
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=rtol, atol=1.2e-7)


@pytest.mark.parametrize("name", WINDOWS)
def test_window_float64_and_requires_grad(name):
    ours = getattr(eager, name)(12, dtype=eager.float64, requires_grad=True)
    theirs = getattr(torch, name)(12, dtype=torch.float64, requires_grad=True)
    assert ours.dtype == eager.float64 and ours.requires_grad and ours.is_leaf
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-12,
                               atol=1e-15)


@pytest.mark.parametrize("name", WINDOWS)
def test_window_parameters_by_keyword(name):
    ours = getattr(eager, name)(7, periodic=False, dtype=eager.float64)
    theirs = getattr(torch, name)(7, periodic=False, dtype=torch.float64)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12, atol=1e-15)
    assert not np.allclose(ours.numpy(), getattr(eager, name)(7, dtype=eager.float64).numpy())
    np.testing.assert_allclose(eager.hamming_window(9, periodic=False, alpha=0.6, beta=0.3),
                               torch.hamming_window(9, periodic=False, alpha=0.6, beta=0.3))


def test_window_parameters():
    np.testing.assert_allclose(eager.hamming_window(9, False, 0.6, 0.3).numpy(),
                               torch.hamming_window(9, False, 0.6, 0.3).numpy(), atol=1e-7)
    np.testing.assert_allclose(eager.kaiser_window(9, True, 5.0).numpy(),
                               torch.kaiser_window(9, True, 5.0).numpy(), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("call", [lambda lib: lib.hann_window(5, dtype=lib.int64),
                                  lambda lib: lib.blackman_window(-1)])
def test_window_errors(call):
    with pytest.raises(RuntimeError) as theirs:
        call(torch)
    with pytest.raises(RuntimeError) as ours:
        call(eager)
    assert str(ours.value) == str(theirs.value)


def test_deterministic_switch_round_trips():
    try:
        assert eager.are_deterministic_algorithms_enabled() is False
        eager.use_deterministic_algorithms(True, warn_only=True)
        assert eager.are_deterministic_algorithms_enabled() is True
        assert eager.is_deterministic_algorithms_warn_only_enabled() is True
        eager.use_deterministic_algorithms(False)
        assert eager.is_deterministic_algorithms_warn_only_enabled() is False
    finally:
        eager.use_deterministic_algorithms(False)
    assert eager.are_deterministic_algorithms_enabled() is False


def test_default_device_is_the_cpu():
    assert repr(eager.get_default_device()) == repr(torch.get_default_device()) == \
        "device(type='cpu')"
    eager.set_default_device("cpu")
    eager.set_default_device(None)
    with pytest.raises(AssertionError, match="not compiled with CUDA"):
        eager.set_default_device("cuda")


def test_set_printoptions_exists_with_torchs_keywords():
    eager.set_printoptions(precision=2)
    try:
        assert str(eager.tensor([1.23456])) == "tensor([1.23])"
    finally:
        eager.set_printoptions(profile="default")
    assert str(eager.tensor([1.23456])) == "tensor([1.2346])"
