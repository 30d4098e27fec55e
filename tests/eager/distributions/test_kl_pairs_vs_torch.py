"""Every KL pair torch registers among the univariate families eager has, against
torch.distributions.kl_divergence (finite values, the infinite ones, and the pairs neither
implements), plus the low-rank / full multivariate normal pairs."""

from __future__ import annotations

import numpy as np
import pytest
from dist_vs_torch import univariate_families

import eager

torch = pytest.importorskip("torch")
NAMES = list(univariate_families(torch))


@pytest.mark.parametrize("p", NAMES)
def test_kl_from_p_to_every_family_matches_torch(p):
    e_families, t_families = univariate_families(eager), univariate_families(torch)
    e_p, t_p = e_families[p](), t_families[p]()
    for q in NAMES:
        try:
            expected = torch.distributions.kl_divergence(t_p, t_families[q]())
        except NotImplementedError:
            # (torch's message differs where it tries its ExponentialFamily Bregman form)
            with pytest.raises(NotImplementedError):
                eager.distributions.kl_divergence(e_p, e_families[q]())
            continue
        got = eager.distributions.kl_divergence(e_p, e_families[q]())
        np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-9, atol=1e-12,
                                   err_msg=f"KL({p} || {q})")


def normals(L):
    D = L.distributions
    lowrank = D.LowRankMultivariateNormal(
        L.tensor([[0.0, 1.0], [1.0, 2.0]], dtype=L.float64),
        L.tensor([[[1.0], [0.5]], [[0.3], [2.0]]], dtype=L.float64),
        L.tensor([1.0, 2.0], dtype=L.float64))
    full = D.MultivariateNormal(L.tensor([0.5, -1.0], dtype=L.float64),
                                scale_tril=L.tensor([[1.0, 0.0], [0.4, 0.7]], dtype=L.float64))
    return lowrank, full


@pytest.mark.parametrize("pair", [(0, 0), (0, 1), (1, 0)])
def test_lowrank_kl_pairs(pair):
    e, t = normals(eager), normals(torch)
    got = eager.distributions.kl_divergence(e[pair[0]], e[pair[1]])
    expected = torch.distributions.kl_divergence(t[pair[0]], t[pair[1]])
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-10, atol=1e-12)
