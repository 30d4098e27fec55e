"""The KL divergences PyTorch registers between same-family pairs of the newer distributions
(ContinuousBernoulli, Gumbel, HalfNormal, Pareto, Cauchy), between the low-rank and full
multivariate normals, and the Bregman form between two of one exponential family; registered
into `kl_divergence`'s table (imported for that effect).

    >>> import eager
    >>> from eager.distributions import Cauchy, kl_divergence
    >>> kl_divergence(Cauchy(0.0, 1.0), Cauchy(1.0, 2.0))
    tensor(0.2231)
"""

from __future__ import annotations

import math
from typing import Any

import eager

from .continuous import Cauchy
from .continuous_bernoulli import ContinuousBernoulli
from .exp_family import ExponentialFamily
from .kl import kl_divergence, register_kl
from .lowrank_multivariate_normal import (
    LowRankMultivariateNormal,
    lowrank_logdet,
    lowrank_mahalanobis,
)
from .multivariate_normal import MultivariateNormal, batch_mahalanobis
from .transformed_families import EULER_CONSTANT, Gumbel, HalfNormal, Pareto
from .utils import sum_rightmost


def batch_trace_xxt(matrices: Any) -> Any:
    """``trace(X X^T)`` of each matrix of a batch (the sum of its squares)."""
    flat = matrices.reshape(-1, matrices.size(-2) * matrices.size(-1)).pow(2).sum(-1)
    return flat.reshape(tuple(matrices.shape[:-2]))


@register_kl(ExponentialFamily, ExponentialFamily)
def bregman_kl(p: ExponentialFamily, q: ExponentialFamily) -> Any:
    """KL(p || q) for two of one exponential family: the Bregman divergence of the
    log-normalizer between their natural parameters (PyTorch's fallback for the family)."""
    if type(p) is not type(q):
        raise NotImplementedError("The cross KL-divergence between different exponential "
                                  "families cannot                             be computed "
                                  "using Bregman divergences")
    p_params = [param.detach().requires_grad_() for param in p._natural_params]
    q_params = q._natural_params
    log_normalizer = p._log_normalizer(*p_params)
    grads = eager.autograd.grad(log_normalizer.sum(), p_params)
    result = q._log_normalizer(*q_params) - log_normalizer
    for p_param, q_param, grad in zip(p_params, q_params, grads, strict=True):
        result = result - sum_rightmost((q_param - p_param) * grad, len(q.event_shape))
    return result


@register_kl(ContinuousBernoulli, ContinuousBernoulli)
def _kl_cb_cb(p: ContinuousBernoulli, q: ContinuousBernoulli) -> Any:
    t1 = p.mean * (p.logits - q.logits)
    t2 = p._cont_bern_log_norm() + eager.log1p(-p.probs)
    t3 = -q._cont_bern_log_norm() - eager.log1p(-q.probs)
    return t1 + t2 + t3


@register_kl(Gumbel, Gumbel)
def _kl_gumbel_gumbel(p: Gumbel, q: Gumbel) -> Any:
    ct1, ct2, ct3 = p.scale / q.scale, q.loc / q.scale, p.loc / q.scale
    t1 = -ct1.log() - ct2 + ct3
    t3 = eager.exp(ct2 + (1 + ct1).lgamma() - ct3)
    return t1 + ct1 * EULER_CONSTANT + t3 - (1 + EULER_CONSTANT)


@register_kl(HalfNormal, HalfNormal)
def _kl_halfnormal_halfnormal(p: HalfNormal, q: HalfNormal) -> Any:
    return kl_divergence(p.base_dist, q.base_dist)


@register_kl(Pareto, Pareto)
def _kl_pareto_pareto(p: Pareto, q: Pareto) -> Any:
    alpha_ratio = q.alpha / p.alpha
    result = q.alpha * (p.scale / q.scale).log() - alpha_ratio.log() + alpha_ratio - 1
    # p puts mass below q's minimum: infinite
    return eager.where(p.support.lower_bound < q.support.lower_bound, math.inf, result)


@register_kl(Cauchy, Cauchy)
def _kl_cauchy_cauchy(p: Cauchy, q: Cauchy) -> Any:
    t1 = ((p.scale + q.scale).pow(2) + (p.loc - q.loc).pow(2)).log()
    return t1 - (4 * p.scale * q.scale).log()


