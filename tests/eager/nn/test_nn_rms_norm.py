"""RMSNorm and rms_norm against torch: values and gradients (weight included) over one and two
normalized dims, eps None (the dtype's epsilon) or given, float64, printing and errors."""


import pytest
from nn_parity import module_pair, randn, run_both, run_modules

import eager
import eager.nn.functional as F

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("args,kwargs,shape", [
    ((8,), {}, (3, 8)), (((2, 3),), {"eps": 1e-6}, (4, 2, 3)),
    ((5,), {"elementwise_affine": False}, (2, 3, 5)), ((4,), {"eps": 0.1}, (4,)),
], ids=str)
def test_module_matches_torch(args, kwargs, shape):
    ours, theirs = module_pair(torch, "RMSNorm", *args, **kwargs)
    if theirs.weight is not None:
        with torch.no_grad():
            theirs.weight.add_(torch.tensor(randn(*theirs.weight.shape, seed=3)))
    run_modules(ours, theirs, [randn(*shape)], torch)


def test_functional_in_float64_uses_that_epsilon():
    x, w = randn(3, 4).astype("float64") * 1e-9, randn(4, seed=1).astype("float64")
    run_both(lambda a, b: F.rms_norm(a, (4,), b), lambda a, b: torch.nn.functional.rms_norm(
        a, (4,), b), [x, w], torch, rtol=1e-10, atol=1e-12)


def test_a_shape_that_does_not_end_the_input_is_refused_as_in_torch():
    for lib in (torch, eager):
        with pytest.raises(RuntimeError, match=r"Given normalized_shape=\[4\], expected input "
                                               r"with shape \[\*4\], but got input of size"):
            lib.nn.functional.rms_norm(lib.ones(2, 3), (4,))
