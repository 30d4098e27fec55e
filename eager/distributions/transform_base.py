"""The `Transform` base of ``torch.distributions.transforms`` (caching of the last pair,
``.inv``, event dims), its inverse and `ComposeTransform` (a chain of transforms).

    >>> import eager
    >>> from eager.distributions.transforms import ExpTransform
    >>> t = ComposeTransform([ExpTransform(), ExpTransform()])
    >>> t.inv(t(eager.tensor([0.5])))
    tensor([0.5000])
"""

from __future__ import annotations

from typing import Any

import eager

from . import constraints
from .utils import delegated, sum_rightmost


class Transform:
    """An invertible (or pseudo-invertible) map ``y = t(x)`` from ``domain`` to ``codomain``.
    With ``cache_size=1`` it remembers its last ``(x, y)`` pair, so ``t.inv(t(x))`` returns
    ``x`` itself (as PyTorch's, which SAC's tanh squashing relies on)."""

    bijective = False
    domain: constraints.Constraint = constraints.real
    codomain: constraints.Constraint = constraints.real

    def __init__(self, cache_size: int = 0) -> None:
        if cache_size not in (0, 1):
            raise ValueError("cache_size must be 0 or 1")
        self._cache_size = cache_size
        self._inv: Transform | None = None
        self._cached_x_y: tuple = (None, None)

    def __getstate__(self) -> dict:
        # the inverse is rebuilt on demand (it points back here), as PyTorch drops it too
        state = self.__dict__.copy()
        state["_inv"] = None
        return state

    @property
    def event_dim(self) -> int:
        """The number of trailing dims the map acts on together."""
        if self.domain.event_dim == self.codomain.event_dim:
            return self.domain.event_dim
        raise ValueError("Please use either .domain.event_dim or .codomain.event_dim")

    @property
    def inv(self) -> Transform:
        """The inverse map (``t.inv.inv is t``)."""
        if self._inv is None:
            self._inv = _InverseTransform(self)
        return self._inv

    @property
    def sign(self) -> Any:
        """The sign of the Jacobian's determinant (for bijective univariate maps)."""
        raise NotImplementedError

    def with_cache(self, cache_size: int = 1) -> Transform:
        """This transform with a cache of ``cache_size`` (itself if it already has one)."""
        if self._cache_size == cache_size:
            return self
        if type(self).__init__ is Transform.__init__:
            return type(self)(cache_size=cache_size)
        raise NotImplementedError(f"{type(self)}.with_cache is not implemented")

    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = object.__hash__

    def __call__(self, x: Any) -> Any:
        return self._through_cache(x, 0)

    def _inv_call(self, y: Any) -> Any:
        return self._through_cache(y, 1)

    def _through_cache(self, value: Any, side: int) -> Any:
        # side 0: value is x, map forward; side 1: value is y, map back. The cache holds the
        # last (x, y) pair; a hit is the very same object (PyTorch compares identity).
        compute = self._call if side == 0 else self._inverse
        if self._cache_size == 0:
            return compute(value)
        if value is self._cached_x_y[side]:
            return self._cached_x_y[1 - side]
        other = compute(value)
        self._cached_x_y = (value, other) if side == 0 else (other, value)
        return other

    def _call(self, x: Any) -> Any:
        raise NotImplementedError

    _inverse = _call

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Any:
        """``log |dy/dx|`` at the pair ``(x, y = t(x))``."""
        raise NotImplementedError

    def forward_shape(self, shape: tuple) -> tuple:
        """The shape of ``t(x)`` for an ``x`` of ``shape`` (unchanged unless overridden; the
        same default serves `inverse_shape`, the shape of ``t.inv(y)``)."""
        return shape

    inverse_shape = forward_shape

    def __repr__(self) -> str:
        return self.__class__.__name__ + "()"


