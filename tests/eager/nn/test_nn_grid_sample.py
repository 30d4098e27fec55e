"""F.affine_grid and F.grid_sample (2-d and 3-d) against torch in float32: every mode,
padding mode and corner alignment (outputs, input and grid gradients, theta's gradient through
the grid), PyTorch's warning when ``align_corners`` is unset, and its errors."""

import warnings

import numpy as np
import pytest
from nn_parity import randn, run_both
from torch_errors import assert_same_error

import eager
import eager.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional


def _grid(*shape, seed=1):
    return np.random.default_rng(seed).uniform(-1.3, 1.3, shape).astype(np.float32)


@pytest.mark.parametrize("shapes", [((2, 3, 5, 6), (2, 4, 7, 2)),
                                    ((2, 2, 3, 4, 5), (2, 2, 3, 4, 3))], ids=["2d", "3d"])
@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("padding_mode", ["zeros", "border", "reflection"])
@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
def test_grid_sample_matches_torch(mode, padding_mode, align_corners, shapes):
    kw = dict(mode=mode, padding_mode=padding_mode, align_corners=align_corners)
    x, grid = randn(*shapes[0]), _grid(*shapes[1])
    # nearest: the grid's gradient is zeros, in both
    run_both(lambda x, g: F.grid_sample(x, g, **kw), lambda x, g: TF.grid_sample(x, g, **kw),
             [x, grid], torch, atol=5e-5)


@pytest.mark.parametrize("size", [(2, 3, 4, 5), (2, 1, 3, 4, 2), (1, 1, 2, 1)])
@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.filterwarnings("ignore:Since version 1.3.0")  # (1, 1, 2, 1): tested below
def test_affine_grid_matches_torch(size, align_corners):
    k = len(size) - 2
    theta = randn(size[0], k, k + 1)
    run_both(lambda t: F.affine_grid(t, size, align_corners=align_corners),
             lambda t: TF.affine_grid(t, size, align_corners=align_corners), [theta], torch)


def test_unit_size_grid_with_aligned_corners_warns_as_torch():
    theta = randn(1, 2, 3)
    with pytest.warns(UserWarning, match="unit-size grids") as ours:
        out = F.affine_grid(eager.tensor(theta), (1, 1, 1, 3), align_corners=True)
    with pytest.warns(UserWarning, match="unit-size grids") as theirs:
        expected = TF.affine_grid(torch.tensor(theta), (1, 1, 1, 3), align_corners=True)
    assert str(ours[0].message) == str(theirs[0].message)
    np.testing.assert_allclose(out.numpy(), expected.numpy(), rtol=1e-6)


def test_spatial_transformer_gradient_reaches_theta_as_torch():
    x, theta = randn(2, 1, 6, 6), randn(2, 2, 3) * 0.3 + np.eye(2, 3, dtype=np.float32)

    def warp(lib_f):
        def fn(x, t):
            grid = lib_f.affine_grid(t, (2, 1, 4, 4), align_corners=False)
            return lib_f.grid_sample(x, grid, align_corners=False)
        return fn

    run_both(warp(F), warp(TF), [x, theta], torch, atol=5e-5)


def test_unset_align_corners_warns_as_torch_and_means_false():
    theta = eager.tensor(randn(1, 2, 3))
    with pytest.warns(UserWarning, match="align_corners=False since 1.3.0"):
        grid = F.affine_grid(theta, (1, 1, 3, 3))
    with pytest.warns(UserWarning, match="align_corners=False since 1.3.0"):
        out = F.grid_sample(eager.tensor(randn(1, 2, 3, 3)), grid)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        expected = F.grid_sample(eager.tensor(randn(1, 2, 3, 3)),
                                 F.affine_grid(theta, (1, 1, 3, 3), align_corners=False),
                                 align_corners=False)
    np.testing.assert_array_equal(out.numpy(), expected.numpy())


ERRORS = [
    (lambda f, m: f.grid_sample(m.ones(1, 1, 2, 2), m.zeros(1, 2, 2, 2), mode="cubic",
                                align_corners=False), ValueError),
    (lambda f, m: f.grid_sample(m.ones(1, 1, 2, 2), m.zeros(1, 2, 2, 2), padding_mode="wrap",
                                align_corners=False), ValueError),
    (lambda f, m: f.grid_sample(m.ones(2, 1, 2, 2), m.zeros(1, 2, 2, 2), align_corners=False),
     RuntimeError),
    (lambda f, m: f.grid_sample(m.ones(1, 1, 2, 2, 2), m.zeros(1, 2, 2, 2, 2),
                                align_corners=False), RuntimeError),
    (lambda f, m: f.affine_grid(m.zeros(1, 2, 3), (1, 1, 2), align_corners=False),
     NotImplementedError),
    (lambda f, m: f.affine_grid(m.zeros(2, 3), (1, 1, 2, 3), align_corners=False), ValueError),
]


@pytest.mark.parametrize("call,error", ERRORS, ids=range(len(ERRORS)))
def test_errors_match_torch(call, error):
    assert_same_error(error, lambda: call(F, eager), lambda: call(TF, torch))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("size", [(2, 3, 12, 32), (1, 2, 7, 13), (2, 2, 5, 6, 7)])
def test_identity_transform_gradients_on_pixel_centres_are_torchs(dtype, size):
    # The identity grid puts every point on a pixel centre, the bilinear kink: which
    # neighbour a gradient comes from follows the last bit of the position, so the grid and
    # the positions must round as torch's (its linspace and its fused multiply-add).
    k = len(size) - 2
    theta = np.tile(np.eye(k, k + 1, dtype=dtype), (size[0], 1, 1))
    x = np.random.default_rng(3).standard_normal(size).astype(dtype)

    def warp(lib_f):
        def fn(x, t):
            grid = lib_f.affine_grid(t, size, align_corners=False)
            return lib_f.grid_sample(x, grid, align_corners=False)
        return fn

    run_both(warp(F), warp(TF), [x, theta], torch, atol=1e-4)
