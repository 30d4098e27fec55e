"""scaled_dot_product_attention's three paths (causal: an added 0/-inf bias and a plain
softmax; no mask: a plain softmax; a user's mask: the select and the softmax that gives dead
rows zeros) against PyTorch, values and gradients, float64 and float32; and the affine
kernel's 2-d product for 3-d inputs against a batched matmul."""

from __future__ import annotations

import numpy as np
import pytest

import eager
import eager.nn.functional as F
import shared_ops as ops

torch = pytest.importorskip("torch")


def _qkv(dtype, rng, lq=5, ls=5):
    return [rng.standard_normal(s).astype(dtype) for s in ((2, 3, lq, 4), (2, 3, ls, 4),
                                                          (2, 3, ls, 4))]


def _both(arrays, **kwargs):
    """(eager output, grads), (torch output, grads) of sum(out * w) for a fixed w."""
    results = []
    for lib, fn in ((eager, F.scaled_dot_product_attention),
                    (torch, torch.nn.functional.scaled_dot_product_attention)):
        inputs = [lib.from_numpy(a.copy()).requires_grad_() for a in arrays]
        mask = kwargs.get("attn_mask")
        extra = dict(kwargs, attn_mask=lib.from_numpy(mask)) if mask is not None else kwargs
        out = fn(*inputs, **extra)
        w = np.linspace(-1, 1, out.numel()).reshape(tuple(out.shape)).astype(arrays[0].dtype)
        (out * lib.from_numpy(w)).sum().backward()
        results.append([out.detach().numpy()] + [x.grad.numpy() for x in inputs])
    return results


@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-12), (np.float32, 2e-6)])
@pytest.mark.parametrize("case", ["causal", "causal-longer-query", "no-mask", "bool-mask",
                                  "float-mask"])
def test_sdpa_paths_match_torch(case, dtype, tol):
    rng = np.random.default_rng(8)
    lq = 7 if case == "causal-longer-query" else 5
    arrays = _qkv(dtype, rng, lq=lq)
    kwargs = {}
    if case.startswith("causal"):
        kwargs["is_causal"] = True
    elif case == "bool-mask":
        mask = rng.random((lq, 5)) > 0.4
        mask[1] = False  # a row that may attend to nothing: zeros and zero gradients
        kwargs["attn_mask"] = mask
    elif case == "float-mask":
        kwargs["attn_mask"] = rng.standard_normal((lq, 5)).astype(dtype)
    ours, theirs = _both(arrays, **kwargs)
    for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol, err_msg=f"{case}: item {i}")


@pytest.mark.parametrize("shape", [(6, 4), (3, 5, 4), (2, 3, 5, 4)])
def test_affine_of_batched_inputs_equals_matmul(shape):
    rng = np.random.default_rng(2)
    x = rng.standard_normal(shape).astype(np.float32)
    w, b = rng.standard_normal((7, 4)).astype(np.float32), rng.standard_normal(7).astype(
        np.float32)
    np.testing.assert_allclose(ops.affine(x, w, b), np.matmul(x, w.T) + b, rtol=1e-6,
                               atol=1e-6)
