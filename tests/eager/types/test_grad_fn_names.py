"""Every op with a PyTorch equivalent records a grad_fn of PyTorch's name: one table of small
calls, each run through eager and torch, the backward node's class name compared."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)
ARRAYS = {"x": RNG.standard_normal((2, 3)), "y": RNG.standard_normal((2, 3)) + 3.0,
          "m": RNG.standard_normal((3, 4)), "v": RNG.standard_normal(3),
          "b": RNG.standard_normal((2, 3, 3)), "p": RNG.uniform(0.1, 0.9, (2, 3))}


def F(lib):  # noqa: N802  (torch.nn.functional, as programs name it)
    return lib.nn.functional


# id -> the call, over leaves x, y (2x3), m (3x4), v (3), b (2x3x3), p (2x3, in (0, 1)).
CASES = {
    "add": lambda L, t: t.x + t.y, "add_scalar": lambda L, t: t.x + 2,
    "sub": lambda L, t: t.x - t.y, "rsub": lambda L, t: 2 - t.x,
    "mul": lambda L, t: t.x * t.y, "mul_scalar": lambda L, t: t.x * 2,
    "div": lambda L, t: t.x / t.y, "div_scalar": lambda L, t: t.x / 2,
    "rdiv": lambda L, t: 2 / t.y, "neg": lambda L, t: -t.x,
    "pow_scalar": lambda L, t: t.x ** 2, "pow_tensor": lambda L, t: t.y ** t.x,
    "rpow": lambda L, t: 2 ** t.x,
    "exp": lambda L, t: t.x.exp(), "log": lambda L, t: t.y.log(), "log1p": lambda L, t: t.y.log1p(),
    "sqrt": lambda L, t: t.y.sqrt(), "rsqrt": lambda L, t: L.rsqrt(t.y),
    "abs": lambda L, t: t.x.abs(), "sin": lambda L, t: t.x.sin(), "cos": lambda L, t: t.x.cos(),
    "tanh": lambda L, t: t.x.tanh(), "sigmoid": lambda L, t: t.x.sigmoid(),
    "relu": lambda L, t: t.x.relu(), "sign": lambda L, t: t.x.sign(),
    "erf": lambda L, t: L.erf(t.x),
    "square": lambda L, t: L.square(t.x),
    "maximum": lambda L, t: L.maximum(t.x, t.y), "minimum": lambda L, t: L.minimum(t.x, t.y),
    "clamp": lambda L, t: t.x.clamp(-0.5, 0.5), "clamp_min": lambda L, t: t.x.clamp(min=0.1),
    "where": lambda L, t: L.where(t.x > 0, t.x, t.y),
    "sum": lambda L, t: t.x.sum(), "sum_dim": lambda L, t: t.x.sum(1),
    "mean": lambda L, t: t.x.mean(), "mean_dim": lambda L, t: t.x.mean(0),
    "var": lambda L, t: t.x.var(), "std": lambda L, t: t.x.std(),
    "prod": lambda L, t: t.x.prod(), "max": lambda L, t: t.x.max(),
    "max_dim": lambda L, t: t.x.max(1).values, "min": lambda L, t: t.x.min(),
    "amax": lambda L, t: L.amax(t.x, 1), "logsumexp": lambda L, t: L.logsumexp(t.x, 1),
    "softmax": lambda L, t: L.softmax(t.x, 1), "log_softmax": lambda L, t: L.log_softmax(t.x, 1),
    "cumsum": lambda L, t: t.x.cumsum(1), "cumprod": lambda L, t: t.x.cumprod(1),
    "matmul_2d": lambda L, t: t.x @ t.m, "matmul_mv": lambda L, t: t.x @ t.v,
    "matmul_dot": lambda L, t: t.v @ t.v, "bmm": lambda L, t: L.bmm(t.b, t.b),
    "matmul_3d": lambda L, t: t.b @ t.b,
    "reshape": lambda L, t: t.x.reshape(3, 2), "view": lambda L, t: t.x.view(6),
    "flatten": lambda L, t: t.b.flatten(1), "transpose": lambda L, t: t.x.transpose(0, 1),
    "t": lambda L, t: t.x.t(), "permute": lambda L, t: t.b.permute(2, 0, 1),
    "unsqueeze": lambda L, t: t.x.unsqueeze(0), "squeeze": lambda L, t: t.x[None].squeeze(0),
    "expand": lambda L, t: t.v.expand(2, 3), "cat": lambda L, t: L.cat([t.x, t.y]),
    "stack": lambda L, t: L.stack([t.x, t.y]), "split": lambda L, t: t.x.split(1)[0],
    "chunk": lambda L, t: t.x.chunk(3, 1)[1],
    "split_sizes": lambda L, t: t.x.split([1, 2], 1)[1],
    "getitem_int": lambda L, t: t.x[0], "getitem_slice": lambda L, t: t.x[:, 1:],
    "getitem_index": lambda L, t: t.x[[0, 1, 1]],
    "getitem_mask": lambda L, t: t.x[t.x > 0],
    "index_select": lambda L, t: t.x.index_select(1, L.tensor([0, 2])),
    "gather": lambda L, t: t.x.gather(1, L.tensor([[0], [2]])),
    "masked_fill": lambda L, t: t.x.masked_fill(t.x > 0, 0.0),
    "flip": lambda L, t: t.x.flip(0), "roll": lambda L, t: t.x.roll(1, 1),
    "repeat": lambda L, t: t.x.repeat(2, 1), "tile": lambda L, t: L.tile(t.x, (2,)),
    "tril": lambda L, t: t.x.tril(), "triu": lambda L, t: t.x.triu(),
    "norm": lambda L, t: t.x.norm(), "norm_dim": lambda L, t: t.x.norm(dim=1),
    "to_float32": lambda L, t: t.x.float(), "narrow": lambda L, t: t.x.narrow(1, 0, 2),
    "sort": lambda L, t: t.x.sort(1).values, "topk": lambda L, t: t.x.topk(2).values,
    "einsum": lambda L, t: L.einsum("ij,jk->ik", t.x, t.m),
    "repeat_interleave": lambda L, t: t.x.repeat_interleave(2, 0),
    "clone": lambda L, t: t.x.clone(),
    "linear": lambda L, t: F(L).linear(t.x, t.m.t()),
    "linear_bias": lambda L, t: F(L).linear(t.x, t.m.t(), t.m[0]),
    "gelu": lambda L, t: F(L).gelu(t.x), "silu": lambda L, t: F(L).silu(t.x),
    "leaky_relu": lambda L, t: F(L).leaky_relu(t.x), "elu": lambda L, t: F(L).elu(t.x),
    "softplus": lambda L, t: F(L).softplus(t.x),
    "layer_norm": lambda L, t: F(L).layer_norm(t.x, (3,)),
    "mse_loss": lambda L, t: F(L).mse_loss(t.x, t.y),
    "l1_loss": lambda L, t: F(L).l1_loss(t.x, t.y),
    "cross_entropy": lambda L, t: F(L).cross_entropy(t.x, L.tensor([0, 2])),
    "nll_loss": lambda L, t: F(L).nll_loss(t.x, L.tensor([0, 2])),
    "bce": lambda L, t: F(L).binary_cross_entropy(t.p, L.ones(2, 3, dtype=L.float64)),
    "bce_logits": lambda L, t: F(L).binary_cross_entropy_with_logits(
        t.x, L.ones(2, 3, dtype=L.float64)),
    "embedding": lambda L, t: F(L).embedding(L.tensor([1, 0]), t.m),
    "pad": lambda L, t: F(L).pad(t.x, (1, 1)),
    "dropout_eval": lambda L, t: F(L).dropout(t.x, 0.5, training=False) * 1,
    "conv2d": lambda L, t: F(L).conv2d(t.b[None], t.b[:, :2, :2][None].repeat(3, 1, 1, 1)),
    "max_pool2d": lambda L, t: F(L).max_pool2d(t.b[None], 2),
    "avg_pool2d": lambda L, t: F(L).avg_pool2d(t.b[None], 2),
    "index_put": lambda L, t: t.x.index_put((L.tensor([0, 1]),), t.y[:2]),
    "scatter_src": lambda L, t: t.x.scatter(1, L.tensor([[0], [2]]), t.y[:, :1]),
    "scatter_value": lambda L, t: t.x.scatter(1, L.tensor([[0], [2]]), 2.0),
    "scatter_add": lambda L, t: t.x.scatter_add(1, L.tensor([[0], [2]]), t.y[:, :1]),
    "remainder": lambda L, t: t.x.remainder(1.5), "expand_as": lambda L, t: t.v.expand_as(t.x),
    "view_as": lambda L, t: t.x.view_as(t.y), "square_method": lambda L, t: t.x.square(),
    "rsqrt_method": lambda L, t: t.y.rsqrt(), "reciprocal": lambda L, t: t.y.reciprocal(),
    "add_": lambda L, t: (t.x * 1).add_(1), "mul_": lambda L, t: (t.x * 1).mul_(t.y),
    "clamp_": lambda L, t: (t.x * 1).clamp_(0, 1),
    "softsign": lambda L, t: F(L).softsign(t.x), "normalize": lambda L, t: F(L).normalize(t.x),
    "cosine_similarity": lambda L, t: F(L).cosine_similarity(t.x, t.y),
    "kl_div": lambda L, t: F(L).kl_div(t.x, t.p, reduction="batchmean"),
    "softmin": lambda L, t: F(L).softmin(t.x, 1), "tanhshrink": lambda L, t: F(L).tanhshrink(t.x),
    "attention": lambda L, t: F(L).scaled_dot_product_attention(t.b, t.b, t.b),
    "hardtanh": lambda L, t: F(L).hardtanh(t.x), "logsigmoid": lambda L, t: F(L).logsigmoid(t.x),
    "smooth_l1_loss": lambda L, t: F(L).smooth_l1_loss(t.x, t.y),
    "huber_loss": lambda L, t: F(L).huber_loss(t.x, t.y),
    "glu": lambda L, t: F(L).glu(t.x[:, :2]), "mish": lambda L, t: F(L).mish(t.x),
    "hardswish": lambda L, t: F(L).hardswish(t.x), "selu": lambda L, t: F(L).selu(t.x),
    "group_norm": lambda L, t: F(L).group_norm(t.b, 1),
    "batch_norm": lambda L, t: F(L).batch_norm(t.x, None, None, training=True),
    "interpolate": lambda L, t: F(L).interpolate(t.b[None], scale_factor=2),
    "one_hot_mul": lambda L, t: F(L).one_hot(L.tensor([0, 2]), 3) * t.x,
}


# Where eager's name still differs: case -> (eager's name, why). Eager records primitives; a
# composite op's output shows the composite's ``torch_name`` facet (shared_ops/composite_calls),
# but functions written in eager.nn or in the Tensor method table as several ops show their
# last op's name, and one primitive may serve two torch functions.
# Asserted: a case fixed must leave this list.
NN = "eager.nn.functional writes it with primitives (no composite op)"
METHOD = "the Tensor method table (shared_ops.tensor_api) writes it with other primitives"
KNOWN_DIFFERENCES = {
    "sign": (None, "the sign op has no differentiable output (torch: a zero gradient)"),
    "einsum": ("ContractBackward0", "torch's last node depends on its einsum plan"),
    "repeat_interleave": ("IndexBackward0", "an index of repeated positions"),
    "group_norm": ("ViewBackward0", NN),
    "batch_norm": ("DivBackward0", NN), "interpolate": ("IndexBackward0", NN),
    "square_method": ("MulBackward0", METHOD),
    "reciprocal": ("MulBackward0", METHOD),
    "scatter_value": ("ScatterBackward0", "Tensor.scatter makes the value a tensor (torch: "
                      "ScatterBackward1 for a scalar)"),
}


class Leaves:
    """The leaves of one library, by name, requiring grad."""

    def __init__(self, lib):
        for name, a in ARRAYS.items():
            setattr(self, name, lib.tensor(a, requires_grad=True))


def grad_fn_name(lib, case: str) -> str | None:
    """The class name of the case's result's grad_fn (None: no grad_fn)."""
    grad_fn = CASES[case](lib, Leaves(lib)).grad_fn
    if grad_fn is None:
        return None
    return type(grad_fn).__name__  # a class per node name in both


@pytest.mark.parametrize("case", list(CASES))
def test_grad_fn_name_is_torchs(case):
    ours, theirs = grad_fn_name(eager, case), grad_fn_name(torch, case)
    if case in KNOWN_DIFFERENCES:
        assert ours == KNOWN_DIFFERENCES[case][0] and ours != theirs, "fixed: update the list"
    else:
        assert ours == theirs


def test_repr_of_grad_fn_and_tensor_suffix_name_it_as_torch():
    for lib in (eager, torch):
        y = Leaves(lib).x * 2
        assert repr(y.grad_fn).startswith("<MulBackward0 object at 0x")
        assert repr(y).endswith("grad_fn=<MulBackward0>)")
