"""Probability distributions, as ``torch.distributions``: parameters checked against their
constraints, ``sample`` (no gradient) and ``rsample`` (reparameterized, with gradient) drawn
from PyTorch's random stream, ``log_prob``, ``entropy``, ``cdf``/``icdf``, ``expand``,
transforms with ``biject_to``/``transform_to`` and ``kl_divergence`` between pairs, all built
from eager ops (so gradients flow through them).

    >>> import eager
    >>> from eager.distributions import Categorical
    >>> _ = eager.manual_seed(0)
    >>> Categorical(probs=eager.tensor([0.1, 0.2, 0.7])).sample((4,))
    tensor([2, 2, 2, 2])
"""

import sys

# kl_cross and kl_more are imported for their effect: they register their KL pairs
from . import constraints, kl_cross, kl_more, module_paths, transforms  # noqa: F401
from .bernoulli import Bernoulli
from .categorical import Categorical, OneHotCategorical
from .constraint_registry import biject_to, transform_to
from .continuous import Cauchy, Exponential, Laplace, Uniform
from .continuous_bernoulli import ContinuousBernoulli
from .counts import Binomial, Geometric, Poisson
from .dirichlet import Beta, Dirichlet
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .gamma import Chi2, Gamma, StudentT
from .gamma_derived import FisherSnedecor, InverseGamma
from .independent import Independent
from .kl import kl_divergence, register_kl
from .lkj_cholesky import LKJCholesky
from .lowrank_multivariate_normal import LowRankMultivariateNormal
from .mixture import MixtureSameFamily
from .more_families import GeneralizedPareto, LogisticNormal, OneHotCategoricalStraightThrough
from .multinomial import Multinomial, NegativeBinomial
from .multivariate_normal import MultivariateNormal
from .normal import Normal
from .relaxed import (
    ExpRelaxedCategorical,
    LogitRelaxedBernoulli,
    RelaxedBernoulli,
    RelaxedOneHotCategorical,
)
from .transformed import LogNormal, TransformedDistribution
from .transformed_families import Gumbel, HalfCauchy, HalfNormal, Kumaraswamy, Pareto, Weibull
from .transforms import *  # noqa: F403  (every transform, as torch.distributions has)
from .von_mises import VonMises
from .wishart import Wishart

__all__ = ["constraints", "transforms", "Distribution", "ExponentialFamily", "Bernoulli",
           "Categorical", "OneHotCategorical", "Normal", "MultivariateNormal", "Uniform",
           "Exponential", "Laplace", "Cauchy", "Independent", "Gamma", "Chi2", "Beta", "Dirichlet",
           "Poisson", "Binomial", "Geometric", "StudentT", "TransformedDistribution", "LogNormal",
           "MixtureSameFamily", "Gumbel", "HalfNormal", "HalfCauchy", "Weibull", "Pareto",
           "Kumaraswamy", "ContinuousBernoulli", "FisherSnedecor", "InverseGamma", "Multinomial",
           "NegativeBinomial", "RelaxedBernoulli", "RelaxedOneHotCategorical", "VonMises",
           "LowRankMultivariateNormal", "LogisticNormal", "GeneralizedPareto",
           "OneHotCategoricalStraightThrough", "biject_to", "transform_to", "kl_divergence",
           "register_kl", "LKJCholesky", "Wishart",
           *transforms.__all__]

# torch.distributions.<family> import paths for the families defined in shared files here
module_paths.register(sys.modules[__name__],
                      {**globals(), "LogitRelaxedBernoulli": LogitRelaxedBernoulli,
                       "ExpRelaxedCategorical": ExpRelaxedCategorical})
