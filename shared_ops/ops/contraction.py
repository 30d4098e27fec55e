"""Einstein summation: einsum (composite, torch.einsum's whole string form) over contract
(variadic primitive, explicit labels only) and diagonal_mask (primitive, no gradient).

``einsum`` normalizes the equation once, while building: spaces dropped, each ``...``
spelled out as fresh labels (ellipsis dims align from the right, as in PyTorch), the
implicit output (no ``->``: ellipsis dims, then the labels used once, in alphabetical order)
written out, and labels of size 1 broadcast against size n where the shapes say so. What
remains is ``contract(*operands, equation="bij,bjk->bik")``, which needs equal sizes per
label, so that its gradient is again a ``contract``:

* for operand k: ``g`` contracted with the other operands onto k's labels;
* k's labels that occur nowhere else were summed away: the gradient broadcasts along them;
* a label repeated in k (``"ii->i"``, a diagonal) gets its gradient on that diagonal only
  (``diagonal_mask``), zero elsewhere, as PyTorch's.

Every gradient is made of ops, so second derivatives work. Operands are promoted to one dtype
(PyTorch refuses mixed dtypes); bool operands are refused (PyTorch sums bools as int64 but
multiplies them as bool: cast them first).

NOTE: in a static graph, a size 1 facing a size unknown while building is broadcast to it
at run time (zeros as long as the unknown dim are added); two unknown sizes are taken to be
equal, and if they turn out 1 and n, contract refuses them rather than give a gradient of
the wrong shape.

    >>> import numpy as np
    >>> einsum("ij,jk", np.ones((2, 3)), np.ones((3, 4))).shape
    (2, 4)
    >>> einsum("ii->i", np.arange(9.0).reshape(3, 3))
    array([0., 4., 8.])
"""

from __future__ import annotations

import string

import numpy as np

from ..aval import Aval
from ..errors import DTypeError, OpValueError, ShapeError, describe_shapes
from ..registry import composite, primitive
from ._rules import shape_of
from ._types import Value
from .elementwise import add
from .elementwise_logic import where
from .fill import full_like
from .shape import broadcast_to, expand_dims

_LETTERS = frozenset(string.ascii_letters)


def _fail(detail: str, shapes=()) -> ShapeError:
    return ShapeError("einsum", detail, shapes=shapes)


# --- parsing -----------------------------------------------------------------------------------
def _split(equation: str, n_operands: int) -> tuple[list[str], str | None]:
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) != n_operands:
        raise OpValueError("einsum", f"equation {equation!r} names {len(terms)} operands, "
                           f"got {n_operands}")
    for term in terms + ([rhs] if arrow else []):
        bad = [c for c in term.replace("...", "") if c not in _LETTERS]
        if bad or term.count("...") > 1:
            raise OpValueError("einsum", f"invalid subscripts {term!r} in {equation!r}: "
                               f"labels are letters a-z, A-Z and at most one '...' a term")
    return terms, (rhs if arrow else None)


def normalize_equation(equation: str, ranks: list[int]) -> str:
    """The explicit, ellipsis-free form of ``equation`` for operands of these ranks.

        >>> normalize_equation("...ij,jk", [3, 2])
        'Aij,jk->Aik'
    """
    terms, out = _split(equation, len(ranks))
    used = set(equation)
    fresh = [c for c in string.ascii_uppercase + string.ascii_lowercase if c not in used]
    n_ell = 0
    for term, rank in zip(terms, ranks, strict=True):
        named = len(term.replace("...", ""))
        extra = rank - named
        if extra < 0 or (extra > 0 and "..." not in term):
            raise _fail(f"subscripts {term!r} do not fit an operand of {rank} dims")
        if "..." in term:
            n_ell = max(n_ell, extra)
    ell = "".join(fresh[:n_ell])
    expanded = []
    for term, rank in zip(terms, ranks, strict=True):
        extra = rank - len(term.replace("...", ""))
        expanded.append(term.replace("...", ell[n_ell - extra:] if extra else ""))
    if out is None:
        once = sorted(c for c in set("".join(terms)) if c != "." and
                      sum(t.count(c) for t in terms) == 1)
        out = ell + "".join(once)
    else:
        out = out.replace("...", ell)
    return ",".join(expanded) + "->" + out