def _same_event(p: Any, q: Any, what: str) -> None:
    if p.event_shape != q.event_shape:
        raise ValueError(f"KL-divergence between two {what} with different event shapes "
                         "cannot be computed")


def _q_whitened_factor(q: LowRankMultivariateNormal) -> Any:
    # C^-1 W^T D^-1 of q, C its capacitance factor
    wt_dinv = q._unbroadcasted_cov_factor.mT / q._unbroadcasted_cov_diag.unsqueeze(-2)
    return eager.linalg.solve_triangular(q._capacitance_tril, wt_dinv, upper=False)


def _logdet(d: LowRankMultivariateNormal) -> Any:
    return lowrank_logdet(d._unbroadcasted_cov_factor, d._unbroadcasted_cov_diag,
                          d._capacitance_tril)


def _q_mahalanobis(p: Any, q: LowRankMultivariateNormal) -> Any:
    return lowrank_mahalanobis(q._unbroadcasted_cov_factor, q._unbroadcasted_cov_diag,
                               q.loc - p.loc, q._capacitance_tril)


@register_kl(LowRankMultivariateNormal, LowRankMultivariateNormal)
def _kl_lowrank_lowrank(p: LowRankMultivariateNormal, q: LowRankMultivariateNormal) -> Any:
    _same_event(p, q, "Low Rank Multivariate Normals")
    a = _q_whitened_factor(q)
    term21 = (p._unbroadcasted_cov_diag / q._unbroadcasted_cov_diag).sum(-1)
    term22 = batch_trace_xxt(p._unbroadcasted_cov_factor
                             * q._unbroadcasted_cov_diag.rsqrt().unsqueeze(-1))
    term23 = batch_trace_xxt(a * p._unbroadcasted_cov_diag.sqrt().unsqueeze(-2))
    term24 = batch_trace_xxt(a.matmul(p._unbroadcasted_cov_factor))
    term2 = term21 + term22 - term23 - term24
    return 0.5 * (_logdet(q) - _logdet(p) + term2 + _q_mahalanobis(p, q) - p.event_shape[0])


def _half_log_det(d: MultivariateNormal) -> Any:
    return d._unbroadcasted_scale_tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)


@register_kl(MultivariateNormal, LowRankMultivariateNormal)
def _kl_mvn_lowrank(p: MultivariateNormal, q: LowRankMultivariateNormal) -> Any:
    _same_event(p, q, "(Low Rank) Multivariate Normals")
    a = _q_whitened_factor(q)
    term21 = batch_trace_xxt(p._unbroadcasted_scale_tril
                             * q._unbroadcasted_cov_diag.rsqrt().unsqueeze(-1))
    term22 = batch_trace_xxt(a.matmul(p._unbroadcasted_scale_tril))
    term1 = _logdet(q) - 2 * _half_log_det(p)
    return 0.5 * (term1 + term21 - term22 + _q_mahalanobis(p, q) - p.event_shape[0])


@register_kl(LowRankMultivariateNormal, MultivariateNormal)
def _kl_lowrank_mvn(p: LowRankMultivariateNormal, q: MultivariateNormal) -> Any:
    _same_event(p, q, "(Low Rank) Multivariate Normals")
    term1 = 2 * _half_log_det(q) - _logdet(p)
    term3 = batch_mahalanobis(q._unbroadcasted_scale_tril, q.loc - p.loc)
    n = p.event_shape[0]
    batch = tuple(eager.broadcast_shapes(tuple(q._unbroadcasted_scale_tril.shape[:-2]),
                                         tuple(p._unbroadcasted_cov_factor.shape[:-2])))
    q_tril = q._unbroadcasted_scale_tril.expand(batch + (n, n))
    p_factor = p._unbroadcasted_cov_factor.expand(batch + (n, p.cov_factor.size(-1)))
    eye = eager.eye(n, dtype=p.loc.dtype)
    p_diag = (p._unbroadcasted_cov_diag.sqrt().unsqueeze(-1) * eye).expand(batch + (n, n))
    term21 = batch_trace_xxt(eager.linalg.solve_triangular(q_tril, p_factor, upper=False))
    term22 = batch_trace_xxt(eager.linalg.solve_triangular(q_tril, p_diag, upper=False))
    return 0.5 * (term1 + term21 + term22 + term3 - n)


__all__ = ["batch_trace_xxt", "bregman_kl"]
