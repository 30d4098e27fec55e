"""Programs using torch as a scientific-computing library, in the manner of blog posts, course
notebooks and research code, print the same under torch and with only their imports changed
to eager's (issue 16): a spring-mass chain and an n-body system with forces from
autograd.grad(create_graph=True), velocity Verlet and a spring constant fitted through the
simulation; NeRF in miniature (positional encoding, cumprod transmittance, searchsorted
inverse-CDF fine samples); k-means and k-medoids with cdist, bincount, index_add_ and
silhouettes; Bayesian logistic regression by HMC (leapfrog, Metropolis with torch.rand,
Laplace from autograd.functional.hessian) under float64 as the default dtype; trapezoid,
cumulative_trapezoid, diff and gradient, meshgrid and a finite-difference heat equation;
integer semantics (floor and trunc division, remainder vs fmod, int8/uint8 wrap-around, a
xorshift hash, bit packing by shifts and sum(dtype=uint8), promotion, result_type, can_cast);
group-by statistics with unique(dim=, return_inverse=, return_counts=), unique_consecutive,
stable sorts, scatter_reduce(include_self=False), index_reduce and take_along_dim; classic
image filters (Sobel and Gaussian conv2d, Harris corners, affine_grid/grid_sample warps,
pixel_shuffle, unfold/fold, flip/rot90/fliplr, area resizing); tensordot, kron, block_diag,
cartesian_prod, combinations, cdist over p, pdist, dist, logcumsumexp and logaddexp2; Monte
Carlo estimates with quantile (five interpolations), nanquantile, kthvalue, median and mode;
histc, histogram, histogramdd, bucketize and searchsorted(side=, sorter=) with empirical CDFs
and KS statistics; torch.testing.assert_close messages, isclose/allclose(equal_nan=) and
nan_to_num; a Kalman filter and RTS smoother (cholesky_ex, MultivariateNormal, process noise
learnt through the filter); and maximum-likelihood fits of Gamma, Beta, StudentT,
NegativeBinomial and a Gaussian mixture (transform_to, MixtureSameFamily, Independent, KL);
and PCA by cov/eigh, a thin SVD and pca_lowrank/svd_lowrank, with corrcoef and whitening;
and statistics with torch.special (erfinv/ndtri quantiles, log_ndtr and erfcx tails, xlogy
entropies, Student-t and von Mises densities by gammaln, i0e and i1e, a Dirichlet-multinomial
fit, Gamma MLE by digamma/polygamma Newton steps, multigammaln and Hurwitz zeta); lattice
models (checkerboard Metropolis Ising with torch.roll, Game of Life as a circular-padded
conv2d, rule 30 by shifts); LQR by Riccati iteration on a matrix_exp discretisation, a gain
learnt through rollouts and an LBFGS trajectory; GLMs by IRLS under float64 as the default
dtype (cholesky_inverse standard errors, ndtr p-values, deviance); and rolling statistics,
EMA, FIR and Savitzky-Golay conv1d filters, autocorrelation and max_pool1d peaks; option
pricing (Black-Scholes Greeks by autograd to second order, antithetic Monte Carlo with a
control variate, pathwise delta, VaR, implied volatility by Newton); and Bayesian
optimisation (Matern and RBF GPs fitted with cholesky_ex and cholesky_solve, expected
improvement from Normal cdf and log_prob, polished by gradient ascent); and kernel density
estimation with leave-one-out bandwidths (fill_diagonal_, logsumexp, quantile IQR) and
mean-shift modes merged by unique(dim=0)."""

from __future__ import annotations

import pytest
from program_runner import check_program

pytest.importorskip("torch")


@pytest.mark.filterwarnings("ignore:index_reduce\\(\\) is in beta:UserWarning")
@pytest.mark.parametrize("name", ["spring_mass_autograd", "nerf_volume_render",
                                  "kmedoids_silhouette", "hmc_bayes_logreg",
                                  "heat_equation_calculus", "integer_bit_tricks",
                                  "groupby_unique_sort", "image_filters_warps",
                                  "tensor_algebra_tour", "monte_carlo_quantiles",
                                  "histogram_binning", "assert_close_checks",
                                  "kalman_rts_smoother", "distributions_mle_fitting",
                                  "fno_spectral_conv", "pca_cov_lowrank",
                                  "special_functions_stats", "stft_audio_classifier",
                                  "spectral_audio_features",
                                  "ising_life_automata", "lqr_riccati_control",
                                  "float64_irls_glm", "signal_rolling_filters",
                                  "option_pricing_mc", "bayesopt_gp_ei",
                                  "kde_mean_shift"])
def test_program_prints_the_same_under_eager(name, tmp_path):
    check_program(name, tmp_path)