def _parts(equation: str) -> tuple[list[str], str]:
    lhs, _, out = equation.partition("->")
    return lhs.split(","), out


def _label_sizes(terms: list[str], shapes: list[tuple]) -> dict:
    """Each label's size over the operands: its one size other than 1 (1 broadcasts), else
    unknown (None) if some dim is, else 1. Two different sizes other than 1 are an error."""
    sizes: dict = {}
    for c in dict.fromkeys("".join(terms)):
        dims = [n for t, s in zip(terms, shapes, strict=True)
                for d, n in zip(t, s, strict=True) if d == c]
        full = {n for n in dims if n not in (1, None)}
        if len(full) > 1:
            raise _fail(f"label {c!r} has sizes {sorted(full)} in {','.join(terms)} for "
                        f"shapes {describe_shapes(*shapes)}", shapes=shapes)
        sizes[c] = full.pop() if full else (None if None in dims else 1)
    return sizes


# --- contract: variadic primitive --------------------------------------------------------------
def _contract_check(equation: str, avals) -> tuple[list[str], str]:
    terms, out = _parts(equation)
    shapes = [tuple(a.shape) for a in avals]
    if len(terms) != len(avals):
        raise OpValueError("einsum", f"equation {equation!r} names {len(terms)} operands, "
                           f"got {len(avals)}")
    for term, shape in zip(terms, shapes, strict=True):
        if len(term) != len(shape):
            raise _fail(f"subscripts {term!r} do not fit an operand of shape "
                        f"{describe_shapes(shape)}", shapes=shapes)
    for a in avals:
        if a.dtype.kind == "b":
            raise DTypeError("einsum", "bool operands are not supported (cast to an integer "
                             "or float dtype first)", shapes=shapes, dtypes=[a.dtype])
    for c in set("".join(terms)):
        known = {n for t, s in zip(terms, shapes, strict=True)
                 for d, n in zip(t, s, strict=True) if d == c and n is not None}
        if len(known) > 1:
            raise _fail(f"label {c!r} has sizes {sorted(known)} in {equation!r} for shapes "
                        f"{describe_shapes(*shapes)}", shapes=shapes)
    for c in out:
        if out.count(c) > 1 or c not in "".join(terms):
            raise _fail(f"output label {c!r} of {equation!r} must appear once in the output "
                        f"and in some operand", shapes=shapes)
    return terms, out


def _contract_kernel(*operands, equation):
    _contract_check(equation, [Aval(o.shape, o.dtype) for o in operands])
    out = np.asarray(np.einsum(equation, *operands, optimize=len(operands) > 1))
    return out.copy() if out.base is not None else out  # a transpose is a view: own it


def _contract_rule(*avals: Aval, equation) -> Aval:
    terms, out = _contract_check(equation, avals)
    sizes = _label_sizes(terms, [tuple(a.shape) for a in avals])
    return Aval(tuple(sizes[c] for c in out), avals[0].dtype)


def _operand_grad(g, inputs, k: int, equation: str):
    terms, out = _parts(equation)
    x, mine = inputs[k], terms[k]
    others = [t for j, t in enumerate(terms) if j != k]
    elsewhere = set(out).union(*others)
    firsts = [i for i, c in enumerate(mine) if mine.index(c) == i]
    present = "".join(mine[i] for i in firsts if mine[i] in elsewhere)
    v = contract([g, *(o for j, o in enumerate(inputs) if j != k)],
                 equation=",".join([out, *others]) + "->" + present)
    # Size-1 axes where k has a label found nowhere else (summed away: broadcast back) or a
    # repeated one (a diagonal: masked below).
    new = tuple(i for i, c in enumerate(mine) if i not in firsts or c not in elsewhere)
    if new:
        v = expand_dims(v, axis=new)
        xs = shape_of(x)
        v = broadcast_to(v, shape=xs) if None not in xs else broadcast_to(v, x)
    groups = tuple(tuple(i for i, d in enumerate(mine) if d == c)
                   for c in dict.fromkeys(mine) if mine.count(c) > 1)
    if groups:
        v = where(diagonal_mask(x, groups=groups), v, 0)
    return v


