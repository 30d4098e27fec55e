"""nn.BatchNorm1d/2d against torch: several training steps (running statistics, momentum
including the cumulative average, num_batches_tracked), then eval; affine and tracking
options, printing, state dict keys and input checks."""

import numpy as np
import pytest
from nn_parity import assert_close, load_torch_weights, randn, run_modules

import eager
import eager.nn as nn

torch = pytest.importorskip("torch")

OPTIONS = [{}, {"momentum": None}, {"momentum": 0.3, "affine": False},
           {"track_running_stats": False}, {"bias": False, "eps": 1e-3}]


@pytest.mark.parametrize("cls,shape", [("BatchNorm1d", (6, 3)), ("BatchNorm1d", (4, 3, 5)),
                                       ("BatchNorm2d", (4, 3, 2, 5))])
@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_batchnorm_training_steps_then_eval_match_torch(cls, shape, options):
    ours, theirs = getattr(nn, cls)(3, **options), getattr(torch.nn, cls)(3, **options)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    with torch.no_grad():  # weights away from their (1, 0) start
        for p in theirs.parameters():
            p.add_(torch.randn(p.shape) * 0.3)
    load_torch_weights(ours, theirs)
    for step in range(3):
        x = randn(*shape, seed=step) * (step + 1) + step
        ours.zero_grad(), theirs.zero_grad()
        run_modules(ours, theirs, [x], torch)
        assert_close(list(ours.state_dict().values()), list(theirs.state_dict().values()),
                     what=f"buffers after step {step}")
    if options.get("track_running_stats", True):
        assert ours.num_batches_tracked.item() == 3
        assert ours.num_batches_tracked.dtype == np.int64
    ours.eval(), theirs.eval()
    run_modules(ours, theirs, [randn(*shape, seed=9)], torch)
    assert_close(list(ours.state_dict().values()), list(theirs.state_dict().values()),
                 what="eval leaves the buffers alone")


def test_batchnorm_checks_and_double():
    with pytest.raises(ValueError, match=r"expected 4D input \(got 3D input\)"):
        nn.BatchNorm2d(3)(eager.zeros(2, 3, 4))
    with pytest.raises(ValueError, match=r"expected 2D or 3D input \(got 4D input\)"):
        nn.BatchNorm1d(3)(eager.zeros(2, 3, 4, 4))
    with pytest.raises(ValueError, match="Expected more than 1 value per channel"):
        nn.BatchNorm1d(3)(eager.zeros(1, 3))
    bn = nn.BatchNorm1d(3).double()
    assert bn.running_mean.dtype == np.float64 and bn.num_batches_tracked.dtype == np.int64
    bn.eval()
    assert bn(eager.zeros(1, 3, dtype=eager.float64)).shape == (1, 3)  # one value: fine in eval
    bn.train()
    bn(eager.tensor(randn(4, 3).astype(np.float64)))
    bn.reset_running_stats()
    assert bn.num_batches_tracked.item() == 0 and (bn.running_var.numpy() == 1).all()
