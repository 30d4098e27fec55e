"""Bayesian logistic regression sampled with Hamiltonian Monte Carlo, the way a stats course
notebook writes it: a log posterior from torch.distributions (Normal prior, Bernoulli
likelihood with logits), gradients by autograd.grad, a leapfrog integrator, Metropolis
accept/reject with torch.rand, step-size adaptation during warm-up, and posterior summaries
(mean, std, quantiles, effective sample size by autocorrelation)."""

import torch
from torch.distributions import Bernoulli, Normal

torch.manual_seed(2024)
torch.set_default_dtype(torch.float64)
n, d = 120, 3
X = torch.cat([torch.ones(n, 1), torch.randn(n, d - 1)], dim=1)
beta_true = torch.tensor([-0.5, 1.5, -2.0])
y = Bernoulli(logits=X @ beta_true).sample()
prior = Normal(0.0, 2.0)


def log_post(beta):
    return prior.log_prob(beta).sum() + Bernoulli(logits=X @ beta).log_prob(y).sum()


def grad_log_post(beta):
    beta = beta.detach().requires_grad_(True)
    lp = log_post(beta)
    (g,) = torch.autograd.grad(lp, beta)
    return lp.detach(), g


def leapfrog(q, p, eps, steps):
    lp, g = grad_log_post(q)
    p = p + 0.5 * eps * g
    for i in range(steps):
        q = q + eps * p
        lp, g = grad_log_post(q)
        if i != steps - 1:
            p = p + eps * g
    p = p + 0.5 * eps * g
    return q, p, lp


def hmc(q0, n_samples, n_warmup, eps=0.05, steps=10, target_accept=0.75):
    q = q0.clone()
    lp, _ = grad_log_post(q)
    samples, accepts = [], []
    for it in range(n_samples + n_warmup):
        p0 = torch.randn_like(q)
        q_new, p_new, lp_new = leapfrog(q, p0, eps, steps)
        h0 = -lp + 0.5 * p0.dot(p0)
        h1 = -lp_new + 0.5 * p_new.dot(p_new)
        accept_prob = torch.exp(torch.clamp(h0 - h1, max=0.0))
        accepted = torch.rand(()) < accept_prob
        if accepted:
            q, lp = q_new, lp_new
        if it < n_warmup:
            eps = eps * (1.02 if accept_prob > target_accept else 0.98)
        else:
            samples.append(q.clone())
            accepts.append(accepted.item())
    return torch.stack(samples), sum(accepts) / len(accepts), eps


# MAP start by a few Newton steps (Hessian from autograd.functional)
beta = torch.zeros(d)
for _ in range(6):
    g = torch.func.grad(log_post)(beta) if hasattr(torch, "func") else None
    H = torch.autograd.functional.hessian(log_post, beta)
    beta = beta - torch.linalg.solve(H, g)
print("MAP", beta)
cov_laplace = torch.linalg.inv(-torch.autograd.functional.hessian(log_post, beta))
print("Laplace std", cov_laplace.diagonal().sqrt())

samples, acc, eps = hmc(beta, n_samples=300, n_warmup=100)
print(f"accept rate {acc:.3f} final eps {eps:.5f}")
print("posterior mean", samples.mean(0))
print("posterior std", samples.std(0))
q = torch.quantile(samples, torch.tensor([0.05, 0.5, 0.95]), dim=0)
print("5/50/95%\n", q)


def ess(chain):
    x = chain - chain.mean()
    n = x.shape[0]
    acov = torch.stack([(x[: n - k] * x[k:]).sum() / n for k in range(50)])
    rho = acov / acov[0]
    neg = torch.nonzero(rho < 0)
    cut = neg[0, 0].item() if neg.numel() else 50
    return n / (1 + 2 * rho[1:cut].sum())


print("ESS", [round(ess(samples[:, j]).item(), 2) for j in range(d)])
probs = torch.sigmoid(X[:5] @ samples.T).mean(1)
print("posterior predictive", probs)
print(
    "default dtype", torch.get_default_dtype(), torch.tensor([1.0]).dtype, torch.arange(3.0).dtype
)
