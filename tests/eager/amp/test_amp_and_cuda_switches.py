"""``eager.amp`` and the CUDA switches as PyTorch's CPU build has them: a working CPU loss
scaler (the same scales, skipped steps and parameters as torch's), 'cuda' scalers and autocast
regions that disable themselves with PyTorch's warnings, the backend flags, and bfloat16 as a
name that cannot be computed in."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")


def scaled_training(L, inf_at: set[int]) -> tuple[list[float], np.ndarray, dict]:
    """Six SGD steps of a linear model under ``GradScaler('cpu', init_scale=8,
    growth_interval=2)``; the gradient is made infinite at the steps in ``inf_at``."""
    L.manual_seed(0)
    model = L.nn.Linear(3, 1)
    opt = L.optim.SGD(model.parameters(), lr=0.1)
    scaler = L.amp.GradScaler("cpu", init_scale=8.0, growth_interval=2)
    x, y = L.ones(4, 3), L.zeros(4, 1)
    scales = []
    for step in range(6):
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean() * (float("inf") if step in inf_at else 1.0)
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
        scales.append(scaler.get_scale())
    return scales, model.weight.detach().numpy(), scaler.state_dict()


def test_cpu_grad_scaler_scales_skips_and_grows_as_torchs():
    ours, theirs = scaled_training(eager, {1, 4}), scaled_training(torch, {1, 4})
    assert ours[0] == theirs[0] == [8.0, 4.0, 4.0, 8.0, 4.0, 4.0]
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-6)
    assert ours[2] == theirs[2]


@pytest.mark.parametrize("init_scale", [3e38, 0.1])
def test_scale_is_float32_and_stops_growing_before_overflow_as_torchs(init_scale):
    scales = []
    for L in (eager, torch):
        p = L.nn.Parameter(L.ones(2))
        opt = L.optim.SGD([p], lr=0.1)
        scaler = L.amp.GradScaler("cpu", init_scale=init_scale, growth_interval=1)
        seen = [scaler.get_scale()]
        for _ in range(2):
            scaler.scale(p.sum()).backward()
            scaler.step(opt)
            scaler.update()
            seen.append(scaler.get_scale())
        scales.append(seen)
    assert scales[0] == scales[1]


def test_unscale_then_clip_then_step_is_one_unscale():
    model = eager.nn.Linear(2, 1)
    opt = eager.optim.SGD(model.parameters(), lr=0.1)
    scaler = eager.amp.GradScaler("cpu", init_scale=4.0)
    scaler.scale(model(eager.ones(1, 2)).sum()).backward()
    scaler.unscale_(opt)
    np.testing.assert_allclose(model.bias.grad.numpy(), [1.0])
    with pytest.raises(RuntimeError, match="unscale_\\(\\) has already been called"):
        scaler.unscale_(opt)
    scaler.step(opt)
    with pytest.raises(RuntimeError, match="step\\(\\) has already been called"):
        scaler.step(opt)


@pytest.mark.parametrize("make", [lambda L: L.amp.GradScaler("cuda"),
                                  lambda L: L.cuda.amp.GradScaler(init_scale=4.0)])
def test_cuda_scaler_disables_itself_with_torchs_warnings(make):
    messages = []
    for L in (eager, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            scaler = make(L)
        assert not scaler.is_enabled() and scaler.get_scale() == 1.0
        assert scaler.state_dict() == {}
        messages.append([(w.category, str(w.message)) for w in caught])
    assert messages[0] == messages[1]


def test_a_disabled_scaler_passes_everything_through():
    model = eager.nn.Linear(2, 1)
    opt = eager.optim.SGD(model.parameters(), lr=1.0)
    scaler = eager.amp.GradScaler("cuda", enabled=False)
    loss = model(eager.ones(1, 2)).sum()
    assert scaler.scale(loss) is loss
    loss.backward()
    before = model.bias.detach().numpy().copy()
    scaler.step(opt)
    scaler.update()
    np.testing.assert_allclose(model.bias.detach().numpy(), before - 1.0)


def test_autocast_for_cuda_disables_itself_and_cpu_autocast_is_refused():
    for L in (eager, torch):
        with pytest.warns(UserWarning, match="CUDA is not available.*Disabling autocast"), \
                L.autocast(device_type="cuda"):
            pass
        with L.autocast(device_type="cpu", enabled=False):
            assert (L.ones(2) @ L.ones(2)).dtype == L.float32
    with pytest.raises(NotImplementedError, match="no mixed-precision dispatch"):
        eager.autocast(device_type="cpu", dtype=eager.float16)
    with pytest.raises(ValueError, match="Expected `device_type` of type `str`"):
        eager.autocast(device_type=eager.device("cpu"))


def test_autocast_decorates_functions():
    @eager.amp.autocast("cpu", enabled=False)
    def double(x):
        return x * 2

    assert double(eager.ones(1)).tolist() == [2.0]


def test_backend_switches_read_as_torchs_cpu_build():
    for L in (eager, torch):
        assert not L.backends.cuda.is_built() and not L.cuda.is_bf16_supported()
        assert L.backends.cuda.matmul.allow_tf32 is False
        assert L.backends.cudnn.allow_tf32 is True
        assert L.backends.cuda.flash_sdp_enabled()


def test_bfloat16_is_a_name_that_cannot_be_computed_in():
    assert repr(eager.bfloat16) == repr(torch.bfloat16) == "torch.bfloat16"
    assert eager.bfloat16.is_floating_point and eager.bfloat16.itemsize == 2
    assert eager.bfloat16 != eager.float16
    with pytest.raises(TypeError, match="NumPy, which has no bfloat16"):
        eager.zeros(2, dtype=eager.bfloat16)
    with pytest.raises(TypeError, match="NumPy, which has no bfloat16"):
        eager.ones(2).to(eager.bfloat16)
