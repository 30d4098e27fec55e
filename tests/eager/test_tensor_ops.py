"""Tensor methods, operators and ``eager.<fn>`` functions: PyTorch's names, signatures and
results (torch is the oracle where installed; NumPy otherwise)."""

from __future__ import annotations

import numpy as np
import pytest

import eager

RNG = np.random.default_rng(0)
A = RNG.standard_normal((3, 4))
B = RNG.standard_normal((3, 4))
M = RNG.standard_normal((4, 2))

# (id, fn(lib, a, b, m)) run with lib=eager and lib=torch on the same float64 data.
EXPRESSIONS = [
    ("add", lambda L, a, b, m: a + b),
    ("radd-scalar", lambda L, a, b, m: 2.0 + a),
    ("sub-rsub", lambda L, a, b, m: (a - b, 1.0 - a)),
    ("mul-div", lambda L, a, b, m: (a * b, a / (b.abs() + 1), 2.0 / (a.abs() + 1))),
    ("pow", lambda L, a, b, m: (a ** 2, a.abs() ** 0.5, 2.0 ** a)),
    ("neg-abs", lambda L, a, b, m: (-a, abs(a), a.abs())),
    ("matmul", lambda L, a, b, m: (a @ m, L.matmul(a, m), a.mm(m), a[0] @ m)),
    ("unary", lambda L, a, b, m: (a.exp(), a.abs().log(), a.abs().sqrt(), a.tanh(),
                                  a.sigmoid(), a.relu(), L.sin(a), L.cos(a), a.abs().log1p())),
    ("sum", lambda L, a, b, m: (a.sum(), a.sum(0), a.sum(dim=1, keepdim=True),
                                L.sum(a, (0, 1)))),
    ("mean", lambda L, a, b, m: (a.mean(), a.mean(1), L.mean(a, dim=0, keepdim=True))),
    ("max-min", lambda L, a, b, m: (a.max(), a.min(), L.max(a, b), L.maximum(a, b),
                                    L.minimum(a, b))),
    ("max-dim", lambda L, a, b, m: tuple(a.max(dim=1)) + tuple(L.min(a, 0, keepdim=True))),
    ("argmax", lambda L, a, b, m: (a.argmax(), a.argmax(1), L.argmin(a, dim=0))),
    ("var-std", lambda L, a, b, m: (a.var(), a.var(1), a.std(0), L.var(a, 1, unbiased=False))),
    ("logsumexp", lambda L, a, b, m: (L.logsumexp(a, 1), a.logsumexp(0, keepdim=True))),
    ("softmax", lambda L, a, b, m: (a.softmax(1), L.softmax(a, dim=0), a.log_softmax(-1))),
    ("reshape", lambda L, a, b, m: (a.view(4, 3), a.reshape(-1), a.view((2, 6)),
                                    a.reshape_as(b.t()))),
    ("flatten", lambda L, a, b, m: (a.flatten(), L.flatten(a.view(3, 2, 2), 1))),
    ("transpose", lambda L, a, b, m: (a.t(), a.T, a.transpose(0, 1),
                                      a.view(3, 2, 2).permute(2, 0, 1))),
    ("squeeze", lambda L, a, b, m: (a.unsqueeze(0), a.unsqueeze(-1), a.view(1, 3, 4).squeeze(),
                                    a.view(3, 1, 4).squeeze(1), a.squeeze(0))),
    ("expand", lambda L, a, b, m: (a[0:1].expand(3, 4), a[:, :1].expand(-1, 4),
                                   a[0].expand_as(b))),
    ("cat-stack", lambda L, a, b, m: (L.cat([a, b]), L.cat((a, b), dim=1),
                                      L.stack([a, b]), L.stack([a, b], dim=2))),
    ("clamp", lambda L, a, b, m: (a.clamp(-0.5, 0.5), L.clamp(a, min=0.0), a.clamp(max=0.1))),
    ("where", lambda L, a, b, m: (L.where(a > 0, a, b), L.where(a > b, a, 0.0))),
    ("compare", lambda L, a, b, m: (a > b, a < 0, a >= b, a <= 0.5, a == a, a != b)),
    ("index", lambda L, a, b, m: (a[1], a[:, 2], a[1:, ::2], a[..., -1], a[None, 0],
                                  a[[0, 2]], a[a > 0])),
    ("split", lambda L, a, b, m: L.split(a, 2, dim=1) + a.chunk(3, 0)),
]


