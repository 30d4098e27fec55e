"""In-place ops on views of recorded tensors give PyTorch's values, gradients and grad_fn
names (`scenarios_views2`: each program run through torch and eager)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scenarios_views2 import SCENARIOS

import eager


def _as_numpy(value):
    return value.detach().numpy() if hasattr(value, "detach") else value


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__)
def test_against_torch(scenario):
    want = scenario(torch)
    got = scenario(eager)
    assert got.keys() == want.keys()
    for key, expected in want.items():
        if isinstance(expected, str):
            assert got[key] == expected, key
        else:
            np.testing.assert_allclose(_as_numpy(got[key]), _as_numpy(expected), rtol=1e-12,
                                       atol=1e-12, err_msg=key)
