"""Argument and sample validation of the newer distributions raise torch's exception with
torch's exact message (which prints the offending tensor and the distribution)."""

from __future__ import annotations

import pytest

import eager

torch = pytest.importorskip("torch")
NAN = float("nan")
CASES = {
    "gumbel-scale": lambda D, L: D.Gumbel(L.tensor([0.0]), L.tensor([-1.0]), validate_args=True),
    "vonmises": lambda D, L: D.VonMises(L.tensor([0.0]), L.tensor([-1.0]), validate_args=True),
    "weibull": lambda D, L: D.Weibull(L.tensor([1.0]), L.tensor([-1.0]), validate_args=True),
    "kumaraswamy": lambda D, L: D.Kumaraswamy(L.tensor([1.0]), L.tensor([-1.0]),
                                              validate_args=True),
    "lowrank-diag": lambda D, L: D.LowRankMultivariateNormal(
        L.zeros(2), L.ones(2, 1), L.tensor([1.0, -1.0]), validate_args=True),
    "relaxed-probs": lambda D, L: D.RelaxedBernoulli(L.tensor(0.5), probs=L.tensor([1.5]),
                                                     validate_args=True),
    "multinomial-probs": lambda D, L: D.Multinomial(3, probs=L.tensor([0.5, -0.5]),
                                                    validate_args=True),
    "lkj": lambda D, L: D.LKJCholesky(3, L.tensor(-1.0), validate_args=True),
    "gen-pareto": lambda D, L: D.GeneralizedPareto(L.tensor(0.0), L.tensor(-1.0),
                                                   L.tensor(0.0), validate_args=True),
    "gumbel-nan-value": lambda D, L: D.Gumbel(L.tensor([0.0]), L.tensor([1.0]),
                                              validate_args=True).log_prob(L.tensor([[NAN]])),
    "wishart-tril": lambda D, L: D.Wishart(L.tensor(4.0), scale_tril=L.tensor(
        [[1.0, 0.0], [0.0, -1.0]]), validate_args=True),
    "halfcauchy-value": lambda D, L: D.HalfCauchy(L.tensor([1.0]),
                                                  validate_args=True).log_prob(L.tensor([-1.0])),
}


@pytest.mark.parametrize("name", list(CASES))
def test_same_exception_and_message(name):
    with pytest.raises(Exception) as expected:  # noqa: B017,PT011 (torch's, whatever it is)
        CASES[name](torch.distributions, torch)
    with pytest.raises(type(expected.value)) as ours:
        CASES[name](eager.distributions, eager)
    assert str(ours.value) == str(expected.value)
