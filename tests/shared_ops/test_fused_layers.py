"""The fused kernels of the transformer's composites, ``fused_layer_norm`` and ``fused_gelu``
(with ``gelu_grad``): the layer norm's two forms of one gradient (NumPy on arrays in eager
backward, ops on Tensors) agree; eager ``layer_norm`` and ``gelu`` in float32, now one op
each, match PyTorch's outputs and gradients at a transformer's sizes; second derivatives go
through the ops forms and match PyTorch's."""

from __future__ import annotations

import numpy as np
import pytest

import eager
import shared_ops as ops

torch = pytest.importorskip("torch")
F = eager.nn.functional


@pytest.mark.parametrize("needs", [(True, True, True), (True, False, False),
                                   (False, True, True)], ids=["all", "dx", "params"])
@pytest.mark.parametrize("shape, norm", [((3, 4, 5), (5,)), ((2, 3, 4), (3, 4)), ((6,), (6,))],
                         ids=["rows", "2d", "one-row"])
def test_layer_norm_gradient_forms_agree(shape, norm, needs):
    rng = np.random.default_rng(3)
    args = [rng.standard_normal(shape) * 2, rng.standard_normal(norm), rng.standard_normal(norm)]
    out = ops.fused_layer_norm(*args, eps=1e-3)
    g = rng.standard_normal(shape)
    vjp = ops.OPS["fused_layer_norm"].vjp
    on_arrays = vjp(g, args, out, eps=1e-3, needs=needs)
    on_tensors = vjp(eager.from_numpy(g), [eager.from_numpy(a) for a in args],
                     eager.from_numpy(out), eps=1e-3, needs=needs)
    for i, (a, t) in enumerate(zip(on_arrays, on_tensors, strict=True)):
        assert (a is None) == (not needs[i])
        if a is not None:
            np.testing.assert_allclose(a, t.numpy(), rtol=1e-10, atol=1e-12, err_msg=str(i))


def _pair(rng, shape, scale=1.0):
    a = (rng.standard_normal(shape) * scale).astype(np.float32)
    return eager.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)


def test_float32_layer_norm_matches_torch_at_transformer_size():
    rng = np.random.default_rng(4)
    (x, tx), (w, tw), (b, tb) = _pair(rng, (16, 64, 64), 3), _pair(rng, 64), _pair(rng, 64)
    g = rng.standard_normal((16, 64, 64)).astype(np.float32)
    y = F.layer_norm(x + 5.0, (64,), w, b)  # an offset: the centring must be exact
    ty = torch.nn.functional.layer_norm(tx + 5.0, (64,), tw, tb)
    assert y.grad_fn.name() == "NativeLayerNormBackward0"
    np.testing.assert_allclose(y.detach().numpy(), ty.detach().numpy(), rtol=1e-4, atol=2e-5)
    y.backward(eager.from_numpy(g))
    ty.backward(torch.from_numpy(g))
    for ours, theirs in ((x, tx), (w, tw), (b, tb)):
        np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-4,
                                   atol=1e-4)


@pytest.mark.parametrize("approximate", ["none", "tanh"])
def test_float32_gelu_matches_torch(approximate):
    rng = np.random.default_rng(5)
    x, tx = _pair(rng, (16, 64, 256), 3)
    g = rng.standard_normal((16, 64, 256)).astype(np.float32)
    y = F.gelu(x, approximate=approximate)
    ty = torch.nn.functional.gelu(tx, approximate=approximate)
    assert y.grad_fn.name() == "GeluBackward0" and y.dtype == eager.float32
    np.testing.assert_allclose(y.detach().numpy(), ty.detach().numpy(), rtol=2e-6, atol=2e-6)
    y.backward(eager.from_numpy(g))
    ty.backward(torch.from_numpy(g))
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("approximate", ["none", "tanh"])
def test_gelu_second_and_third_derivatives_match_torch(approximate):
    a = np.linspace(-4, 4, 17)
    x, tx = eager.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    ours, theirs = F.gelu(x, approximate=approximate), \
        torch.nn.functional.gelu(tx, approximate=approximate)
    for _ in range(3):  # first, second, third derivative
        (ours,) = eager.autograd.grad(ours.sum(), x, create_graph=True)
        (theirs,) = torch.autograd.grad(theirs.sum(), tx, create_graph=True)
        np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(),
                                   rtol=1e-9, atol=1e-12)


def test_layer_norm_second_derivative_matches_torch():
    rng = np.random.default_rng(6)
    a, wa, ba = rng.standard_normal((3, 5)), rng.standard_normal(5), rng.standard_normal(5)
    x, w, b = (eager.tensor(v, requires_grad=True) for v in (a, wa, ba))
    tx, tw, tb = (torch.tensor(v, requires_grad=True) for v in (a, wa, ba))
    c = rng.standard_normal((3, 5))
    y = (F.layer_norm(x, (5,), w, b) ** 2 * eager.from_numpy(c)).sum()
    ty = (torch.nn.functional.layer_norm(tx, (5,), tw, tb) ** 2 * torch.from_numpy(c)).sum()
    grads = eager.autograd.grad(y, [x, w], create_graph=True)
    tgrads = torch.autograd.grad(ty, [tx, tw], create_graph=True)
    (sum(gr.sum() for gr in grads)).backward()
    (sum(gr.sum() for gr in tgrads)).backward()
    for ours, theirs in ((x, tx), (w, tw), (b, tb)):
        np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-9,
                                   atol=1e-11)


def test_fused_forms_refuse_what_the_composites_refuse():
    with pytest.raises(ops.OpValueError, match="approximate must be 'none' or 'tanh'"):
        ops.gelu(eager.ones(2), approximate="fast")
    with pytest.raises(ops.ShapeError, match="layer_norm"):
        F.layer_norm(eager.ones(2, 5), (5,), eager.ones(4), eager.ones(4))
    with pytest.raises(ops.ShapeError, match="fused_layer_norm"):
        ops.fused_layer_norm(np.ones((2, 5)), np.ones(5), np.ones(4))
