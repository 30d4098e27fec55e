"""The embedding lookup: ``embedding`` (a gather of weight rows) and its gradient
``embedding_grad`` (a scatter-add), as ``torch.nn.functional.embedding`` with ``padding_idx``.

    >>> import numpy as np
    >>> embedding(np.array([2, 0]), np.arange(6.0).reshape(3, 2)).tolist()
    [[4.0, 5.0], [0.0, 1.0]]
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval
from ..errors import OpIndexError, ShapeError, describe_shapes
from ..registry import primitive
from ._rules import shape_of, shapes_agree, target_shape
from .elementwise import cast, mul
from .elementwise_logic import ne
from .neural import check_indices, require_int
from .shape import expand_dims


# --- embedding: primitive (gather), embedding_grad: primitive (scatter-add) --------------------
def _padding_row(padding_idx, n: int | None):
    """``padding_idx`` as a row number in ``[0, n)`` (negative counts from the end), or None."""
    if padding_idx is None:
        return None
    row = int(padding_idx) + (n if padding_idx < 0 and n is not None else 0)
    if n is not None and not 0 <= row < n:
        raise OpIndexError("embedding", f"padding_idx {padding_idx} is out of range for {n} "
                           "embeddings")
    return row


def _embedding_kernel(indices, weight, padding_idx=None):
    _embedding_rule(Aval(indices.shape, indices.dtype), Aval(weight.shape, weight.dtype),
                    padding_idx)
    check_indices("embedding", indices, weight.shape[0], what="index", noun="embeddings")
    return weight[indices]


def _embedding_rule(indices: Aval, weight: Aval, padding_idx=None) -> Aval:
    require_int("embedding", indices, "indices")
    if len(weight.shape) != 2:
        raise ShapeError("embedding", f"weight must be 2-d (num_embeddings, embedding_dim), got "
                         f"shape {describe_shapes(weight.shape)}", shapes=[weight.shape])
    _padding_row(padding_idx, weight.shape[0])
    return Aval(tuple(indices.shape) + (weight.shape[1],), weight.dtype)


def _embedding_vjp(g, inputs, out, padding_idx=None):
    indices, weight = inputs
    ws = shape_of(weight)
    row = _padding_row(padding_idx, ws[0])
    grad = embedding_grad(g, indices, shape=ws, padding_idx=row) if None not in ws else \
        embedding_grad(g, indices, weight, padding_idx=row)
    return None, grad


embedding = primitive(
    "embedding", _embedding_kernel, _embedding_rule, _embedding_vjp, nondiff_inputs=(0,),
    doc="embedding(indices, weight, padding_idx=None): rows of ``weight`` (num_embeddings, "
        "dim) at integer ``indices``, as torch.nn.functional.embedding; the row "
        "``padding_idx`` gets no gradient. An index outside [0, num_embeddings) raises "
        "OpIndexError naming it.")


def _embedding_grad_kernel(g, indices, *like, shape=None, padding_idx=None):
    shape = target_shape(like, shape)
    out = np.zeros(shape, dtype=g.dtype)
    # Repeated indices must accumulate: out[indices] += g would keep only the last write.
    np.add.at(out, indices.reshape(-1), g.reshape(-1, shape[1]))
    if padding_idx is not None:
        out[padding_idx] = 0
    return out


def _embedding_grad_rule(g: Aval, indices: Aval, *like: Aval, shape=None,
                         padding_idx=None) -> Aval:
    shape = tuple(target_shape(like, shape))
    require_int("embedding_grad", indices, "indices")
    expected = tuple(indices.shape) + shape[1:]
    if not shapes_agree(g.shape, expected):
        raise ShapeError("embedding_grad", f"gradient of shape {describe_shapes(g.shape)} does "
                         f"not match the lookup output {describe_shapes(expected)}",
                         shapes=[g.shape, expected])
    return Aval(shape, g.dtype)


def _embedding_grad_vjp(c, inputs, out, shape=None, padding_idx=None):
    indices = inputs[1]
    picked = embedding(indices, c)
    if padding_idx is not None:  # the transpose of zeroing that row: lookups of it get 0
        keep = cast(ne(indices, padding_idx), dtype=c.dtype)
        picked = mul(picked, expand_dims(keep, axis=-1))
    return (picked,) + (None,) * (len(inputs) - 1)


embedding_grad = primitive("embedding_grad", _embedding_grad_kernel, _embedding_grad_rule,
                           _embedding_grad_vjp, nondiff_inputs=(1, 2))

__all__ = ["embedding", "embedding_grad"]
