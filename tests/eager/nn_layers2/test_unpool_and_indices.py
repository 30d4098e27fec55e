"""MaxUnpool1d/2d/3d and F.max_unpool*d, the indices of AdaptiveMaxPool1d/2d/3d and
MaxPool3d, and the ``*_with_indices`` functions, against torch: outputs, indices, gradients,
reprs, signatures, ``output_size`` and the errors."""

import inspect

import numpy as np
import pytest
from nn_parity import randn, run_both
from torch_errors import assert_same_error

import eager
import eager.nn as nn
import eager.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional


@pytest.mark.parametrize("nd,output_size,shape", [
    (1, 3, (2, 3, 10)), (1, (4,), (3, 7)),
    (2, (3, 2), (2, 3, 7, 5)), (2, (None, 2), (3, 6, 5)), (2, 2, (1, 2, 4, 4)),
    (3, (2, 3, 2), (1, 2, 5, 6, 4)), (3, 2, (2, 4, 5, 3)),
])
def test_adaptive_max_pool_indices_and_gradients_match_torch(nd, output_size, shape):
    name = f"adaptive_max_pool{nd}d"
    run_both(lambda x: getattr(F, name)(x, output_size, return_indices=True),
             lambda x: getattr(TF, name)(x, output_size, return_indices=True),
             [randn(*shape)], torch)
    layer = f"AdaptiveMaxPool{nd}d"
    ours, theirs = getattr(nn, layer)(output_size, True), getattr(torch.nn, layer)(output_size,
                                                                                    True)
    assert repr(ours) == repr(theirs)
    run_both(ours, theirs, [randn(*shape, seed=2)], torch)


def test_adaptive_max_pool_routes_ties_to_the_index():
    # Every window holds equal values: the gradient goes to the first one only, as torch's.
    run_both(lambda x: F.adaptive_max_pool2d(x, 2, return_indices=True)[0],
             lambda x: TF.adaptive_max_pool2d(x, 2, return_indices=True)[0],
             [np.ones((1, 1, 5, 4), dtype=np.float32)], torch)


@pytest.mark.parametrize("kw", [dict(kernel_size=2), dict(kernel_size=3, stride=2, padding=1),
                                dict(kernel_size=(2, 3, 2), stride=1, dilation=(1, 2, 1)),
                                dict(kernel_size=2, ceil_mode=True)])
def test_max_pool3d_returns_torch_s_indices(kw):
    run_both(lambda x: F.max_pool3d(x, return_indices=True, **kw),
             lambda x: TF.max_pool3d(x, return_indices=True, **kw), [randn(2, 2, 5, 7, 6)],
             torch)


UNPOOL_CASES = [  # nd, pool kwargs, input shape, output_size
    (1, dict(kernel_size=2), (2, 3, 8), None),
    (1, dict(kernel_size=3, stride=2, padding=1), (3, 9), None),
    (2, dict(kernel_size=2), (2, 3, 6, 4), None),
    (2, dict(kernel_size=3, stride=2, padding=1), (1, 2, 7, 5), (7, 5)),
    (2, dict(kernel_size=2), (2, 3, 5, 5), (1, 1, 5, 5)),  # odd sizes: output_size with N, C
    (3, dict(kernel_size=2), (1, 2, 4, 6, 4), None),
    (3, dict(kernel_size=(2, 3, 2), stride=(2, 2, 1)), (2, 5, 7, 4), None),  # unbatched
]


@pytest.mark.parametrize("nd,kw,shape,output_size", UNPOOL_CASES)
def test_max_unpool_inverts_max_pool_as_torch(nd, kw, shape, output_size):
    pool, unpool = f"max_pool{nd}d", f"max_unpool{nd}d"

    def through(lib, fn):
        def run(x):
            out, idx = getattr(fn, pool)(x, return_indices=True, **kw)
            size = None if output_size is None else output_size
            pad = {"padding": kw["padding"]} if "padding" in kw else {}
            return getattr(fn, unpool)(out, idx, kw["kernel_size"], kw.get("stride"),
                                       output_size=size, **pad)
        return run

    run_both(through(eager, F), through(torch, TF), [randn(*shape)], torch)


