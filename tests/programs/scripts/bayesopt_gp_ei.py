"""Bayesian optimisation of a 1-D function with a Gaussian process, as a tutorial writes it from
scratch: Matern-5/2 and RBF kernels from cdist, hyperparameters by maximising the marginal
likelihood (Adam on softplus-constrained parameters, cholesky_ex with growing jitter,
cholesky_solve), the expected-improvement acquisition from Normal cdf/log_prob, its maximiser by
a grid plus gradient ascent, and the regret after each evaluation."""

import math

import torch
import torch.nn.functional as F
from torch.distributions import Normal

torch.manual_seed(5)
torch.set_default_dtype(torch.float64)


def objective(x):
    return torch.sin(3 * x) + 0.5 * torch.cos(7 * x) - 0.2 * x


def matern52(a, b, ls, var):
    d = torch.cdist(a, b) / ls
    s5 = math.sqrt(5.0) * d
    return var * (1 + s5 + 5.0 / 3.0 * d**2) * torch.exp(-s5)


def rbf(a, b, ls, var):
    return var * torch.exp(-0.5 * torch.cdist(a, b, p=2.0).pow(2) / ls**2)


def stable_cholesky(K):
    jitter = 1e-8
    L, info = torch.linalg.cholesky_ex(K)
    while info.item() > 0:
        L, info = torch.linalg.cholesky_ex(K + jitter * torch.eye(K.shape[0]))
        jitter *= 10
    return L


def fit_gp(X, y, kernel, steps=60):
    raw = torch.zeros(3, requires_grad=True)
    opt = torch.optim.Adam([raw], lr=0.08)
    for _ in range(steps):
        ls, var, noise = F.softplus(raw) + 1e-4
        K = kernel(X, X, ls, var) + noise * torch.eye(len(X))
        L = stable_cholesky(K)
        alpha = torch.cholesky_solve(y.unsqueeze(1), L)
        nll = (
            0.5 * (y.unsqueeze(1) * alpha).sum()
            + L.diagonal().log().sum()
            + 0.5 * len(X) * math.log(2 * math.pi)
        )
        opt.zero_grad()
        nll.backward()
        opt.step()
    return [p.detach() for p in F.softplus(raw) + 1e-4], nll.item()


def posterior(Xs, X, y, kernel, params):
    ls, var, noise = params
    L = stable_cholesky(kernel(X, X, ls, var) + noise * torch.eye(len(X)))
    Ks = kernel(X, Xs, ls, var)
    mean = Ks.T @ torch.cholesky_solve(y.unsqueeze(1), L)
    v = torch.linalg.solve_triangular(L, Ks, upper=False)
    std = (var - (v * v).sum(0)).clamp_min(1e-12).sqrt()
    return mean.squeeze(1), std


def expected_improvement(mu, std, best):
    z = (mu - best) / std
    n = Normal(0.0, 1.0)
    return (mu - best) * n.cdf(z) + std * n.log_prob(z).exp()


grid = torch.linspace(0, 3, 301).unsqueeze(1)
f_grid = objective(grid).squeeze(1)
true_best = f_grid.max()
X = torch.tensor([[0.3], [1.5], [2.7]])
y = objective(X).squeeze(1)
for kernel in (matern52, rbf):
    Xk, yk = X.clone(), y.clone()
    for it in range(6):
        params, nll = fit_gp(Xk, (yk - yk.mean()) / yk.std(), kernel)
        mu, sd = posterior(grid, Xk, (yk - yk.mean()) / yk.std(), kernel, params)
        ei = expected_improvement(mu, sd, ((yk - yk.mean()) / yk.std()).max())
        x0 = grid[ei.argmax()].clone().requires_grad_(True)
        for _ in range(10):  # polish the grid maximiser by gradient ascent on EI
            m, s = posterior(x0.view(1, 1), Xk, (yk - yk.mean()) / yk.std(), kernel, params)
            a = expected_improvement(m, s, ((yk - yk.mean()) / yk.std()).max())
            (g,) = torch.autograd.grad(a.sum(), x0)
            with torch.no_grad():
                x0 += 0.05 * g.sign() * g.abs().clamp(max=1.0)
                x0.clamp_(0.0, 3.0)
        Xk = torch.cat([Xk, x0.detach().view(1, 1)])
        yk = torch.cat([yk, objective(x0.detach())])
        print(
            f"{kernel.__name__} it {it} x {x0.item():.4f} y {yk[-1].item():.4f} "
            f"regret {(true_best - yk.max()).item():.5f} nll {nll:.4f} "
            f"ls {params[0].item():.4f} ei {ei.max().item():.5f}"
        )
print("best found", Xk[yk.argmax()].item(), "true", grid[f_grid.argmax()].item())
