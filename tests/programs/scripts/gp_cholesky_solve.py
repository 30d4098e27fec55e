"""Exact Gaussian-process regression with learned hyperparameters: an RBF kernel from cdist,
Cholesky factorisation (linalg.cholesky, cholesky_solve, solve_triangular), the negative log
marginal likelihood with log-diagonal terms, softplus-constrained parameters, Adam, and the
predictive mean and variance."""
import math

import torch
import torch.nn.functional as F

torch.manual_seed(43)
X = torch.linspace(0, 5, 25, dtype=torch.float64).unsqueeze(1)
y = torch.sin(X).squeeze(1) + 0.1 * torch.randn(25, dtype=torch.float64)
raw = torch.zeros(3, dtype=torch.float64, requires_grad=True)
opt = torch.optim.Adam([raw], lr=0.05)


def kernel(a, b, ls, var):
    return var * torch.exp(-0.5 * torch.cdist(a, b).pow(2) / ls ** 2)


for step in range(40):
    ls, var, noise = F.softplus(raw).unbind()
    K = kernel(X, X, ls, var) + (noise + 1e-6) * torch.eye(25, dtype=torch.float64)
    L = torch.linalg.cholesky(K)
    alpha = torch.cholesky_solve(y.unsqueeze(1), L)
    nll = 0.5 * (y.unsqueeze(1) * alpha).sum() + torch.log(torch.diagonal(L)).sum() \
        + 0.5 * 25 * math.log(2 * math.pi)
    opt.zero_grad()
    nll.backward()
    opt.step()
    if step % 8 == 0:
        print(f"step {step} nll {nll.item():.6f} ls {ls.item():.4f} var {var.item():.4f} "
              f"noise {noise.item():.5f}")
with torch.no_grad():
    ls, var, noise = F.softplus(raw)
    Xs = torch.tensor([[0.5], [2.5], [6.0]], dtype=torch.float64)
    K = kernel(X, X, ls, var) + noise * torch.eye(25, dtype=torch.float64)
    L = torch.linalg.cholesky(K)
    Ks = kernel(X, Xs, ls, var)
    v = torch.linalg.solve_triangular(L, Ks, upper=False)
    mean = Ks.T @ torch.cholesky_solve(y.unsqueeze(1), L)
    varp = var - (v * v).sum(0)
print("mean", [round(m, 4) for m in mean.squeeze(1).tolist()],
      "std", [round(s, 4) for s in varp.sqrt().tolist()])
print("logdet", round(torch.logdet(K).item(), 4), round(2 * L.diagonal().log().sum().item(), 4),
      round(torch.linalg.slogdet(K)[1].item(), 4))
