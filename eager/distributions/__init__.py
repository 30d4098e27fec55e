"""Probability distributions, as ``torch.distributions``: parameters checked against their
constraints, ``sample`` (no gradient) and ``rsample`` (reparameterized, with gradient) drawn
from PyTorch's random stream, ``log_prob``, ``entropy``, ``cdf``/``icdf`` and
``kl_divergence`` between pairs, all built from eager ops (so gradients flow through them).

    >>> import eager
    >>> from eager.distributions import Categorical
    >>> _ = eager.manual_seed(0)
    >>> Categorical(probs=eager.tensor([0.1, 0.2, 0.7])).sample((4,))
    tensor([2, 2, 2, 2])
"""

from . import constraints
from .bernoulli import Bernoulli
from .categorical import Categorical, OneHotCategorical
from .continuous import Exponential, Laplace, Uniform
from .counts import Binomial, Geometric, Poisson
from .dirichlet import Beta, Dirichlet
from .distribution import Distribution
from .gamma import Chi2, Gamma, StudentT
from .independent import Independent
from .kl import kl_divergence, register_kl
from .multivariate_normal import MultivariateNormal
from .normal import Normal
from .transformed import LogNormal, TransformedDistribution
from .transforms import AffineTransform, ExpTransform, Transform

__all__ = ["constraints", "Distribution", "Bernoulli", "Categorical", "OneHotCategorical",
           "Normal", "MultivariateNormal", "Uniform", "Exponential", "Laplace", "Independent",
           "Gamma", "Chi2", "Beta", "Dirichlet", "Poisson", "Binomial",
           "Geometric", "StudentT", "TransformedDistribution", "LogNormal", "Transform",
           "ExpTransform", "AffineTransform",
           "kl_divergence", "register_kl"]
