"""Transforms that apply one transform per block of a dim, as ``torch.distributions.
transforms.CatTransform`` (blocks of ``lengths``, joined as ``cat``) and ``StackTransform``
(one slice each, joined as ``stack``).

    >>> import eager
    >>> from eager.distributions.transforms import ExpTransform, identity_transform
    >>> StackTransform([ExpTransform(), identity_transform], dim=0)(eager.tensor([0.0, 5.0]))
    tensor([1., 5.])
"""

from __future__ import annotations

from typing import Any

import eager

from . import constraints
from .constraints_joined import block_lengths
from .transform_base import Transform
from .utils import sum_rightmost


def _check_dim(dim: int, x: Any, size: int, what: str, name: str = "tensor") -> None:
    if not -x.dim() <= dim < x.dim():
        raise AssertionError(f"dim {dim} out of range for {name} with {x.dim()} dimensions")
    if x.size(dim) != size:
        raise AssertionError(f"{what}.size({dim}) = {x.size(dim)} must equal {size}")


class _Joined(Transform):
    """The parts ``transforms`` (cached alike), one per block of ``dim``."""

    def __init__(self, tseq: Any, dim: int, cache_size: int) -> None:
        if not all(isinstance(t, Transform) for t in tseq):
            raise AssertionError("All elements of tseq must be Transform instances")
        if cache_size:
            tseq = [t.with_cache(cache_size) for t in tseq]
        super().__init__(cache_size=cache_size)
        self.transforms, self.dim = list(tseq), dim

    @property
    def bijective(self) -> bool:  # type: ignore[override]
        return all(t.bijective for t in self.transforms)

    def _pieces(self, z: Any, what: str) -> list:
        raise NotImplementedError

    def _join(self, pieces: list) -> Any:
        raise NotImplementedError

    def _call(self, x: Any) -> Any:
        return self._join([t(p) for t, p in zip(self.transforms, self._pieces(x, "x"),
                                                strict=True)])

    def _inverse(self, y: Any) -> Any:
        return self._join([t.inv(p) for t, p in zip(self.transforms, self._pieces(y, "y"),
                                                    strict=True)])


class CatTransform(_Joined):
    """``tseq[i]`` on the ``lengths[i]`` entries of block ``i`` along ``dim``."""

    def __init__(self, tseq: Any, dim: int = 0, lengths: Any = None,
                 cache_size: int = 0) -> None:
        super().__init__(tseq, dim, cache_size)
        self.lengths = block_lengths(lengths, len(self.transforms), "transforms")

    @property
    def event_dim(self) -> int:  # type: ignore[override]
        return max(t.event_dim for t in self.transforms)

    @property
    def length(self) -> int:
        """The total size along ``dim``."""
        return sum(self.lengths)

    def with_cache(self, cache_size: int = 1) -> Transform:
        if self._cache_size == cache_size:
            return self
        return CatTransform(self.transforms, self.dim, self.lengths, cache_size)

    def _pieces(self, x: Any, what: str) -> list:
        _check_dim(self.dim, x, self.length, what)
        blocks, start = [], 0
        for length in self.lengths:
            blocks.append(x.narrow(self.dim, start, length))
            start += length
        return blocks

    def _join(self, pieces: list) -> Any:
        return eager.cat(pieces, dim=self.dim)

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Any:
        terms = []
        for t, xb, yb in zip(self.transforms, self._pieces(x, "x"), self._pieces(y, "y"),
                             strict=True):
            term = t.log_abs_det_jacobian(xb, yb)
            if t.event_dim < self.event_dim:
                term = sum_rightmost(term, self.event_dim - t.event_dim)
            terms.append(term)
        dim = (self.dim - x.dim() if self.dim >= 0 else self.dim) + self.event_dim
        return eager.cat(terms, dim=dim) if dim < 0 else sum(terms)

    @property
    def domain(self) -> Any:  # type: ignore[override]
        return constraints.cat([t.domain for t in self.transforms], self.dim, self.lengths)

    @property
    def codomain(self) -> Any:  # type: ignore[override]
        return constraints.cat([t.codomain for t in self.transforms], self.dim, self.lengths)


class StackTransform(_Joined):
    """``tseq[i]`` on slice ``i`` along ``dim``."""

    def __init__(self, tseq: Any, dim: int = 0, cache_size: int = 0) -> None:
        super().__init__(tseq, dim, cache_size)

    def with_cache(self, cache_size: int = 1) -> Transform:
        if self._cache_size == cache_size:
            return self
        return StackTransform(self.transforms, self.dim, cache_size)

    def _pieces(self, z: Any, what: str) -> list:
        _check_dim(self.dim, z, len(self.transforms), what)
        return list(z.unbind(self.dim))

    def _join(self, pieces: list) -> Any:
        return eager.stack(pieces, dim=self.dim)

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Any:
        return self._join([t.log_abs_det_jacobian(xs, ys) for t, xs, ys in zip(
            self.transforms, self._pieces(x, "x"), self._pieces(y, "y"), strict=True)])

    @property
    def domain(self) -> Any:  # type: ignore[override]
        return constraints.stack([t.domain for t in self.transforms], self.dim)

    @property
    def codomain(self) -> Any:  # type: ignore[override]
        return constraints.stack([t.codomain for t in self.transforms], self.dim)


__all__ = ["CatTransform", "StackTransform"]
