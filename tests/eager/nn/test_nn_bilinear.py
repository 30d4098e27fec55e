"""Bilinear and bilinear against torch: outputs and every gradient (weight and bias included)
over batched and multi-dim inputs, printing, init bounds and errors."""


import numpy as np
import pytest
from nn_parity import assert_module_matches_torch, randn, run_both

import eager
import eager.nn as nn
import eager.nn.functional as F

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("args,kwargs,shapes", [
    ((3, 4, 5), {}, [(6, 3), (6, 4)]), ((3, 4, 2), {"bias": False}, [(2, 5, 3), (2, 5, 4)]),
    ((1, 1, 1), {}, [(4, 1), (4, 1)]),
], ids=str)
def test_module_matches_torch(args, kwargs, shapes):
    assert_module_matches_torch(torch, "Bilinear", args, kwargs,
                                [randn(*s, seed=i) for i, s in enumerate(shapes)],
                                call=lambda m, a, b: m(a, b))


def test_functional_and_init_bounds():
    run_both(F.bilinear, torch.nn.functional.bilinear,
             [randn(4, 3), randn(4, 2, seed=1), randn(5, 3, 2, seed=2), randn(5, seed=3)], torch)
    layer = nn.Bilinear(4, 3, 2)
    assert np.abs(layer.weight.detach().numpy()).max() <= 0.5  # 1 / sqrt(in1_features)


def test_mismatched_batches_are_refused_as_in_torch():
    for lib in (torch, eager):
        with pytest.raises(RuntimeError, match="input batch dimensions do not match at dim 0: "
                                               "got 2 and 3"):
            lib.nn.functional.bilinear(lib.ones(2, 3), lib.ones(3, 4), lib.ones(5, 3, 4))
