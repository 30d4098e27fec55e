"""Every public function of ``eager`` whose name torch also has behaves as torch's: each is
called through both libraries on small representative inputs (the table below) and the results
compared: dtype, shape and values of tensors, Python values exactly. A name without a row must
be in UNCOVERED, with the reason; the test asserts that list is exact."""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

A = [[1.5, -2.0, 3.0], [0.5, 4.0, -1.0]]
P = [[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]]
I = [[3, 1, 2], [0, 5, 4]]  # noqa: E741
B = [[True, False, True], [False, False, True]]


def a(L, data=A, **kw):
    return L.tensor(data, **kw)


# name -> calls, each ``lambda L: ...`` over a library (eager or torch).
CALLS = {
    "abs": [lambda L: L.abs(a(L))], "neg": [lambda L: L.neg(a(L))],
    "negative": [lambda L: L.negative(a(L))], "exp": [lambda L: L.exp(a(L))],
    "exp2": [lambda L: L.exp2(a(L)), lambda L: L.exp2(a(L, I))],
    "expm1": [lambda L: L.expm1(a(L))],
    "log": [lambda L: L.log(a(L, P))], "log1p": [lambda L: L.log1p(a(L, P))],
    "sqrt": [lambda L: L.sqrt(a(L, P))], "rsqrt": [lambda L: L.rsqrt(a(L, P))],
    "sin": [lambda L: L.sin(a(L))], "cos": [lambda L: L.cos(a(L))],
    "tanh": [lambda L: L.tanh(a(L))], "sigmoid": [lambda L: L.sigmoid(a(L))],
    "relu": [lambda L: L.relu(a(L))], "sign": [lambda L: L.sign(a(L))],
    "erf": [lambda L: L.erf(a(L))], "square": [lambda L: L.square(a(L)),
                                                 lambda L: L.square(a(L, I))],
    "add": [lambda L: L.add(a(L), a(L, P), alpha=2), lambda L: L.add(a(L, I), 1)],
    "sub": [lambda L: L.sub(a(L), a(L, P), alpha=0.5)],
    "subtract": [lambda L: L.subtract(a(L), 1.0)],
    "mul": [lambda L: L.mul(a(L), a(L, I))], "multiply": [lambda L: L.multiply(a(L), 2)],
    "div": [lambda L: L.div(a(L), a(L, P)), lambda L: L.div(a(L, I), 2)],
    "divide": [lambda L: L.divide(a(L), 4)], "true_divide": [lambda L: L.true_divide(a(L, I), 3)],
    "pow": [lambda L: L.pow(a(L, P), 2), lambda L: L.pow(a(L, P), a(L, P))],
    "maximum": [lambda L: L.maximum(a(L), a(L, P))],
    "minimum": [lambda L: L.minimum(a(L), a(L, P))],
    "clamp": [lambda L: L.clamp(a(L), -1, 1), lambda L: L.clamp(a(L), min=0.0)],
    "clip": [lambda L: L.clip(a(L), max=0.5)],
    "where": [lambda L: L.where(a(L, B), a(L), a(L, P))],
    **{n: [lambda L, n=n: getattr(L, n)(a(L), a(L, P))]
       for n in ("eq", "ne", "lt", "le", "gt", "ge", "greater", "less")},
    "sum": [lambda L: L.sum(a(L)), lambda L: L.sum(a(L), 1, keepdim=True),
            lambda L: L.sum(a(L, I), dim=(0, 1)), lambda L: L.sum(a(L, B))],
    "mean": [lambda L: L.mean(a(L)), lambda L: L.mean(a(L), dim=0)],
    "var": [lambda L: L.var(a(L)), lambda L: L.var(a(L), 1, unbiased=False)],
    "std": [lambda L: L.std(a(L)), lambda L: L.std(a(L), dim=0, correction=0)],
    "prod": [lambda L: L.prod(a(L)), lambda L: L.prod(a(L), 1), lambda L: L.prod(a(L, I))],
    "max": [lambda L: L.max(a(L)), lambda L: L.max(a(L), 1), lambda L: L.max(a(L), a(L, P))],
    "min": [lambda L: L.min(a(L)), lambda L: L.min(a(L), dim=0, keepdim=True)],
    "amax": [lambda L: L.amax(a(L), 1)], "amin": [lambda L: L.amin(a(L), (0, 1))],
    "argmax": [lambda L: L.argmax(a(L)), lambda L: L.argmax(a(L), dim=1)],
    "argmin": [lambda L: L.argmin(a(L), 0, keepdim=True)],
    "logsumexp": [lambda L: L.logsumexp(a(L), 1)],
    "softmax": [lambda L: L.softmax(a(L), 1), lambda L: L.softmax(a(L), 0, L.float64)],
    "log_softmax": [lambda L: L.log_softmax(a(L), dim=1)],
    "cumsum": [lambda L: L.cumsum(a(L), 1), lambda L: L.cumsum(a(L, I), dim=0)],
    "cumprod": [lambda L: L.cumprod(a(L), 0)],
    "argsort": [lambda L: L.argsort(a(L)), lambda L: L.argsort(a(L), 0, descending=True)],
    "sort": [lambda L: L.sort(a(L)), lambda L: L.sort(a(L), dim=0, descending=True)],
    "topk": [lambda L: L.topk(a(L), 2), lambda L: L.topk(a(L), 1, dim=0, largest=False)],
    "unique": [lambda L: L.unique(a(L, I)), lambda L: L.unique(
        a(L, [3, 1, 3, 2]), return_inverse=True, return_counts=True)],
    "norm": [lambda L: L.norm(a(L)), lambda L: L.norm(a(L), dim=1),
             lambda L: L.norm(a(L), p=1)],
    "matmul": [lambda L: L.matmul(a(L), a(L).t())], "mm": [lambda L: L.mm(a(L), a(L).t())],
    "bmm": [lambda L: L.bmm(a(L)[None], a(L).t()[None])],
    "einsum": [lambda L: L.einsum("ij,kj->ik", a(L), a(L, P)),
               lambda L: L.einsum("ii", L.ones(3, 3))],
    "isnan": [lambda L: L.isnan(L.tensor([1.0, float("nan")]))],
    "isinf": [lambda L: L.isinf(L.tensor([1.0, float("-inf")]))],
    "isfinite": [lambda L: L.isfinite(L.tensor([1.0, float("inf"), float("nan")]))],
    "all": [lambda L: L.all(a(L, B)), lambda L: L.all(a(L))],
    "any": [lambda L: L.any(a(L, B)), lambda L: L.any(L.zeros(2))],
    "allclose": [lambda L: L.allclose(a(L), a(L) + 1e-9),
                 lambda L: L.allclose(a(L), a(L, P))],
    "equal": [lambda L: L.equal(a(L), a(L)), lambda L: L.equal(a(L), a(L, P))],
    "masked_fill": [lambda L: L.masked_fill(a(L), a(L, B), 0.5)],
    "scatter_add": [lambda L: L.scatter_add(L.zeros(2, 3), 1, a(L, [[0, 0], [2, 1]]),
                                            a(L, [[1.0, 2.0], [3.0, 4.0]]))],
    "scatter": [lambda L: L.scatter(L.zeros(2, 3), 1, a(L, [[0], [2]]), a(L, [[1.0], [2.0]])),
                lambda L: L.scatter(L.zeros(2, 3), 0, a(L, [[1, 0, 1]]), 7.0)],
    "gather": [lambda L: L.gather(a(L), 1, a(L, [[0, 0], [2, 1]]))],
    "take_along_dim": [lambda L: L.take_along_dim(a(L), a(L, [[0], [2]]), 1)],
    "index_select": [lambda L: L.index_select(a(L), 1, a(L, [2, 0]))],
    "index_add": [lambda L: L.index_add(a(L), 1, a(L, [0, 0]), L.ones(2, 2), alpha=2),
                  lambda L: L.index_add(a(L), 0, a(L, [1]), L.ones(1, 3))],
    "index_put": [lambda L: L.index_put(a(L), (a(L, [0, 1]), a(L, [2, 2])), a(L, [9.0, 8.0])),
                  lambda L: L.index_put(a(L), (a(L, [1, 1]),), L.ones(3), accumulate=True)],
    "scatter_reduce": [lambda L: L.scatter_reduce(a(L), 1, a(L, [[0, 0], [2, 0]]), L.ones(2, 2),
                                                  "amax", include_self=False),
                       lambda L: L.scatter_reduce(a(L), 0, a(L, [[1, 1, 0]]), a(L, [[2.0] * 3]),
                                                  reduce="mean")],
    "index_reduce": [lambda L: warned(L.index_reduce, a(L), 1, a(L, [2, 2]),
                                      a(L, [[1.0] * 2] * 2), "prod", include_self=False)[0]],
    "index_copy": [lambda L: L.index_copy(a(L), 1, a(L, [2, 0]), L.zeros(2, 2))],
    "put": [lambda L: L.put(a(L), a(L, [-1, 0]), a(L, [9.0, 8.0])),
            lambda L: L.put(a(L), a(L, [[1, 1]]), a(L, [9.0, 8.0]), accumulate=True)],
    "index_put_": [lambda L: L.index_put_(a(L), (a(L, [1, 1]),), a(L, 2.0), accumulate=True)],
    "resize_as_": [lambda L: L.resize_as_(a(L), L.ones(2, 2))],
    "swapdims": [lambda L: L.swapdims(a(L), 0, 1), lambda L: L.swapdims(L.ones(1, 2, 3), -1, 0)],
    "narrow": [lambda L: L.narrow(a(L), 1, 1, 2)],
    "nonzero": [lambda L: L.nonzero(a(L, B)), lambda L: L.nonzero(a(L, B), as_tuple=True)],
    "argwhere": [lambda L: L.argwhere(a(L, I))],
    "flip": [lambda L: L.flip(a(L), [0]), lambda L: L.flip(a(L), (0, 1))],
    "roll": [lambda L: L.roll(a(L), 1, 1), lambda L: L.roll(a(L), 2)],
    "tril": [lambda L: L.tril(a(L)), lambda L: L.tril(L.ones(3, 3), -1)],
    "triu": [lambda L: L.triu(a(L), 1)],
    "repeat_interleave": [lambda L: L.repeat_interleave(a(L), 2, 0),
                          lambda L: L.repeat_interleave(a(L), 2)],
    "remainder": [lambda L: L.remainder(a(L, I), 3), lambda L: L.remainder(a(L), 1.5)],
    "floor_divide": [lambda L: L.floor_divide(a(L, I), 2), lambda L: L.floor_divide(a(L), 2)],
    **{n: [lambda L, n=n: getattr(L, n)(a(L, I), a(L, [[1, 1, 0], [7, 2, 2]])),
           lambda L, n=n: getattr(L, n)(a(L, B), a(L, B).logical_not())]
       for n in ("bitwise_and", "bitwise_or", "bitwise_xor")},
    "bitwise_not": [lambda L: L.bitwise_not(a(L, I)), lambda L: L.bitwise_not(a(L, B))],
    "reshape": [lambda L: L.reshape(a(L), (3, 2)), lambda L: L.reshape(a(L), (-1,))],
    "flatten": [lambda L: L.flatten(a(L)), lambda L: L.flatten(L.ones(2, 3, 4), 1)],
    "transpose": [lambda L: L.transpose(a(L), 0, 1)],
    "swapaxes": [lambda L: L.swapaxes(a(L), 0, 1)], "t": [lambda L: L.t(a(L))],
    "permute": [lambda L: L.permute(L.ones(2, 3, 4), (2, 0, 1))],
    "squeeze": [lambda L: L.squeeze(L.ones(2, 1, 3)), lambda L: L.squeeze(L.ones(2, 1), 1)],
    "unsqueeze": [lambda L: L.unsqueeze(a(L), 1)],
    "broadcast_to": [lambda L: L.broadcast_to(a(L, [1.0, 2.0, 3.0]), (2, 3))],
    "cat": [lambda L: L.cat([a(L), a(L, P)]), lambda L: L.cat((a(L), a(L, P)), dim=1),
            lambda L: L.cat([a(L), a(L, P)], axis=1)],
    "concat": [lambda L: L.concat([a(L), a(L, P)], 1)],
    "concatenate": [lambda L: L.concatenate([a(L), a(L, P)])],
    "stack": [lambda L: L.stack([a(L), a(L, P)], 1)],
    "split": [lambda L: L.split(a(L), 1), lambda L: L.split(a(L), [1, 2], dim=1)],
    "chunk": [lambda L: L.chunk(a(L), 2, 1)],
    "tile": [lambda L: L.tile(a(L), (2,)), lambda L: L.tile(a(L), (2, 1, 1))],
    "conv2d": [lambda L: L.conv2d(L.ones(1, 2, 4, 4), L.ones(3, 2, 3, 3), padding=1,
                                  stride=2)],
    "layer_norm": [lambda L: L.layer_norm(a(L), (3,)),
                   lambda L: L.layer_norm(a(L), [3], L.ones(3) * 2, L.ones(3))],
    "embedding": [lambda L: L.embedding(L.eye(3), a(L, [2, 0]))],
    "tensor": [lambda L: L.tensor(A), lambda L: L.tensor(3), lambda L: L.tensor([True]),
               lambda L: L.tensor([1, 2], dtype=L.float16)],
    "as_tensor": [lambda L: L.as_tensor([1, 2]), lambda L: L.as_tensor(np.ones(2, np.int32))],
    "from_numpy": [lambda L: L.from_numpy(np.arange(3.0))],
    "zeros": [lambda L: L.zeros(2, 3), lambda L: L.zeros((2,), dtype=L.int64)],
    "ones": [lambda L: L.ones(3), lambda L: L.ones([1, 2], dtype=L.bool)],
    "empty": [lambda L: L.empty(2, 3).shape],
    "full": [lambda L: L.full((2,), 3), lambda L: L.full((2,), 1.5),
             lambda L: L.full((1,), True)],
    "zeros_like": [lambda L: L.zeros_like(a(L, I))],
    "ones_like": [lambda L: L.ones_like(a(L), dtype=L.int32)],
    "empty_like": [lambda L: L.empty_like(a(L)).shape],
    "full_like": [lambda L: L.full_like(a(L, I), 7)],
    "arange": [lambda L: L.arange(5), lambda L: L.arange(1, 4, 0.5),
               lambda L: L.arange(0.0, 3)],
    "linspace": [lambda L: L.linspace(0, 1, 5)],
    "eye": [lambda L: L.eye(2), lambda L: L.eye(2, 3)],
    "numel": [lambda L: L.numel(a(L))],
    "is_tensor": [lambda L: L.is_tensor(a(L)), lambda L: L.is_tensor([1])],
    "is_floating_point": [lambda L: L.is_floating_point(a(L)),
                          lambda L: L.is_floating_point(a(L, I))],
    "get_default_dtype": [lambda L: L.get_default_dtype()],
    "set_default_dtype": [lambda L: L.set_default_dtype(L.float32)],
    "is_grad_enabled": [lambda L: L.is_grad_enabled()],
    "is_inference_mode_enabled": [lambda L: L.is_inference_mode_enabled()],
    "set_printoptions": [lambda L: L.set_printoptions(profile="default")],
    "get_num_threads": [lambda L: type(L.get_num_threads())],
    "get_num_interop_threads": [lambda L: type(L.get_num_interop_threads())],
    "promote_types": [lambda L: L.promote_types(L.int32, L.float16)],
    "can_cast": [lambda L: L.can_cast(L.int64, L.uint8), lambda L: L.can_cast(L.float16, L.bool)],
    "result_type": [lambda L: L.result_type(a(L, I), 2.5), lambda L: L.result_type(2, True)],
    "is_complex": [lambda L: L.is_complex(a(L))],
}