class _InverseTransform(Transform):
    """``t.inv``: calls ``t``'s inverse (sharing its cache); its Jacobian term is minus
    ``t``'s."""

    def __init__(self, transform: Transform) -> None:
        super().__init__(cache_size=transform._cache_size)
        self._inv = transform

    domain = delegated("_inv", "codomain")
    codomain = delegated("_inv", "domain")
    bijective = delegated("_inv", "bijective")
    sign = delegated("_inv", "sign")

    @property
    def inv(self) -> Transform:
        return self._inv

    def with_cache(self, cache_size: int = 1) -> Transform:
        return self.inv.with_cache(cache_size).inv

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _InverseTransform) and self._inv == other._inv

    __hash__ = Transform.__hash__

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self._inv!r})"

    def __call__(self, x: Any) -> Any:
        return self._inv._inv_call(x)

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Any:
        return -self._inv.log_abs_det_jacobian(y, x)

    def forward_shape(self, shape: tuple) -> tuple:
        return self._inv.inverse_shape(shape)

    def inverse_shape(self, shape: tuple) -> tuple:
        return self._inv.forward_shape(shape)


class ComposeTransform(Transform):
    """``parts`` applied in order; its event dim is the largest any part needs."""

    def __init__(self, parts: list[Transform], cache_size: int = 0) -> None:
        if cache_size:
            parts = [part.with_cache(cache_size) for part in parts]
        super().__init__(cache_size=cache_size)
        self.parts = parts

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ComposeTransform) and self.parts == other.parts

    __hash__ = Transform.__hash__

    def _end_constraint(self, inputs: bool) -> Any:
        # The first part's domain (inputs) or the last part's codomain, made Independent over
        # as many event dims as the chain needs there: walk from the other end, each part
        # adding or removing event dims.
        if not self.parts:
            return constraints.real
        near, far = ("domain", "codomain") if inputs else ("codomain", "domain")
        walk = list(reversed(self.parts)) if inputs else self.parts
        end = getattr(walk[-1], near)
        event_dim = getattr(walk[0], far).event_dim
        for part in walk:
            event_dim += getattr(part, near).event_dim - getattr(part, far).event_dim
            event_dim = max(event_dim, getattr(part, near).event_dim)
        if event_dim > end.event_dim:
            end = constraints.independent(end, event_dim - end.event_dim)
        return end

    @property
    def domain(self) -> Any:  # type: ignore[override]
        return self._end_constraint(inputs=True)

    @property
    def codomain(self) -> Any:  # type: ignore[override]
        return self._end_constraint(inputs=False)

    @property
    def bijective(self) -> bool:  # type: ignore[override]
        return all(p.bijective for p in self.parts)

    @property
    def sign(self) -> Any:
        sign = 1
        for part in self.parts:
            sign = sign * part.sign
        return sign

    @property
    def inv(self) -> Transform:
        if self._inv is None:
            inverse = ComposeTransform([p.inv for p in reversed(self.parts)])
            inverse._inv = self
            self._inv = inverse
        return self._inv

    def with_cache(self, cache_size: int = 1) -> Transform:
        if self._cache_size == cache_size:
            return self
        return ComposeTransform(self.parts, cache_size=cache_size)

    def __call__(self, x: Any) -> Any:
        for part in self.parts:
            x = part(x)
        return x

    def log_abs_det_jacobian(self, x: Any, y: Any) -> Any:
        if not self.parts:
            return eager.zeros_like(x)
        xs = [x]
        for part in self.parts[:-1]:
            xs.append(part(xs[-1]))
        xs.append(y)
        total: Any = None
        event_dim = self.domain.event_dim
        for part, x_in, y_out in zip(self.parts, xs[:-1], xs[1:], strict=True):
            term = sum_rightmost(part.log_abs_det_jacobian(x_in, y_out),
                                 event_dim - part.domain.event_dim)
            total = term if total is None else total + term
            event_dim += part.codomain.event_dim - part.domain.event_dim
        return total

    def forward_shape(self, shape: tuple) -> tuple:
        for part in self.parts:
            shape = part.forward_shape(shape)
        return shape

    def inverse_shape(self, shape: tuple) -> tuple:
        for part in reversed(self.parts):
            shape = part.inverse_shape(shape)
        return shape

    def __repr__(self) -> str:
        return (self.__class__.__name__ + "(\n    "
                + ",\n    ".join(repr(p) for p in self.parts) + "\n)")


identity_transform = ComposeTransform([])


__all__ = ["Transform", "ComposeTransform", "identity_transform"]
