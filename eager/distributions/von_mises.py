"""``VonMises``, the circular normal distribution, as ``torch.distributions.VonMises``: its
density through PyTorch's polynomial approximation of ``log I0`` / ``log I1``, and Best &
Fisher's rejection sampler run in float64 over ``rand`` draws of three uniforms a round, as
PyTorch's (so seeded samples agree).

    >>> import eager
    >>> VonMises(eager.tensor([0.0]), eager.tensor([2.0])).log_prob(eager.tensor([0.5]))
    tensor([-0.9067])
"""

from __future__ import annotations

import math
from typing import Any

import eager

from . import constraints
from .distribution import Distribution
from .utils import alias, broadcast_all, lazy_property

# Abramowitz & Stegun's polynomial fits of I0, I1 (9.8.1-9.8.4), as PyTorch uses them
_SMALL = ([1.0, 3.5156229, 3.0899424, 1.2067492, 0.2659732, 0.360768e-1, 0.45813e-2],
          [0.5, 0.87890594, 0.51498869, 0.15084934, 0.2658733e-1, 0.301532e-2, 0.32411e-3])
_LARGE = ([0.39894228, 0.1328592e-1, 0.225319e-2, -0.157565e-2, 0.916281e-2, -0.2057706e-1,
           0.2635537e-1, -0.1647633e-1, 0.392377e-2],
          [0.39894228, -0.3988024e-1, -0.362018e-2, 0.163801e-2, -0.1031555e-1, 0.2282967e-1,
           -0.2895312e-1, 0.1787654e-1, -0.420059e-2])


def _poly(y: Any, coefficients: list) -> Any:
    result = coefficients[-1]
    for c in reversed(coefficients[:-1]):
        result = c + y * result
    return result


def log_modified_bessel(x: Any, order: int = 0) -> Any:
    """``log(I_order(x))`` for ``x > 0`` and order 0 or 1 (PyTorch's approximation)."""
    if order not in (0, 1):
        raise AssertionError(f"order must be 0 or 1, got {order}")
    y = (x / 3.75) * (x / 3.75)
    small = _poly(y, _SMALL[order])
    if order == 1:
        small = x.abs() * small
    large = x - 0.5 * x.log() + _poly(3.75 / x, _LARGE[order]).log()
    return eager.where(x < 3.75, small.log(), large)


def _acos(f: Any) -> Any:
    return eager.atan2((1 - f * f).clamp(min=0).sqrt(), f)


def _rejection_sample(loc: Any, concentration: Any, proposal_r: Any, x: Any) -> Any:
    done = eager.zeros(tuple(x.shape), dtype=eager.bool)
    while not bool(done.all()):
        u1, u2, u3 = eager.rand((3,) + tuple(x.shape), dtype=loc.dtype).unbind()
        z = eager.cos(math.pi * u1)
        f = (1 + proposal_r * z) / (proposal_r + z)
        c = concentration * (proposal_r - f)
        accept = ((c * (2 - c) - u2) > 0) | ((c / u2).log() + 1 - c >= 0)
        if bool(accept.any()):
            x = eager.where(accept, (u3 - 0.5).sign() * _acos(f), x)
            done = done | accept
    return (x + math.pi + loc) % (2 * math.pi) - math.pi


class VonMises(Distribution):
    """An angle around ``loc`` (radians, any real, read modulo 2 pi) with ``concentration``
    kappa (a circular normal of variance about 1 / kappa)."""

    arg_constraints = {"loc": constraints.real, "concentration": constraints.positive}
    support = constraints.real
    has_rsample = False

    def __init__(self, loc: Any, concentration: Any, validate_args: bool | None = None) -> None:
        self.loc, self.concentration = broadcast_all(loc, concentration)
        super().__init__(self.loc.shape, (), validate_args)

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        return (self.concentration * eager.cos(value - self.loc) - math.log(2 * math.pi)
                - log_modified_bessel(self.concentration, order=0))

    @lazy_property
    def _loc(self) -> Any:
        return self.loc.to(eager.float64)

    @lazy_property
    def _concentration(self) -> Any:
        return self.concentration.to(eager.float64)

    @lazy_property
    def _proposal_r(self) -> Any:
        kappa = self._concentration
        tau = 1 + (1 + 4 * kappa ** 2).sqrt()
        rho = (tau - (2 * tau).sqrt()) / (2 * kappa)
        return eager.where(kappa < 1e-5, 1 / kappa + kappa, (1 + rho ** 2) / (2 * rho))

    def sample(self, sample_shape: tuple = ()) -> Any:
        """Best & Fisher (1979), in float64 (float32 can stall for tiny concentrations)."""
        with eager.no_grad():
            x = eager.zeros(self._extended_shape(sample_shape), dtype=eager.float64)
            return _rejection_sample(self._loc, self._concentration, self._proposal_r,
                                     x).to(self.loc.dtype)

    mean = alias("loc", "The circular mean (``loc``).")
    mode = alias("loc")

    @lazy_property
    def variance(self) -> Any:
        """The circular variance."""
        return 1 - (log_modified_bessel(self.concentration, order=1)
                    - log_modified_bessel(self.concentration, order=0)).exp()


__all__ = ["VonMises", "log_modified_bessel"]