def warned(fn, *args, **kwargs):
    """``fn(*args, **kwargs)``, whose deprecation warning is part of the result."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn(*args, **kwargs)
    return out, [str(w.message).split(" (Triggered internally")[0] for w in caught]


SQ = [[2.0, 1.0, 0.5], [1.0, 3.0, -1.0], [0.5, -1.0, 4.0]]  # symmetric positive-definite
CALLS.update({  # linear algebra's older spellings (torch.linalg is covered in tests/eager/linalg)
    "det": [lambda L: L.det(a(L, SQ))], "inverse": [lambda L: L.inverse(a(L, SQ))],
    "logdet": [lambda L: L.logdet(a(L, SQ)), lambda L: L.logdet(-a(L, SQ))],
    "slogdet": [lambda L: L.slogdet(-a(L, SQ))], "trace": [lambda L: L.trace(a(L))],
    "cholesky": [lambda L: warned(L.cholesky, a(L, SQ)),
                 lambda L: warned(L.cholesky, a(L, SQ), upper=True)[0]],
    "pinverse": [lambda L: L.pinverse(a(L))], "matrix_power": [
        lambda L: L.matrix_power(a(L, SQ), 3), lambda L: L.matrix_power(a(L, SQ), 0)],
    "svd": [lambda L: L.svd(a(L, SQ))[1], lambda L: L.svd(a(L), compute_uv=False)],
    "qr": [lambda L: warned(L.qr, a(L, SQ))[1]],
    "cross": [lambda L: L.cross(a(L), a(L, P), dim=1)],
    "matrix_exp": [lambda L: L.matrix_exp(a(L, SQ))],
    "cholesky_solve": [lambda L: L.cholesky_solve(a(L, SQ), L.linalg.cholesky(a(L, SQ)))],
    "cholesky_inverse": [lambda L: L.cholesky_inverse(L.linalg.cholesky(a(L, SQ)), True)],
    "lu": [lambda L: warned(L.lu, a(L, SQ), get_infos=True)[0]],
    "lu_solve": [lambda L: warned(L.lu_solve, a(L, SQ), *L.linalg.lu_factor(a(L, SQ)))[0]],
    "lu_unpack": [lambda L: L.lu_unpack(*L.linalg.lu_factor(a(L, SQ)))],
    "triangular_solve": [lambda L: warned(L.triangular_solve, a(L, SQ), a(L, SQ))[0]],
    "erfinv": [lambda L: L.erfinv(a(L, P)), lambda L: L.erfinv(a(L, P) * 2 - 1.1)],
    "broadcast_shapes": [lambda L: L.broadcast_shapes((3, 1), (1, 4), 4),
                         lambda L: L.broadcast_shapes()],
    "broadcast_tensors": [lambda L: L.broadcast_tensors(a(L)[:1], a(L, P)[:, :1])],
    "spmm": [lambda L: L.spmm(a(L), a(L, P).T),
             lambda L: L.spmm(L.sparse_coo_tensor([[0, 1], [2, 0]], [1.0, 2.0], (3, 3),
                                                  check_invariants=False),
                              L.arange(6.0).reshape(3, 2))],
    "sparse_coo_tensor": [lambda L: L.sparse_coo_tensor([[0, 1, 0], [2, 0, 2]], a(L)[0, :3],
                                                        (2, 3), check_invariants=False)
                          .to_dense()],  # tests/eager/sparse covers the layout
    "compile": [lambda L: L.compile(L.nn.Tanh(), backend="eager")(a(L))],
    "tensor_split": [lambda L: L.tensor_split(L.arange(7), 3),
                     lambda L: L.tensor_split(a(L), [1, 5], dim=1),
                     lambda L: L.tensor_split(L.arange(7), L.tensor([2, 4]))],
    "tril_indices": [lambda L: L.tril_indices(3, 3), lambda L: L.tril_indices(3, 4, -1)],
    "triu_indices": [lambda L: L.triu_indices(3, 4, 1), lambda L: L.triu_indices(2, 2, 5)],
    "logspace": [lambda L: L.logspace(0, 2, 3), lambda L: L.logspace(0, 1, 4, base=2)],
    "combinations": [lambda L: L.combinations(L.tensor([1, 2, 3]), 2),
                     lambda L: L.combinations(L.tensor([1.0, 2.0]), 2, with_replacement=True)],
    "mv": [lambda L: L.mv(a(L), L.tensor([1.0, 2.0, 3.0]))],
    "isin": [lambda L: L.isin(L.tensor([1, 2, 3]), L.tensor([2, 5])),
             lambda L: L.isin(a(L, I), L.tensor([0, 4]), invert=True)],
})
TIES = [[1.0, 3.0, 3.0, 2.0, 2.0], [5.0, 5.0, 1.0, 1.0, 0.0]]
CALLS.update({  # order statistics, counting and special math
    "median": [lambda L: L.median(a(L)), lambda L: L.median(a(L, TIES), 1),
               lambda L: L.median(a(L, TIES), 0, keepdim=True)],
    "kthvalue": [lambda L: L.kthvalue(a(L, TIES), 2), lambda L: L.kthvalue(a(L), 1, 0, True),
                 lambda L: L.kthvalue(a(L, [[2.0, 1, 2, 1, 2, 1, 1, 2, 2]]), 5)],
    "mode": [lambda L: L.mode(a(L, TIES)), lambda L: L.mode(a(L, I), 0)],
    "quantile": [lambda L: L.quantile(a(L), 0.3),
                 lambda L: L.quantile(a(L), L.tensor([0.25, 0.5]), dim=1, keepdim=True),
                 lambda L: L.quantile(a(L, TIES), 0.4, dim=0, interpolation="nearest"),
                 lambda L: L.quantile(a(L, TIES), 0.4, interpolation="midpoint")],
    "nanmean": [lambda L: L.nanmean(a(L, [[1.0, float("nan")], [3.0, 4.0]]), 1)],
    "nansum": [lambda L: L.nansum(a(L, [[1.0, float("nan")], [3.0, 4.0]]))],
    "count_nonzero": [lambda L: L.count_nonzero(a(L, I)), lambda L: L.count_nonzero(a(L, B), 1)],
    "aminmax": [lambda L: L.aminmax(a(L)), lambda L: L.aminmax(a(L, I), dim=0, keepdim=True)],
    "histc": [lambda L: L.histc(a(L), bins=4, min=-2, max=2), lambda L: L.histc(a(L), 3)],
    "bincount": [lambda L: L.bincount(L.tensor([0, 1, 1, 4])),
                 lambda L: L.bincount(L.tensor([0, 2]), L.tensor([0.5, 2.0]), minlength=4)],
    "diff": [lambda L: L.diff(a(L)), lambda L: L.diff(a(L), n=2, dim=1, prepend=a(L)),
             lambda L: L.diff(a(L, I), dim=0)],
    "logit": [lambda L: L.logit(a(L, P)), lambda L: L.logit(a(L), eps=0.1)],
    "nan_to_num": [lambda L: L.nan_to_num(L.tensor([float("nan"), float("inf"), -float("inf")])),
                   lambda L: L.nan_to_num(L.tensor([float("nan"), float("inf")]), 1.0, 2.0)],
    "atan2": [lambda L: L.atan2(a(L), a(L, P))], "hypot": [lambda L: L.hypot(a(L), a(L, P))],
    "fmod": [lambda L: L.fmod(a(L), 1.5), lambda L: L.fmod(a(L, I), -2)],
    "logaddexp": [lambda L: L.logaddexp(a(L), a(L, P))],
    "xlogy": [lambda L: L.xlogy(a(L, I), a(L, P))],
    "lgamma": [lambda L: L.lgamma(a(L))], "digamma": [lambda L: L.digamma(a(L))],
    "searchsorted": [lambda L: L.searchsorted(L.tensor([1.0, 3.0, 5.0]), L.tensor([3.0, 6.0])),
                     lambda L: L.searchsorted(L.tensor([1.0, 3.0, 5.0]), 3.0, side="right"),
                     lambda L: L.searchsorted(L.tensor([[1, 3], [2, 4]]), L.tensor([[3], [3]]),
                                              out_int32=True)],
    "bucketize": [lambda L: L.bucketize(a(L), L.tensor([-1.0, 0.0, 2.0]), right=True)],
    "cdist": [lambda L: L.cdist(a(L), a(L, P)), lambda L: L.cdist(a(L), a(L, P), p=1.0),
              lambda L: L.cdist(L.ones(30, 3), L.zeros(2, 3))],
    "block_diag": [lambda L: L.block_diag(a(L), L.tensor([[7.0]]), L.tensor([1.0, 2.0]))],
    "cartesian_prod": [lambda L: L.cartesian_prod(L.tensor([1, 2]), L.tensor([3, 4, 5]))],
    "tensordot": [lambda L: L.tensordot(a(L), a(L, P), dims=([1], [1])),
                  lambda L: L.tensordot(a(L), a(L, P).T, dims=1)],
    "std_mean": [lambda L: L.std_mean(a(L), 1), lambda L: L.std_mean(a(L), correction=0)],
    "var_mean": [lambda L: L.var_mean(a(L), dim=0, keepdim=True)],
})
CALLS.update({  # issue 16's second batch (tests/eager/surface2 covers edges and gradients)
    "kron": [lambda L: L.kron(a(L), a(L, I))], "rot90": [lambda L: L.rot90(a(L), -1, [1, 0])],
    "take": [lambda L: L.take(a(L), L.tensor([[5, -6]]))],
    "index_fill": [lambda L: L.index_fill(a(L), 1, L.tensor([0, 2]), -1.0)],
    "baddbmm": [lambda L: L.baddbmm(a(L)[:, :2], a(L)[None], a(L, P).T[None], beta=0.5)],
    "addbmm": [lambda L: L.addbmm(a(L)[0, 0], a(L)[None], a(L, P).T[None], alpha=2)],
    "addmv": [lambda L: L.addmv(a(L)[:, 0], a(L), a(L)[0])],
    "addr": [lambda L: L.addr(a(L), a(L)[:, 0], a(L)[0], beta=2)],
    "cov": [lambda L: L.cov(a(L)), lambda L: L.cov(a(L, I), fweights=L.tensor([1, 2, 1]))],
    "corrcoef": [lambda L: L.corrcoef(a(L))],
    "cummax": [lambda L: L.cummax(a(L, TIES), 1)], "cummin": [lambda L: L.cummin(a(L), 0)],
    "logcumsumexp": [lambda L: L.logcumsumexp(a(L), 1)],
    "nanmedian": [lambda L: L.nanmedian(a(L, [[1.0, float("nan"), 3.0, 0.0]]), 1),
                  lambda L: L.nanmedian(a(L))],
    "sinc": [lambda L: L.sinc(a(L))], "copysign": [lambda L: L.copysign(a(L), -1.0)],
    "signbit": [lambda L: L.signbit(a(L))], "sgn": [lambda L: L.sgn(a(L, I))],
    "frexp": [lambda L: L.frexp(a(L))], "ldexp": [lambda L: L.ldexp(a(L), L.tensor([2]))],
    "erfc": [lambda L: L.erfc(a(L))], "polygamma": [lambda L: L.polygamma(2, a(L, P))],
    "i0": [lambda L: L.i0(a(L)), lambda L: L.i0(a(L, I))],
    **{n: [lambda L, n=n: getattr(L, n)(7), lambda L, n=n: getattr(L, n)(6, False)]
       for n in ("hann_window", "hamming_window", "blackman_window", "bartlett_window")},
    "kaiser_window": [lambda L: L.kaiser_window(5, dtype=L.float64)],
    "use_deterministic_algorithms": [lambda L: L.use_deterministic_algorithms(False)],
    "are_deterministic_algorithms_enabled": [lambda L: L.are_deterministic_algorithms_enabled()],
    "is_deterministic_algorithms_warn_only_enabled": [
        lambda L: L.is_deterministic_algorithms_warn_only_enabled()],
    "get_default_device": [lambda L: str(L.get_default_device())],
    "set_default_device": [lambda L: L.set_default_device("cpu")],
    "set_float32_matmul_precision": [lambda L: L.set_float32_matmul_precision("highest")],
    "get_float32_matmul_precision": [lambda L: L.get_float32_matmul_precision()],
    # autocast state (tests/eager/jit/test_hub_and_autocast_state.py covers errors)
    "is_autocast_enabled": [lambda L: L.is_autocast_enabled(), lambda L: L.is_autocast_enabled(
        "cpu")],
    "get_autocast_dtype": [lambda L: str(L.get_autocast_dtype("cpu")),
                           lambda L: str(L.get_autocast_dtype("cuda"))],
    "set_autocast_dtype": [lambda L: L.set_autocast_dtype("cpu", L.bfloat16)],
})

CALLS.update({  # the trigonometric and hyperbolic functions (tests/shared_ops/cases_trig.py)
    **{n: [lambda L, n=n: getattr(L, n)(a(L, P)), lambda L, n=n: getattr(L, n)(a(L, I))]
       for n in ("tan", "sinh", "cosh", "asin", "acos", "atan", "asinh", "atanh", "arcsin",
                 "arccos", "arctan", "arcsinh", "arctanh")},
    "acosh": [lambda L: L.acosh(a(L, I) + 1.0)], "arccosh": [lambda L: L.arccosh(a(L, I) + 1)],
    "arctan2": [lambda L: L.arctan2(a(L), a(L, P))],
    "igamma": [lambda L: L.igamma(a(L, P) + 1.0, a(L, P) * 4)],
    "igammac": [lambda L: L.igammac(a(L, P) * 3, a(L, P))],
    "diagonal_scatter": [lambda L: L.diagonal_scatter(a(L), L.tensor([7.0, 8.0]), 1),
                         lambda L: L.diagonal_scatter(a(L), L.tensor([9.0, 5.0]), -1, 1, 0)],
    "select": [lambda L: L.select(a(L), 1, -1), lambda L: L.select(a(L), 0, 1)],
})

CALLS.update({  # issue 16's third batch (tests/eager/surface4 covers edges and gradients)
    "diag_embed": [lambda L: L.diag_embed(a(L), 1)], "vander": [lambda L: L.vander(a(L)[0])],
    "atleast_1d": [lambda L: L.atleast_1d(L.tensor(1.0))],
    "atleast_2d": [lambda L: L.atleast_2d(L.tensor([1, 2]), L.tensor(1))],
    "atleast_3d": [lambda L: L.atleast_3d(a(L))],
    # torch warns once a process (which test warned first varies): the values only
    "chain_matmul": [lambda L: warned(L.chain_matmul, a(L), a(L).T, a(L))[0]],
    "float_power": [lambda L: L.float_power(a(L, I), 2)],
    "deg2rad": [lambda L: L.deg2rad(a(L))], "rad2deg": [lambda L: L.rad2deg(a(L, I))],
    "renorm": [lambda L: L.renorm(a(L), 2, 0, 1.0)],
    "unique_consecutive": [lambda L: L.unique_consecutive(L.tensor([1, 1, 2, 1]),
                                                          return_counts=True)],
    "as_strided": [lambda L: L.as_strided(a(L), (2, 2), (1, 2), 1)],
    "trapezoid": [lambda L: L.trapezoid(a(L)), lambda L: L.trapezoid(a(L), a(L, P))],
    "trapz": [lambda L: L.trapz(a(L), dx=0.5, dim=0)],
    "cumulative_trapezoid": [lambda L: L.cumulative_trapezoid(a(L))],
    "gradient": [lambda L: L.gradient(a(L)), lambda L: L.gradient(a(L), spacing=2.0, dim=1)],
    "histogram": [lambda L: L.histogram(a(L), 3)],
    "histogramdd": [lambda L: L.histogramdd(a(L).T, 2)],
    **{n: [lambda L, n=n: getattr(L, n)(a(L, I), L.tensor([2, 3, 4]))]
       for n in ("gcd", "lcm", "bitwise_left_shift", "bitwise_right_shift")},
    "nextafter": [lambda L: L.nextafter(a(L), a(L, P))],
    "heaviside": [lambda L: L.heaviside(a(L), L.tensor(0.5))],
    "empty_strided": [lambda L: L.empty_strided((2, 3), (1, 2)).stride()],
    "frombuffer": [lambda L: L.frombuffer(bytearray(b"abcd"), dtype=L.int16)],
    "typename": [lambda L: L.typename(a(L, I)), lambda L: L.typename(3)],
    "is_storage": [lambda L: L.is_storage(a(L))],
    "is_nonzero": [lambda L: L.is_nonzero(L.tensor([0.5]))],
    # complex numbers (tests/eager/complex/ has their gradients, printing and errors)
    "complex": [lambda L: L.complex(a(L), a(L, P))],
    "polar": [lambda L: L.polar(a(L, P), a(L))],
    "view_as_real": [lambda L: L.view_as_real(L.complex(a(L), a(L, P)))],
    "view_as_complex": [lambda L: L.view_as_complex(a(L, P).reshape(3, 2))],
    "real": [lambda L: L.real(L.complex(a(L), a(L, P))), lambda L: L.real(a(L))],
    "imag": [lambda L: L.imag(L.complex(a(L), a(L, P)))],
    # (torch's conj is a lazy bit, which resolve_conj makes values)
    **{n: [lambda L, n=n: L.resolve_conj(getattr(L, n)(L.complex(a(L), a(L, P)))),
           lambda L, n=n: getattr(L, n)(a(L))]
       for n in ("conj", "conj_physical", "resolve_conj", "resolve_neg", "angle")},
    "is_conj": [lambda L: L.is_conj(L.complex(a(L), a(L, P))), lambda L: L.is_conj(a(L))],
    "stft": [lambda L: L.stft(a(L)[0].repeat(4), 4, window=L.hann_window(4),
                              return_complex=True)],
    "istft": [lambda L: L.istft(L.stft(a(L)[0].repeat(4), 4, window=L.hann_window(4),
                                       return_complex=True), 4, window=L.hann_window(4))],
})

# Random draws: the same shapes and dtypes (values come from each library's own generator
# unless another test pins the stream).
SHAPE_ONLY = {
    "rand": [lambda L: L.rand(2, 3), lambda L: L.rand((2,), dtype=L.float64)],
    "randn": [lambda L: L.randn(3)],
    "rand_like": [lambda L: L.rand_like(a(L))], "randn_like": [lambda L: L.randn_like(a(L))],
    "randint": [lambda L: L.randint(0, 5, (2, 2)), lambda L: L.randint(3, (4,))],
    "randint_like": [lambda L: L.randint_like(a(L), 4)],
    "randperm": [lambda L: L.randperm(5)],
    "bernoulli": [lambda L: L.bernoulli(a(L, P))],
    "multinomial": [lambda L: L.multinomial(a(L, P), 2)],
    "normal": [lambda L: L.normal(a(L), 1.0), lambda L: L.normal(0.0, 1.0, (2, 2))],
}
CALLS["vmap"] = [lambda L: L.vmap(L.dot)(a(L), a(L, P)),  # tests/eager/func covers the rest
                 lambda L: L.vmap(L.outer, in_dims=(1, None), out_dims=1)(a(L), a(L)[0])]
CALLS["msort"] = [lambda L: L.msort(a(L)), lambda L: L.msort(a(L, I))]  # tests/eager/hunt2
CALLS.update({  # scientific code's functions (tests/eager/hunt6 covers edges and gradients)
    "fliplr": [lambda L: L.fliplr(a(L))], "flipud": [lambda L: L.flipud(a(L, I))],
    "ravel": [lambda L: L.ravel(a(L).T)], "diagflat": [lambda L: L.diagflat(a(L, I), 1)],
    "logaddexp2": [lambda L: L.logaddexp2(a(L), a(L, P))],
    "dist": [lambda L: L.dist(a(L), a(L, P))],
    "pdist": [lambda L: L.pdist(a(L), p=1)], "mvlgamma": [lambda L: L.mvlgamma(a(L, P) + 3, 2)],
    "nanquantile": [lambda L: L.nanquantile(a(L), 0.4, dim=1)],
    # a rank-2 input: S is exact whatever the random test matrix
    "svd_lowrank": [lambda L: L.svd_lowrank(a(L), q=2)[1]],
    "pca_lowrank": [lambda L: L.pca_lowrank(a(L, P).T, q=2)[1]],
    "hsplit": [lambda L: L.hsplit(a(L), [1])], "vsplit": [lambda L: L.vsplit(a(L, I), 2)],
    "dsplit": [lambda L: L.dsplit(a(L).view(1, 2, 3), 3)]})
CALLS["einsum"].append(lambda L: L.einsum(a(L), [0, 1], a(L, P), [2, 1], [0, 2]))  # sublists
CALLS["adjoint"] = [lambda L: L.adjoint(a(L)), lambda L: L.adjoint(a(L, I))]  # tests/eager/gaps8

# Public names torch has too that the table does not call, and why.
UNCOVERED = {
    "manual_seed": "seeds the generator: tests/eager covers the random functions' streams",
    "seed": "reseeds from the OS", "initial_seed": "depends on the seeding history",
    "get_rng_state": "generator state: covered by the random functions' tests",
    "set_rng_state": "generator state: covered by the random functions' tests",
    "set_num_threads": "process setting (tests/eager/test_devices.py)",
    "set_num_interop_threads": "process setting (tests/eager/test_devices.py)",
    "save": "files: eager.serialization's tests round-trip with torch's",
    "load": "files: eager.serialization's tests round-trip with torch's",
    "cond": "control flow (eager.control_flow), torch.cond's higher-order op",
    "while_loop": "control flow (eager.control_flow), torch.while_loop's higher-order op",
    **dict.fromkeys(("poisson", "binomial"), "tests/eager/distributions/test_gamma_factories."
                    "py compares their draws with torch's from the same seed"),
    **dict.fromkeys((
        "addcdiv", "addcmul", "addmm", "ceil", "clamp_max", "clamp_min", "clone", "column_stack",
        "diag", "diagonal", "dot", "dstack", "fix", "floor", "frac", "ger", "hstack", "inner",
        "isclose", "lerp", "log10", "log2", "logical_and", "logical_not", "logical_or",
        "logical_xor", "masked_select", "meshgrid", "moveaxis", "movedim", "outer", "round",
        "row_stack", "trunc", "unbind", "vstack"),
        "issue 16: tests/eager/surface/ compares each with torch (values, gradients, errors)"),
}


def plain(x):
    """A comparable form of a result of either library."""
    if isinstance(x, eager.Tensor | torch.Tensor):
        values = x.detach().numpy() if isinstance(x, torch.Tensor) else x.numpy()
        return ("tensor", str(x.dtype), tuple(x.shape), values)
    if isinstance(x, tuple | list):
        return (type(x).__name__ if not hasattr(x, "_fields") and type(x).__module__ in
                ("builtins",) else "tuple-like", [plain(v) for v in x])
    if isinstance(x, eager.dtype | torch.dtype):
        return ("dtype", str(x))
    return (type(x).__name__, x)


def same(ours, theirs) -> None:
    if ours[0] == "tensor":
        assert theirs[0] == "tensor" and ours[1:3] == theirs[1:3], (ours[1:3], theirs[1:3])
        np.testing.assert_allclose(ours[3], theirs[3], rtol=1e-5, atol=1e-6)
    elif isinstance(ours[1], list):
        assert ours[0] == theirs[0] and len(ours[1]) == len(theirs[1])
        for o, t in zip(ours[1], theirs[1], strict=True):
            same(o, t)
    else:
        assert ours == theirs


def public_torch_names() -> set[str]:
    """Public callables of eager (classes aside) that torch has too, the lazily imported
    ones (save, load) included."""
    for lazy in ("save", "load", "compile", "vmap", "is_autocast_enabled",
                 "get_autocast_dtype", "set_autocast_dtype", "sparse_coo_tensor", "stft",
                 "istft"):
        getattr(eager, lazy)  # bound on first use: make the set not depend on order
    return {n for n in dir(eager) if not n.startswith("_") and hasattr(torch, n)
            and callable(getattr(eager, n)) and not isinstance(getattr(eager, n), type)}


CASES = [(name, i) for name, calls in CALLS.items() for i in range(len(calls))]


@pytest.mark.parametrize("name, i", CASES, ids=[f"{n}-{i}" for n, i in CASES])
def test_function_matches_torch(name, i):
    same(plain(CALLS[name][i](eager)), plain(CALLS[name][i](torch)))


@pytest.mark.parametrize("name", list(SHAPE_ONLY))
def test_random_function_shapes_and_dtypes_match_torch(name):
    for call in SHAPE_ONLY[name]:
        ours, theirs = plain(call(eager)), plain(call(torch))
        assert ours[:3] == theirs[:3]


def test_every_public_name_torch_has_is_covered_or_listed():
    names = public_torch_names()
    covered = set(CALLS) | set(SHAPE_ONLY)
    assert sorted(names - covered - set(UNCOVERED)) == []
    assert sorted(set(UNCOVERED) & covered) == [] and set(UNCOVERED) <= names
    assert covered <= names, sorted(covered - names)


@pytest.mark.parametrize("name", ["dropout", "max_pool2d", "binary_cross_entropy_with_logits"])
def test_numpy_style_ops_with_other_torch_semantics_are_not_public(name):
    assert not hasattr(eager, name) and hasattr(torch, name)


# Where torch's function has a Python signature and eager's parameters differ, and why.
SIGNATURE_DIFFERENCES = {
    "einsum": "torch's is (*args); eager names the equation: the same calls work",
    "unique": "torch's is (*args, **kwargs); eager lists torch's documented parameters",
    "cond": "eager.control_flow takes *operands, torch a tuple operands=()",
    "while_loop": "eager.control_flow's loop_vars and maximum_iterations",
    "lu": "torch's is (*args, **kwargs) (a boolean dispatch); eager lists its documented "
          "parameters (A, pivot, get_infos) and out=",
    "unique_consecutive": "torch's is (*args, **kwargs); eager lists torch's documented "
                          "parameters",
}


def test_signatures_match_torchs_where_torch_has_one():
    differing = set()
    for name in public_torch_names():
        try:
            theirs = inspect.signature(getattr(torch, name))
        except (TypeError, ValueError):  # a builtin without one
            continue
        ours = inspect.signature(getattr(eager, name))
        if [(p.name, p.kind, p.default) for p in ours.parameters.values()] != \
                [(p.name, p.kind, p.default) for p in theirs.parameters.values()]:
            differing.add(name)
    assert differing == set(SIGNATURE_DIFFERENCES)
