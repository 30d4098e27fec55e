"""optim.swa_utils against torch: AveragedModel (running mean, EMA, use_buffers, buffers kept
in step with the model), SWALR (cos and linear annealing, anneal_epochs 0, groups) and
update_bn, on the same model trained the same way; and their errors."""

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)
X = RNG.standard_normal((16, 3)).astype(np.float32)
Y = RNG.standard_normal((16, 1)).astype(np.float32)


def train(lib, steps=5, use_buffers=False, ema=False, strategy="cos", anneal_epochs=3,
          bn_pass=True):
    """SGD steps with SWA averaging and SWALR: (rates, averaged state dict, n_averaged)."""
    lib.manual_seed(0)
    model = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.BatchNorm1d(4), lib.nn.ReLU(),
                              lib.nn.Linear(4, 1))
    swa_utils = lib.optim.swa_utils
    extra = {"avg_fn": swa_utils.get_ema_avg_fn(0.9)} if ema else {}
    swa = swa_utils.AveragedModel(model, use_buffers=use_buffers, **extra)
    opt = lib.optim.SGD([{"params": model[0].parameters()},
                         {"params": model[3].parameters(), "lr": 0.2}], lr=0.1)
    sched = swa_utils.SWALR(opt, swa_lr=[0.05, 0.01], anneal_epochs=anneal_epochs,
                            anneal_strategy=strategy)
    x, y = lib.tensor(X), lib.tensor(Y)
    rates = []
    for _ in range(steps):
        opt.zero_grad()
        ((model(x) - y) ** 2).mean().backward()
        opt.step()
        swa.update_parameters(model)
        sched.step()
        rates.append(sched.get_last_lr())
    if bn_pass:
        loader = lib.utils.data.DataLoader(lib.utils.data.TensorDataset(x, y), batch_size=4)
        swa_utils.update_bn(loader, swa)
    state = {k: v.detach().numpy().copy() for k, v in swa.state_dict().items()}
    return rates, state, int(swa.n_averaged)


@pytest.mark.parametrize("options", [
    {}, {"use_buffers": True}, {"ema": True}, {"strategy": "linear"}, {"anneal_epochs": 0},
    {"bn_pass": False},
], ids=str)
def test_averaging_and_annealing_match_torch(options):
    ours, theirs = train(eager, **options), train(torch, **options)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-12)
    assert ours[2] == theirs[2]
    assert list(ours[1]) == list(theirs[1])
    for key, value in theirs[1].items():
        np.testing.assert_allclose(ours[1][key], value, rtol=1e-5, atol=1e-6, err_msg=key)


@pytest.mark.parametrize("build,error,message", [
    (lambda lib, opt: lib.optim.swa_utils.SWALR(opt, 0.1, anneal_strategy="exp"), ValueError,
     "anneal_strategy must be one of 'cos' or 'linear', instead got exp"),
    (lambda lib, opt: lib.optim.swa_utils.SWALR(opt, 0.1, anneal_epochs=-1), ValueError,
     "anneal_epochs must be equal or greater than 0, got -1"),
    (lambda lib, opt: lib.optim.swa_utils.SWALR(opt, [0.1, 0.2]), ValueError,
     "swa_lr must have the same length as optimizer.param_groups"),
    (lambda lib, opt: lib.optim.swa_utils.get_ema_avg_fn(1.5), ValueError,
     "Invalid decay value 1.5 provided"),
])
def test_errors_are_torchs(build, error, message):
    for lib in (torch, eager):
        opt = lib.optim.SGD([lib.nn.Parameter(lib.ones(2))], lr=0.1)
        with pytest.raises(error, match=message):
            build(lib, opt)
