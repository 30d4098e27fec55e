"""MultiMarginLoss, MultiLabelMarginLoss and LocalResponseNorm against torch: every reduction,
values and gradients, class weights, unbatched inputs, printing and errors."""


import numpy as np
import pytest
from nn_parity import randn, run_both

import eager
import eager.nn as nn

torch = pytest.importorskip("torch")

LABELS = np.array([3, 0, 2, 2, 1])
MULTI = np.array([[3, 0, -1, 1], [1, 2, 3, -1], [2, -1, 0, 0], [0, 1, 2, 3], [-1, 1, 2, 3]])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("kwargs", [{}, {"p": 2, "margin": 0.5},
                                    {"weight": [1.0, 2.0, 3.0, 4.0]}], ids=str)
def test_multi_margin_loss_matches_torch(kwargs, reduction):
    def build(lib):
        options = dict(kwargs, reduction=reduction)
        if "weight" in options:
            options["weight"] = lib.tensor(options["weight"])
        return lib.nn.MultiMarginLoss(**options)

    ours, theirs = build(eager), build(torch)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    run_both(lambda x: ours(x, eager.tensor(LABELS)), lambda x: theirs(x, torch.tensor(LABELS)),
             [randn(5, 4)], torch)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_multilabel_margin_loss_matches_torch(reduction):
    ours = nn.MultiLabelMarginLoss(reduction=reduction)
    theirs = torch.nn.MultiLabelMarginLoss(reduction=reduction)
    run_both(lambda x: ours(x, eager.tensor(MULTI)), lambda x: theirs(x, torch.tensor(MULTI)),
             [randn(5, 4)], torch)
    run_both(lambda x: ours(x, eager.tensor(MULTI[0])),
             lambda x: theirs(x, torch.tensor(MULTI[0])), [randn(4)], torch)


@pytest.mark.parametrize("args,shape", [((3,), (2, 5, 3)), ((2, 0.1, 0.5, 2.0), (2, 6, 3, 4)),
                                        ((5, 1e-2), (1, 3, 2, 2, 2))], ids=str)
def test_local_response_norm_matches_torch(args, shape):
    ours, theirs = nn.LocalResponseNorm(*args), torch.nn.LocalResponseNorm(*args)
    assert repr(ours) == repr(theirs)
    run_both(ours, theirs, [randn(*shape)], torch)


@pytest.mark.parametrize("call,error,message", [
    (lambda lib: lib.nn.MultiMarginLoss(p=3), ValueError, "only p == 1 and p == 2 supported"),
    (lambda lib: lib.nn.functional.local_response_norm(lib.ones(2, 3), 2), ValueError,
     "Expected 3D or higher dimensionality"),
])
def test_errors_are_torchs(call, error, message):
    for lib in (torch, eager):
        with pytest.raises(error, match=message):
            call(lib)
