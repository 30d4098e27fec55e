"""PyTorch's one-module-per-distribution import paths (``from torch.distributions.uniform
import Uniform``) for the distributions eager defines in shared files: `register` binds each
path as a small module holding the same classes (a plain module object in ``sys.modules``,
nothing generated from source).

    >>> from eager.distributions.uniform import Uniform
    >>> Uniform.__name__
    'Uniform'
"""

from __future__ import annotations

import sys
from types import ModuleType

# torch.distributions submodule -> the names it defines (those not at a path of their own here)
PATHS = {
    "beta": ("Beta",), "binomial": ("Binomial",), "cauchy": ("Cauchy",), "chi2": ("Chi2",),
    "exponential": ("Exponential",), "fishersnedecor": ("FisherSnedecor",),
    "generalized_pareto": ("GeneralizedPareto",), "geometric": ("Geometric",),
    "gumbel": ("Gumbel",), "half_cauchy": ("HalfCauchy",), "half_normal": ("HalfNormal",),
    "inverse_gamma": ("InverseGamma",), "kumaraswamy": ("Kumaraswamy",),
    "laplace": ("Laplace",), "log_normal": ("LogNormal",), "logistic_normal": ("LogisticNormal",),
    "mixture_same_family": ("MixtureSameFamily",), "negative_binomial": ("NegativeBinomial",),
    "one_hot_categorical": ("OneHotCategorical", "OneHotCategoricalStraightThrough"),
    "pareto": ("Pareto",), "poisson": ("Poisson",),
    "relaxed_bernoulli": ("LogitRelaxedBernoulli", "RelaxedBernoulli"),
    "relaxed_categorical": ("ExpRelaxedCategorical", "RelaxedOneHotCategorical"),
    "studentT": ("StudentT",), "transformed_distribution": ("TransformedDistribution",),
    "uniform": ("Uniform",), "weibull": ("Weibull",),
}


def register(package: ModuleType, sources: dict) -> None:
    """Make ``package.<path>`` importable for each entry of `PATHS`, with the classes looked
    up in ``sources`` (a name -> object mapping)."""
    for path, names in PATHS.items():
        module = ModuleType(f"{package.__name__}.{path}",
                            f"PyTorch's path torch.distributions.{path}: {', '.join(names)}.")
        for name in names:
            setattr(module, name, sources[name])
        module.__all__ = list(names)
        sys.modules[module.__name__] = module
        setattr(package, path, module)


__all__ = ["PATHS", "register"]
