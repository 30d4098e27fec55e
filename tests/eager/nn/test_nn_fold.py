"""Unfold/unfold and Fold/fold against torch: columns and images, gradients, batched and
unbatched inputs, dilation/padding/stride, printing and errors."""


import numpy as np
import pytest
from nn_parity import randn, run_both

import eager
import eager.nn as nn
import eager.nn.functional as F

torch = pytest.importorskip("torch")

OPTIONS = [
    ({"kernel_size": 3}, (2, 3, 5, 6)),
    ({"kernel_size": (2, 3), "dilation": 2, "padding": 1, "stride": 2}, (2, 3, 7, 8)),
    ({"kernel_size": 2, "stride": 2}, (3, 4, 4)),
    ({"kernel_size": 3, "padding": 1, "stride": (1, 2)}, (1, 2, 5, 5)),
]


@pytest.mark.parametrize("kwargs,shape", OPTIONS, ids=str)
def test_unfold_matches_torch(kwargs, shape):
    run_both(lambda x: F.unfold(x, **kwargs), lambda x: torch.nn.functional.unfold(x, **kwargs),
             [randn(*shape)], torch)


@pytest.mark.parametrize("kwargs,shape", OPTIONS, ids=str)
def test_fold_matches_torch_and_undoes_unfold_up_to_overlap_counts(kwargs, shape):
    columns = tuple(torch.nn.functional.unfold(torch.zeros(shape), **kwargs).shape)
    size = shape[-2:]
    run_both(lambda c: F.fold(c, size, **kwargs),
             lambda c: torch.nn.functional.fold(c, size, **kwargs), [randn(*columns)], torch)
    # fold(unfold(x)) = x times how many blocks cover each pixel, as in PyTorch.
    x = eager.tensor(randn(*shape))
    counts = F.fold(F.unfold(eager.ones(*shape), **kwargs), size, **kwargs)
    np.testing.assert_allclose(F.fold(F.unfold(x, **kwargs), size, **kwargs).numpy(),
                               (x * counts).numpy(), rtol=1e-5, atol=1e-6)


def test_modules_print_as_torchs():
    for args, kwargs in [((3,), {}), (((2, 3),), {"dilation": 2, "padding": 1, "stride": 2})]:
        assert repr(nn.Unfold(*args, **kwargs)) == repr(torch.nn.Unfold(*args, **kwargs))
    for args, kwargs in [(((4, 5), 2), {}), ((4, (2, 2)), {"stride": 2})]:
        assert repr(nn.Fold(*args, **kwargs)) == repr(torch.nn.Fold(*args, **kwargs))
    assert nn.Unfold(2)(eager.ones(1, 2, 3, 3)).shape == (1, 8, 4)


@pytest.mark.parametrize("call,error,message", [
    (lambda lib: lib.nn.functional.fold(lib.ones(1, 5, 9), (4, 4), 2), RuntimeError,
     "Expected size of input's dimension 1 to be divisible by the product of kernel_size"),
    (lambda lib: lib.nn.functional.fold(lib.ones(1, 4, 8), (4, 4), 2), RuntimeError,
     "expected size of input's dimension 2 to match the calculated number of sliding blocks"),
    (lambda lib: lib.nn.functional.fold(lib.ones(1, 2, 3, 4), (4, 4), 2), RuntimeError,
     r"Expected 2D or 3D \(batch mode\) tensor for input"),
    (lambda lib: lib.nn.functional.unfold(lib.ones(2, 3), 2), IndexError,
     r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)"),
    (lambda lib: lib.nn.functional.unfold(lib.ones(1, 2, 3, 4, 5), 2), RuntimeError,
     r"Expected 3D or 4D \(batch mode\) tensor"),
])
def test_errors_are_torchs(call, error, message):
    for lib in (torch, eager):
        with pytest.raises(error, match=message):
            call(lib)
