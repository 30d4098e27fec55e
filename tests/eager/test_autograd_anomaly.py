"""Anomaly detection (which forward op's backward made NaN/Inf, and where) and gradcheck."""

from __future__ import annotations

import numpy as np
import pytest

import eager


def _nan_backward():
    x = eager.tensor([0.0, 1.0], requires_grad=True)
    y = x.sqrt()  # the line anomaly mode must name
    (y * 0).sum().backward()  # 0 * (1 / 2sqrt(0)) = nan in SqrtBackward0
    return x


def test_without_anomaly_mode_nan_flows_silently():
    x = _nan_backward()
    assert np.isnan(x.grad.numpy()[0])


def test_detect_anomaly_names_the_backward_the_op_and_the_users_line():
    with eager.autograd.detect_anomaly(), pytest.raises(RuntimeError) as info:
        _nan_backward()
    message = str(info.value)
    assert "Function 'SqrtBackward0' returned nan values in its 0th output" in message
    assert "`sqrt`" in message
    assert "test_autograd_anomaly.py:" in message and "in _nan_backward" in message
    assert not eager.autograd.is_anomaly_enabled()


def test_set_detect_anomaly_switches_globally_and_as_a_context():
    eager.autograd.set_detect_anomaly(True)
    try:
        assert eager.autograd.is_anomaly_enabled()
        with pytest.raises(RuntimeError, match="returned nan"):
            _nan_backward()
    finally:
        eager.autograd.set_detect_anomaly(False)
    with eager.autograd.set_detect_anomaly(True):
        assert eager.autograd.is_anomaly_enabled()
    assert not eager.autograd.is_anomaly_enabled()


def test_locations_are_recorded_only_in_anomaly_mode():
    x = eager.ones(2, requires_grad=True)
    assert (x * 2).grad_fn.location is None
    with eager.autograd.detect_anomaly():
        node = (x * 2).grad_fn
    assert node.location is not None and node.location.function.startswith("test_locations")


def test_inf_gradients_are_reported_too():
    x = eager.tensor([0.0], requires_grad=True)
    with eager.autograd.detect_anomaly(), pytest.raises(RuntimeError, match="returned inf"):
        x.sqrt().sum().backward()


def test_gradcheck_accepts_correct_gradients():
    eager.manual_seed(0)
    x = eager.randn(3, 2, dtype=eager.float64, requires_grad=True)
    w = eager.randn(2, 4, dtype=eager.float64, requires_grad=True)
    assert eager.autograd.gradcheck(lambda x, w: (x @ w).tanh(), (x, w))
    assert eager.autograd.gradcheck(lambda x: x.softmax(1), (x,))
    assert eager.autograd.gradgradcheck(lambda x: (x ** 3).sum(), (x,))


def test_gradcheck_catches_a_wrong_gradient():
    x = eager.randn(3, dtype=eager.float64, requires_grad=True)

    def wrong(t):
        y = t * 2
        y.register_hook(lambda g: g * 1.5)  # corrupts the gradient
        return y

    with pytest.raises(RuntimeError, match="Jacobian mismatch"):
        eager.autograd.gradcheck(wrong, (x,))
    assert not eager.autograd.gradcheck(wrong, (x,), raise_exception=False)
