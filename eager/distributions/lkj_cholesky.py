"""``LKJCholesky``, the LKJ distribution over Cholesky factors of correlation matrices, as
``torch.distributions.LKJCholesky``: sampled by the onion method through a `Beta` and normal
draws in PyTorch's order.

    >>> import eager
    >>> LKJCholesky(3, 0.5).log_prob(eager.eye(3))
    tensor(-2.5310)
"""

from __future__ import annotations

import math
from typing import Any

import eager

from . import constraints
from .dirichlet import Beta
from .distribution import Distribution
from .utils import broadcast_all


class LKJCholesky(Distribution):
    """The LKJ distribution over Cholesky factors L of ``dim`` x ``dim`` correlation matrices:
    ``L L^T`` has density proportional to ``det(L L^T) ** (concentration - 1)``."""

    arg_constraints = {"concentration": constraints.positive}
    support = constraints.corr_cholesky

    def __init__(self, dim: int, concentration: Any = 1.0,
                 validate_args: bool | None = None) -> None:
        if dim < 2:
            raise ValueError(f"Expected dim to be an integer greater than or equal to 2. "
                             f"Found dim={dim}.")
        self.dim = dim
        (self.concentration,) = broadcast_all(concentration)
        marginal = self.concentration + 0.5 * (self.dim - 2)
        offset = eager.arange(self.dim - 1, dtype=self.concentration.dtype)
        offset = eager.cat([offset.new_zeros((1,)), offset])
        self._beta = Beta(offset + 0.5, marginal.unsqueeze(-1) - 0.5 * offset)
        super().__init__(self.concentration.size(), (dim, dim), validate_args)

    def expand(self, batch_shape: tuple, _instance: Any = None) -> Distribution:
        new = self._get_checked_instance(LKJCholesky, _instance)
        batch_shape = eager.Size(batch_shape)
        new.dim = self.dim
        new.concentration = self.concentration.expand(batch_shape)
        new._beta = self._beta.expand(batch_shape + (self.dim,))
        Distribution.__init__(new, batch_shape, self.event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    def sample(self, sample_shape: tuple = ()) -> Any:
        """The onion method (Lewandowski, Kurowicka & Joe, 2009, section 3)."""
        with eager.no_grad():
            y = self._beta.sample(sample_shape).unsqueeze(-1)
            u_normal = eager.randn(self._extended_shape(sample_shape), dtype=y.dtype).tril(-1)
            u_hypersphere = u_normal / u_normal.norm(dim=-1, keepdim=True)
            # row 0 is all zeros (0 / 0 above): its direction is unused
            first_row = eager.arange(self.dim).view(-1, 1) == 0
            u_hypersphere = eager.where(first_row, 0.0, u_hypersphere)
            w = eager.sqrt(y) * u_hypersphere
            diag = eager.clamp(1 - eager.sum(w ** 2, dim=-1),
                               min=eager.finfo(w.dtype).tiny).sqrt()
            return w + diag.unsqueeze(-1) * eager.eye(self.dim, dtype=w.dtype)

    def log_prob(self, value: Any) -> Any:
        if self._validate_args:
            self._validate_sample(value)
        diag_elems = value.diagonal(dim1=-1, dim2=-2)[..., 1:]
        order = eager.arange(2, self.dim + 1)
        order = 2 * (self.concentration - 1).unsqueeze(-1) + self.dim - order
        unnormalized = eager.sum(order * diag_elems.log(), dim=-1)
        dm1 = self.dim - 1
        alpha = self.concentration + 0.5 * dm1
        normalize = (0.5 * dm1 * math.log(math.pi) + eager.special.multigammaln(alpha - 0.5, dm1)
                     - eager.lgamma(alpha) * dm1)
        return unnormalized - normalize


__all__ = ["LKJCholesky"]
