"""Functional index assignment: ``index_set`` (primitive) and ``index_put`` (composite).

``index_set(base, values, *arrays, key)`` is ``base`` with ``base[key]`` replaced by
``values`` (broadcast), as JAX's ``x.at[key].set(values)``: a new value, ``base`` untouched.
The key is `getitem`'s encoding (ints, slices, None, ..., index arrays and masks as extra
inputs). It is what ``x[key] = values`` on a static graph value stages, and what
``Tensor.index_put`` computes. Gradients: ``g`` with the assigned positions zeroed for
``base``, ``g[key]`` summed back to ``values``' shape for ``values`` (with repeated advanced
indices the last write wins, as in NumPy; PyTorch leaves that case undefined).

    >>> import numpy as np
    >>> index_put(np.zeros(4), (slice(1, 3),), 7.0)
    array([0., 7., 7., 0.])
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval
from ..errors import DTypeError
from ..registry import composite, primitive
from ._types import Value
from .elementwise import cast, unbroadcast
from .indexing import _MAX_ARRAYS, add_at, check_values_fit, decode_key, encode_key, index


def _index_set_kernel(base, values, *arrays, key):
    out = base.copy()
    out[decode_key(key, arrays)] = values
    return out


def _index_set_rule(base: Aval, values: Aval, *arrays: Aval, key) -> Aval:
    if values.dtype != base.dtype:
        raise DTypeError("index_set", f"values of dtype {values.dtype} assigned into "
                         f"{base.dtype}: cast them first", dtypes=[base.dtype, values.dtype])
    check_values_fit("index_set", base, values, key, arrays)
    return base


def _index_set_vjp(g, inputs, out, key):
    values, arrays = inputs[1], inputs[2:]
    kept = index_set(g, np.zeros((), g.dtype), *arrays, key=key)
    return (kept, unbroadcast(index(g, *arrays, key=key), values)) + (None,) * len(arrays)


index_set = primitive("index_set", _index_set_kernel, _index_set_rule, _index_set_vjp,
                      nondiff_inputs=tuple(range(2, 2 + _MAX_ARRAYS)), fresh=True,
                      torch_name="IndexPutBackward0",
                      doc="``base`` with ``base[key]`` replaced by ``values`` (a new array).")


@composite
def index_put(x: Value, indices, values: Value, accumulate: bool = False) -> Value:
    """``torch.index_put``: ``x`` with ``values`` written at ``x[indices]`` (a NumPy-style
    key: a tuple of index arrays, or ints, slices, masks), added when ``accumulate``."""
    if accumulate:
        return add_at(x, indices, values)
    enc, arrays = encode_key(indices)
    if not hasattr(values, "dtype") or isinstance(values, np.generic | np.ndarray):
        values = np.asarray(values, x.dtype)  # x[k] = v casts v to x's dtype, as torch
    elif values.dtype != x.dtype:
        values = cast(values, dtype=x.dtype)
    return index_set(x, values, *arrays, key=enc)


__all__ = ["index_set", "index_put"]
