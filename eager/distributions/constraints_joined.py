"""The constraints that join others along a dim, as ``torch.distributions.constraints.cat``
and ``stack``: each slice of ``value`` along ``dim`` is checked against its own constraint.

    >>> import eager
    >>> from eager.distributions import constraints
    >>> joined = Cat([constraints.real, constraints.positive], 0, [1, 2])
    >>> joined.check(eager.tensor([-1.0, 2.0, -3.0]))
    tensor([ True,  True, False])
"""

from __future__ import annotations

from typing import Any

import eager

from .constraint_base import Constraint


def _check_dim(dim: int, value: Any) -> None:
    if not -value.dim() <= dim < value.dim():
        raise AssertionError(f"dim {dim} out of range for value with {value.dim()} dimensions")


def block_lengths(lengths: Any, count: int, what: str) -> list:
    """The block sizes of a cat-like join of ``count`` parts (ones by default), checked."""
    lengths = list(lengths) if lengths is not None else [1] * count
    if len(lengths) != count:
        raise AssertionError(f"lengths ({len(lengths)}) must match {what} ({count})")
    return lengths


class _Joined(Constraint):
    def __init__(self, cseq: Any, dim: int = 0) -> None:
        if not all(isinstance(c, Constraint) for c in cseq):
            raise AssertionError("All elements of cseq must be Constraint instances")
        self.cseq, self.dim = list(cseq), dim

    @property
    def is_discrete(self) -> bool:  # type: ignore[override]
        return any(c.is_discrete for c in self.cseq)


class Cat(_Joined):
    """``cseq[i]`` on the ``lengths[i]`` entries of its block along ``dim`` (as ``cat``)."""

    def __init__(self, cseq: Any, dim: int = 0, lengths: Any = None) -> None:
        super().__init__(cseq, dim)
        self.lengths = block_lengths(lengths, len(self.cseq), "cseq")

    @property
    def event_dim(self) -> int:  # type: ignore[override]
        return max(c.event_dim for c in self.cseq)

    def check(self, value: Any) -> Any:
        _check_dim(self.dim, value)
        checks, start = [], 0
        for constraint, length in zip(self.cseq, self.lengths, strict=True):
            checks.append(constraint.check(value.narrow(self.dim, start, length)))
            start += length
        return eager.cat(checks, self.dim)


class Stack(_Joined):
    """``cseq[i]`` on the ``i``-th slice along ``dim`` (as ``stack``)."""

    @property
    def event_dim(self) -> int:  # type: ignore[override]
        dim = max(c.event_dim for c in self.cseq)
        return dim + 1 if self.dim + dim < 0 else dim

    def check(self, value: Any) -> Any:
        _check_dim(self.dim, value)
        slices = value.unbind(self.dim)
        return eager.stack([c.check(v) for v, c in zip(slices, self.cseq, strict=False)],
                           self.dim)


__all__ = ["Cat", "Stack", "block_lengths"]
