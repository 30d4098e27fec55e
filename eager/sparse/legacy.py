"""The legacy constructors torch 2.13 still has: ``torch.sparse.FloatTensor(indices, values,
size)`` (pygcn's spelling), ``DoubleTensor``, ``LongTensor``; ``FloatTensor(*sizes)`` is an
empty COO tensor of that size.

    >>> import eager
    >>> import warnings; warnings.simplefilter("ignore")  # (deprecated, as torch says)
    >>> FloatTensor([[0, 1]], eager.tensor([1.0, 2.0]), (3,)).to_dense()
    tensor([1., 2., 0.])
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .. import creation
from .construct import sparse_coo_tensor


def _deprecated(old: str, new: str) -> None:
    warnings.warn(f"torch.sparse.SparseTensor({old}, *, device=) is deprecated.  Please use "
                  f"torch.sparse_coo_tensor({new}, dtype=, device=).", UserWarning, stacklevel=3)


def _legacy(name: str, dtype: Any):
    def build(*args: Any) -> Any:
        if args and all(isinstance(a, int) for a in args):  # FloatTensor(*sizes): empty
            _deprecated("shape", "shape")
            return sparse_coo_tensor(np.zeros((len(args), 0), np.int64),
                                     creation.zeros(0, dtype=dtype), args)
        if len(args) == 2:
            _deprecated("indices, values", "indices, values")
        else:
            _deprecated("indices, values, shape", "indices, values, shape")
        # (torch keeps the values' own dtype here, not the constructor's)
        return sparse_coo_tensor(*args)
    build.__name__ = build.__qualname__ = name
    build.__doc__ = f"``torch.sparse.{name}(indices, values, size)`` or ``(*sizes)``."
    return build


FloatTensor = _legacy("FloatTensor", np.float32)
DoubleTensor = _legacy("DoubleTensor", np.float64)
LongTensor = _legacy("LongTensor", np.int64)

__all__ = ["DoubleTensor", "FloatTensor", "LongTensor"]