def _contract_vjp(g, inputs, out, equation):
    return tuple(_operand_grad(g, inputs, k, equation) for k in range(len(inputs)))


contract = primitive("contract", _contract_kernel, _contract_rule, _contract_vjp,
                     variadic=True, promote=True,
                     doc="np.einsum with an explicit equation of letters only (einsum's "
                         "normalized form); equal sizes per label.")


# --- diagonal_mask: primitive, no gradient -----------------------------------------------------
def _mask_kernel(x, groups):
    mask = np.ones(x.shape, dtype=bool)
    nd = x.ndim
    for group in groups:
        first = group[0]
        ref = np.arange(x.shape[first]).reshape([-1 if i == first else 1 for i in range(nd)])
        for axis in group[1:]:
            other = np.arange(x.shape[axis]).reshape([-1 if i == axis else 1 for i in range(nd)])
            mask &= ref == other
    return mask


def _mask_rule(x: Aval, groups) -> Aval:
    for group in groups:
        if any(not 0 <= a < x.ndim for a in group):
            raise OpValueError("diagonal_mask", f"axes {group} are out of range for "
                               f"{x.ndim} dims")
    return Aval(x.shape, np.dtype(bool))


diagonal_mask = primitive("diagonal_mask", _mask_kernel, _mask_rule, None,
                          differentiable_output=False,
                          doc="A bool array of x's shape, True where the indices along the "
                              "axes of each group (a tuple of axis tuples) are all equal.")


# --- einsum: composite -------------------------------------------------------------------------
@composite
def einsum(equation: str, *operands: Value) -> Value:
    """``torch.einsum(equation, *operands)`` (or one list of operands), every form: implicit
    or explicit output, ``...``, repeated labels (diagonals), size-1 broadcasting."""
    if len(operands) == 1 and isinstance(operands[0], list | tuple):
        operands = tuple(operands[0])
    if not isinstance(equation, str):
        raise OpValueError("einsum", f"the equation must be a string, got {equation!r}")
    shapes = [shape_of(o) for o in operands]
    normal = normalize_equation(equation, [len(s) for s in shapes])
    terms, _ = _parts(normal)
    for term, shape in zip(terms, shapes, strict=True):
        for c in set(term):  # a repeated label (a diagonal) has one size in its operand
            dims = {n for d, n in zip(term, shape, strict=True) if d == c and n is not None}
            if len(dims) > 1:
                raise _fail(f"label {c!r} is repeated in {term!r} with sizes {sorted(dims)} "
                            f"(shape {describe_shapes(shape)})", shapes=shapes)
    sizes = _label_sizes(terms, shapes)
    # Broadcast size-1 labels to their full size here, so that contract's sizes are equal.
    ready = [_broadcast_labels(o, k, terms, shapes, sizes, operands)
             for k, o in enumerate(operands)]
    return contract(ready, equation=normal)


def _broadcast_labels(o: Value, k: int, terms: list, shapes: list, sizes: dict,
                      operands) -> Value:
    term, shape = terms[k], shapes[k]
    full = tuple(sizes[c] if n == 1 and sizes[c] not in (1, None) else n
                 for c, n in zip(term, shape, strict=True))
    if full != shape:
        if None not in full:
            o = broadcast_to(o, shape=full)
        else:  # other dims unknown: add zeros shaped (1, .., n, .., 1), which broadcast alike
            o = add(o, np.zeros(tuple(f if n == 1 else 1 for f, n in zip(full, shape,
                                                                          strict=True)),
                                dtype=o.dtype))
    for i, c in enumerate(term):
        if shape[i] == 1 and sizes[c] is None:
            # A size 1 against a size unknown until run time (a static placeholder's): add
            # zeros as long as that operand's dim, whatever it turns out to be.
            j = next(j for j, (t, s) in enumerate(zip(terms, shapes, strict=True))
                     if any(d == c and n is None for d, n in zip(t, s, strict=True)))
            length = full_like(contract([operands[j]], equation=f"{terms[j]}->{c}"),
                               fill_value=0)
            o = add(o, expand_dims(length, axis=tuple(a for a in range(len(term)) if a != i))
                    if len(term) > 1 else length)
    return o


__all__ = ["contract", "diagonal_mask", "einsum", "normalize_equation"]
