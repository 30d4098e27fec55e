"""``torch.linalg.eig``'s two outputs as primitives (one per output, as eigh's): the complex
eigenvalues and unit eigenvectors of general square matrices (LAPACK's geev through NumPy, the
routine and normalization torch's CPU kernel uses), with torch's ``linalg_eig_backward``.

With ``V^H gV`` made invariant to each eigenvector's phase, torch's gradient is
``gA = V^{-H} (diag(gL) + (V^H gV - V^H V diag(re(diag(V^H gV)))) / conj(E)) V^H``,
``E_ij = L_j - L_i`` off the diagonal; each output's rule is its part of that sum (it is linear
in ``gL`` and ``gV``), and a real ``A`` takes the real part.

    >>> import numpy as np
    >>> linalg_eig_values(np.array([[0.0, -1.0], [1.0, 0.0]]))
    array([0.+1.j, 0.-1.j])
"""

from __future__ import annotations

import numpy as np

from .. import dtypes as dt
from ..aval import Aval
from ..complex_support import complex_native
from ..errors import ShapeError
from ..registry import primitive
from .complex_ops import conj, real
from .elementwise import add, cast, div, mul, sub
from .linalg import matmul
from .linalg_decompositions import linalg_solve
from .reductions import sum as sum_
from .shape import expand_dims, transpose

__all__ = ["linalg_eig_values", "linalg_eig_vectors"]


def _eig_aval(name: str, vectors: bool):
    def rule(a: Aval) -> Aval:
        if len(a.shape) < 2 or a.shape[-1] != a.shape[-2]:
            raise ShapeError(name, f"expects a batch of square matrices, got shape {a.shape}",
                             shapes=[a.shape])
        dtype = dt.complex_of(a.dtype if a.dtype.kind in "fc" else dt.default_float())
        return Aval(a.shape if vectors else a.shape[:-1], dtype)
    return rule


def _eig(a: np.ndarray):
    if a.dtype.kind not in "fc":
        a = a.astype(dt.default_float())
    values, vectors = np.linalg.eig(a)
    dtype = dt.complex_of(a.dtype)
    return values.astype(dtype, copy=False), vectors.astype(dtype, copy=False)


def _mh(x):
    """The conjugate transpose of (a batch of) matrices."""
    n = len(x.shape)
    return conj(transpose(x, axes=(*range(n - 2), n - 1, n - 2)))


def _eye(n: int, dtype) -> np.ndarray:
    return np.eye(n, dtype=dtype)


def _conjugated_by_v(a, g_inner, vectors):
    """``V^{-H} g_inner V^H``, real for a real ``a``."""
    vh = _mh(vectors)
    ga = linalg_solve(vh, matmul(g_inner, vh))
    return (ga if a.dtype.kind == "c" else real(ga),)


def _values_vjp(g, inputs, out):
    (a,) = inputs
    vectors = linalg_eig_vectors(a)
    return _conjugated_by_v(a, mul(expand_dims(g, axis=-1), _eye(g.shape[-1], g.dtype)),
                            vectors)


def _vectors_vjp(g, inputs, out):
    (a,) = inputs
    vectors, values = out, linalg_eig_values(a)
    n = g.shape[-1]
    eye = _eye(n, g.dtype)
    vhgv = matmul(_mh(vectors), g)
    diag = sum_(mul(vhgv, eye), axis=-1)  # diag(V^H gV)
    vhgv = sub(vhgv, matmul(_mh(vectors), mul(vectors, expand_dims(
        cast(real(diag), dtype=g.dtype), axis=-2))))
    lconj = conj(values)
    e_conj = add(sub(expand_dims(lconj, axis=-2), expand_dims(lconj, axis=-1)), eye)
    return _conjugated_by_v(a, div(vhgv, e_conj), vectors)


linalg_eig_values = primitive(
    "linalg_eig_values", lambda a: _eig(a)[0], _eig_aval("linalg_eig_values", False),
    _values_vjp, fresh=True, torch_name="LinalgEigBackward0",
    doc="The complex eigenvalues of each square matrix (LAPACK's order).")
linalg_eig_vectors = primitive(
    "linalg_eig_vectors", lambda a: _eig(a)[1], _eig_aval("linalg_eig_vectors", True),
    _vectors_vjp, fresh=True, torch_name="LinalgEigBackward0",
    doc="The unit eigenvectors of each square matrix, as columns (LAPACK's phases).")
complex_native("linalg_eig_values", "linalg_eig_vectors")
