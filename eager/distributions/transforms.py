"""Bijections between spaces of values, as ``torch.distributions.transforms`` (the elementwise
ones): ``ExpTransform`` and ``AffineTransform``, each with its inverse (``.inv``) and the log
absolute determinant of its Jacobian, for `TransformedDistribution`.

    >>> import eager
    >>> t = ExpTransform()
    >>> t.inv(t(eager.tensor([0.5]))), t
    (tensor([0.5000]), ExpTransform())
"""

from __future__ import annotations

import math
from numbers import Number
from typing import Any

import eager

from . import constraints


class Transform:
    """An invertible map ``y = t(x)`` from ``domain`` to ``codomain``; ``sign`` is the sign of
    its derivative (for monotone elementwise maps)."""

    bijective = False
    domain: constraints.Constraint = constraints.real
    codomain: constraints.Constraint = constraints.real

    @property
    def event_dim(self) -> int:
        """The number of trailing dims the map acts on together."""
        return max(self.domain.event_dim, self.codomain.event_dim)

    @property
    def inv(self) -> Transform:
        """The inverse map (``t.inv(t(x)) == x``)."""
        return _InverseTransform(self)

    def __call__(self, x: Any) -> Any:
        return self._call(x)

    def _call(self, x: Any) -> Any:
        raise NotImplementedError

    def _inverse(self, y: Any) -> Any:
        raise NotImplementedError

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Any:
        """``log |dy/dx|`` at the pair ``(x, y = t(x))``."""
        raise NotImplementedError

    def forward_shape(self, shape: tuple) -> tuple:
        """The shape of ``t(x)`` for an ``x`` of ``shape``."""
        return shape

    def __repr__(self) -> str:
        return self.__class__.__name__ + "()"


class _InverseTransform(Transform):
    """``t.inv``: calls ``t``'s inverse; its Jacobian term is minus ``t``'s."""

    bijective = True

    def __init__(self, transform: Transform) -> None:
        self._inv = transform
        self.domain, self.codomain = transform.codomain, transform.domain

    @property
    def inv(self) -> Transform:
        return self._inv

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _InverseTransform) and self._inv == other._inv

    def _call(self, x: Any) -> Any:
        return self._inv._inverse(x)

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Any:
        return -self._inv.log_abs_det_jacobian(y, x)


class ExpTransform(Transform):
    """``y = exp(x)``, from the reals onto the positive reals."""

    codomain = constraints.positive
    bijective = True
    sign = 1

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ExpTransform)

    def _call(self, x: Any) -> Any:
        return x.exp()

    def _inverse(self, y: Any) -> Any:
        return y.log()

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Any:
        return x


class AffineTransform(Transform):
    """``y = loc + scale * x`` (``loc`` and ``scale`` numbers or Tensors), acting on events of
    ``event_dim`` trailing dims."""

    bijective = True

    def __init__(self, loc: Any, scale: Any, event_dim: int = 0, cache_size: int = 0) -> None:
        if cache_size not in (0, 1):
            raise ValueError(f"cache_size must be 0 or 1, got {cache_size}")
        self.loc, self.scale, self._event_dim = loc, scale, event_dim

    @property
    def event_dim(self) -> int:  # type: ignore[override]
        return self._event_dim

    @property
    def domain(self) -> Any:  # type: ignore[override]
        if self._event_dim == 0:
            return constraints.real
        return constraints.independent(constraints.real, self._event_dim)

    codomain = domain

    @property
    def sign(self) -> Any:
        """The sign of ``scale`` (a number or a Tensor)."""
        if isinstance(self.scale, Number):
            return 1 if float(self.scale) > 0 else -1 if float(self.scale) < 0 else 0
        return self.scale.sign()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AffineTransform):
            return False
        return all(a == b if isinstance(a, Number) and isinstance(b, Number)
                   else bool((eager.as_tensor(a) == eager.as_tensor(b)).all())
                   for a, b in ((self.loc, other.loc), (self.scale, other.scale)))

    def _call(self, x: Any) -> Any:
        return self.loc + self.scale * x

    def _inverse(self, y: Any) -> Any:
        return (y - self.loc) / self.scale

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Any:
        shape = tuple(x.shape)
        if isinstance(self.scale, Number):
            result = eager.full_like(x, math.log(abs(self.scale)))
        else:
            result = eager.abs(self.scale).log()
        if self._event_dim:
            result = result.reshape(*result.shape[:result.dim() - self._event_dim], -1).sum(-1)
            shape = shape[:len(shape) - self._event_dim]
        return result.expand(shape)

    def forward_shape(self, shape: tuple) -> tuple:
        params = [tuple(p.shape) for p in (self.loc, self.scale) if isinstance(p, eager.Tensor)]
        return tuple(eager.broadcast_shapes(tuple(shape), *params))


__all__ = ["Transform", "ExpTransform", "AffineTransform"]
