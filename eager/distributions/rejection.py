"""`SampleOnly`, the base of the distributions drawn through ATen's rejection samplers, and
those samplers' tensor functions (`eager.random.gamma_factories`), re-exported for them."""

from __future__ import annotations

from typing import Any

from eager.random.gamma_factories import binomial, poisson, sample_dirichlet, standard_gamma

from .distribution import Distribution


class SampleOnly(Distribution):
    """A distribution of the gamma family whose ``rsample`` PyTorch reparameterizes through
    ``_standard_gamma_grad``, an approximation not reproduced here: ``has_rsample`` is False
    and ``rsample`` says so; ``sample`` draws PyTorch's numbers."""

    has_rsample = False

    def rsample(self, sample_shape: tuple = ()) -> Any:
        raise NotImplementedError(
            f"{type(self).__name__}.rsample: the reparameterized gradient of the gamma family "
            "(PyTorch's _standard_gamma_grad) is not implemented in eager; use .sample(), "
            "which draws PyTorch's numbers without gradient")


__all__ = ["standard_gamma", "sample_dirichlet", "poisson", "binomial", "SampleOnly"]
