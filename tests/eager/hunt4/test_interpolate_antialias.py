"""F.interpolate(antialias=True) gives PyTorch's antialiased bilinear and bicubic resize
(values and gradients), and refuses other modes and ranks with torch's ValueError."""

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")
F = torch.nn.functional

CASES = [((2, 3, 20, 17), {"size": (8, 5)}), ((1, 2, 9, 9), {"size": 4}),
         ((1, 1, 6, 7), {"size": (12, 3)}), ((1, 1, 10, 10), {"scale_factor": 0.3}),
         ((1, 1, 5, 5), {"size": (5, 5)})]


@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize(("shape", "kw"), CASES)
def test_antialiased_resize_matches_torch(shape, kw, mode, align_corners):
    x = torch.randn(*shape, generator=torch.Generator().manual_seed(sum(shape)))
    want = F.interpolate(x, mode=mode, align_corners=align_corners, antialias=True, **kw)
    got = eager.nn.functional.interpolate(eager.tensor(x.numpy()), mode=mode,
                                          align_corners=align_corners, antialias=True, **kw)
    assert tuple(got.shape) == tuple(want.shape)
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
def test_antialiased_resize_gradient_matches_torch(mode):
    x = torch.randn(1, 2, 11, 8, generator=torch.Generator().manual_seed(3))
    g = torch.randn(1, 2, 4, 3, generator=torch.Generator().manual_seed(4))
    xt = x.clone().requires_grad_()
    F.interpolate(xt, size=(4, 3), mode=mode, antialias=True).backward(g)
    xe = eager.tensor(x.numpy(), requires_grad=True)
    out = eager.nn.functional.interpolate(xe, size=(4, 3), mode=mode, antialias=True)
    out.backward(eager.tensor(g.numpy()))
    np.testing.assert_allclose(xe.grad.numpy(), xt.grad.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(("mode", "ndim"), [("nearest", 4), ("linear", 3), ("nearest-exact", 4)])
def test_antialias_refused_like_torch(mode, ndim):
    shape = (1, 1, 6, 6)[:ndim]
    with pytest.raises(ValueError, match="Anti-alias option is restricted") as want:
        F.interpolate(torch.zeros(shape), size=(3,) * (ndim - 2), mode=mode, antialias=True)
    with pytest.raises(ValueError) as got:
        eager.nn.functional.interpolate(eager.zeros(shape), size=(3,) * (ndim - 2), mode=mode,
                                        antialias=True)
    assert str(got.value) == str(want.value)