def test_max_unpool_layers_print_and_unpool_as_torch():
    for nd, shape in [(1, (2, 3, 8)), (2, (2, 3, 6, 4)), (3, (1, 2, 4, 6, 4))]:
        ours = getattr(nn, f"MaxUnpool{nd}d")(2, stride=2)
        theirs = getattr(torch.nn, f"MaxUnpool{nd}d")(2, stride=2)
        assert repr(ours) == repr(theirs)
        x = randn(*shape)
        ve, ie = getattr(F, f"max_pool{nd}d")(eager.tensor(x), 2, return_indices=True)
        vt, it = getattr(TF, f"max_pool{nd}d")(torch.tensor(x), 2, return_indices=True)
        np.testing.assert_array_equal(ours(ve, ie).numpy(), theirs(vt, it).numpy())
        np.testing.assert_array_equal(ours(ve, ie, output_size=list(x.shape)).numpy(),
                                      theirs(vt, it, output_size=list(x.shape)).numpy())


def test_max_unpool_gradient_matches_finite_differences():
    x = eager.tensor(np.random.default_rng(5).standard_normal((1, 2, 3, 3)), requires_grad=True)
    idx = eager.tensor(np.random.default_rng(6).permutation(36)[:18].reshape(1, 2, 3, 3))
    assert eager.autograd.gradcheck(lambda t: F.max_unpool2d(t, idx, 2), (x,))


def _indices(values):
    return np.array(values, dtype=np.int64)


@pytest.mark.parametrize("call", [
    lambda L, fn: fn.max_unpool2d(L.ones(1, 1, 2, 2), L.tensor(_indices([[[[0, 5], [17, 3]]]])),
                                  2),
    lambda L, fn: fn.max_unpool2d(L.ones(1, 1, 2, 2), L.ones(1, 1, 2, 2), 2),
    lambda L, fn: fn.max_unpool2d(L.ones(1, 1, 2, 2), L.tensor(_indices([[[[0], [1]]]])), 2),
    lambda L, fn: fn.max_unpool2d(L.ones(2, 2), L.tensor(_indices([[0, 1], [2, 3]])), 2),
    lambda L, fn: fn.max_unpool1d(L.ones(1, 1, 2), L.tensor(_indices([[[9, 0]]])), 2),
    lambda L, fn: fn.max_unpool3d(L.ones(2, 2, 2), L.tensor(np.zeros((2, 2, 2), np.int64)), 2),
    lambda L, fn: fn.max_unpool3d(L.ones(1, 1, 2, 2, 2),
                                  L.tensor(np.full((1, 1, 2, 2, 2), 99, np.int64)), 2),
])
def test_max_unpool_errors_are_torch_s(call):
    assert_same_error(RuntimeError, lambda: call(eager, F), lambda: call(torch, TF))


@pytest.mark.parametrize("size", [(7, 7), (7,), (1, 2, 3)])
def test_bad_output_size_is_torch_s_value_error(size):
    x, idx = np.ones((1, 1, 2, 2), np.float32), np.zeros((1, 1, 2, 2), np.int64)
    assert_same_error(ValueError,
                      lambda: F.max_unpool2d(eager.tensor(x), eager.tensor(idx), 2,
                                             output_size=size),
                      lambda: TF.max_unpool2d(torch.tensor(x), torch.tensor(idx), 2,
                                              output_size=size))


NAMES = ["max_unpool1d", "max_unpool2d", "max_unpool3d", "max_pool1d_with_indices",
         "max_pool2d_with_indices", "max_pool3d_with_indices", "adaptive_max_pool1d_with_indices",
         "adaptive_max_pool2d_with_indices", "adaptive_max_pool3d_with_indices"]


@pytest.mark.parametrize("name", NAMES)
def test_functions_have_torch_s_parameters(name):
    def params(fn):
        return [(p.name, p.default, p.kind) for p in inspect.signature(fn).parameters.values()]

    assert params(getattr(F, name)) == params(getattr(TF, name))


def test_with_indices_functions_return_pairs_by_default():
    x = randn(1, 2, 4, 6, 4)
    for name, args in [("max_pool3d_with_indices", (2,)),
                       ("adaptive_max_pool3d_with_indices", ((2, 3, 1),)),
                       ("adaptive_max_pool1d_with_indices", (3,))]:
        arr = x[0, 0] if name.startswith("adaptive_max_pool1d") else x
        ours = getattr(F, name)(eager.tensor(arr), *args)
        theirs = getattr(TF, name)(torch.tensor(arr), *args)
        np.testing.assert_array_equal(ours[1].numpy(), theirs[1].numpy())
        np.testing.assert_allclose(ours[0].numpy(), theirs[0].numpy())