def _run(L, fn):
    if L is eager:
        args = (eager.tensor(A), eager.tensor(B), eager.tensor(M))
    else:
        args = (L.tensor(A), L.tensor(B), L.tensor(M))
    out = fn(L, *args)
    return out if isinstance(out, tuple) else (out,)


@pytest.mark.parametrize("fn", [f for _, f in EXPRESSIONS], ids=[i for i, _ in EXPRESSIONS])
def test_matches_torch(fn):
    torch = pytest.importorskip("torch")
    ours, theirs = _run(eager, fn), _run(torch, fn)
    assert len(ours) == len(theirs)
    for o, t in zip(ours, theirs, strict=True):
        t = t.numpy()
        assert o.shape == t.shape
        assert o.dtype == t.dtype, (o.dtype, t.dtype)
        np.testing.assert_allclose(o.numpy(), t, rtol=1e-12, atol=1e-12)


def test_max_with_dim_is_a_named_tuple_of_values_and_indices():
    values, indices = eager.max(eager.tensor([[1.0, 5.0], [7.0, 2.0]]), dim=1)
    assert values.tolist() == [5.0, 7.0] and indices.tolist() == [1, 0]
    r = eager.tensor([[1.0, 5.0], [7.0, 2.0]]).min(0)
    assert r.values.tolist() == [1.0, 2.0] and r.indices.tolist() == [0, 1]
    assert repr(r).startswith("torch.return_types.min(\nvalues=tensor([1., 2.])")


def test_scalar_dtype_rules_follow_torch():
    i = eager.tensor([1, 2])
    assert (i + 1).dtype == eager.int64
    assert (i * 2.5).dtype == eager.float32
    assert (eager.tensor([1.0], dtype=eager.float64) * 2.0).dtype == eager.float64
    assert (i / 2).dtype == eager.float32


def test_functions_work_on_plain_arrays_too():
    out = eager.sum(np.ones((2, 3)), dim=1)
    assert np.asarray(out).tolist() == [3.0, 3.0]


def test_clamp_needs_a_bound():
    with pytest.raises(RuntimeError, match="At least one"):
        eager.clamp(eager.ones(2))


def test_errors_name_the_op_and_the_callers_line():
    a, b = eager.ones(3, 4), eager.ones(5, 1)
    with pytest.raises(ValueError, match=r"matmul: .*\(3, 4\).*\(5, 1\).*test_tensor_ops.py"):
        a @ b


def test_predicates_match_torch():
    torch = pytest.importorskip("torch")
    data = np.array([1.0, np.nan, np.inf, -np.inf, 0.0], np.float32)
    for name in ("isnan", "isinf", "isfinite", "all", "any"):
        ours = getattr(eager.from_numpy(data), name)()
        theirs = getattr(torch.from_numpy(data), name)()
        assert ours.tolist() == theirs.tolist(), name
    x = eager.tensor([1.0, 2.0])
    assert eager.allclose(x, x + 1e-9) and not eager.equal(x, x + 1)
    assert x.masked_fill(x > 1, 0.0).tolist() == [1.0, 0.0]
    assert x.where(x > 1, -1.0).tolist() == [-1.0, 2.0]
    assert x.new_zeros(2, 3).shape == (2, 3) and x.new_tensor([1]).dtype == eager.float32
    assert x.type_as(eager.tensor([1], dtype=eager.float64)).dtype == eager.float64


def test_every_shared_op_is_an_eager_function():
    import shared_ops

    missing = [name for name in shared_ops.OPS if not callable(getattr(eager, name, None))]
    # torch has functions of these names with other semantics: they stay shared_ops' only
    assert sorted(missing) == ["binary_cross_entropy_with_logits", "conv3d", "conv_transpose3d",
                               "ctc_loss", "dropout", "max_pool2d", "max_pool3d"]
    assert eager.zeros_like.__module__ == "eager.creation"  # creation keeps its own
    assert eager.erf(eager.tensor([0.0])).tolist() == [0.0]
