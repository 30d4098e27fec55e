"""Multi-task Gaussian-process regression written the usual way with a batch of kernels: a
periodic kernel per task, jitter added only where linalg.cholesky_ex reports a failed
factorisation, torch.cholesky_solve for the weights, the negative log marginal likelihood
minimised with Adam, and the posterior covariance from torch.cholesky_inverse."""
import math

import torch

torch.manual_seed(7)
tasks, n = 3, 20
t = torch.linspace(0, 4, n, dtype=torch.float64)
targets = torch.stack([torch.sin((k + 1) * t) for k in range(tasks)])
targets = targets + 0.05 * torch.randn(tasks, n, dtype=torch.float64)
log_params = torch.zeros(tasks, 3, dtype=torch.float64, requires_grad=True)
optimizer = torch.optim.Adam([log_params], lr=0.03)


def periodic(a, b, period, scale):
    d = (a.unsqueeze(-1) - b.unsqueeze(-2)).abs()
    return scale.unsqueeze(-1).unsqueeze(-1) * torch.exp(
        -2 * torch.sin(math.pi * d / period.unsqueeze(-1).unsqueeze(-1)) ** 2)


def factor(K):
    L, info = torch.linalg.cholesky_ex(K)
    jitter = 1e-8
    while bool(info.any()):
        K = K + jitter * torch.eye(K.shape[-1], dtype=K.dtype)
        L, info = torch.linalg.cholesky_ex(K)
        jitter *= 10
    return L


for step in range(30):
    period, scale, noise = log_params.exp().unbind(-1)
    K = periodic(t, t, period, scale) + noise[:, None, None] * torch.eye(n, dtype=torch.float64)
    L = factor(K)
    alpha = torch.cholesky_solve(targets.unsqueeze(-1), L)
    nll = (0.5 * (targets.unsqueeze(-1) * alpha).sum((-2, -1))
           + L.diagonal(dim1=-2, dim2=-1).log().sum(-1)).sum()
    optimizer.zero_grad()
    nll.backward()
    optimizer.step()
    if step % 10 == 0:
        print(f"step {step} nll {nll.item():.5f}", [round(p, 4) for p in period.tolist()])

with torch.no_grad():
    period, scale, noise = log_params.exp().unbind(-1)
    K = periodic(t, t, period, scale) + noise[:, None, None] * torch.eye(n, dtype=torch.float64)
    L = factor(K)
    K_inv = torch.cholesky_inverse(L)
    print("inverse ok", torch.allclose(K_inv @ K, torch.eye(n, dtype=torch.float64), atol=1e-6))
    ts = torch.tensor([0.3, 2.2, 4.5], dtype=torch.float64)
    Ks = periodic(t, ts, period, scale)
    mean = Ks.mT @ torch.cholesky_solve(targets.unsqueeze(-1), L)
    cov = periodic(ts, ts, period, scale) - Ks.mT @ K_inv @ Ks
    print("mean", [[round(v, 4) for v in row] for row in mean.squeeze(-1).tolist()])
    print("std", [[round(v, 4) for v in row]
                  for row in cov.diagonal(dim1=-2, dim2=-1).clamp_min(0).sqrt().tolist()])
    bad = torch.tensor([[1.0, 2.0], [2.0, 1.0]], dtype=torch.float64)
    print("not positive-definite: info", torch.linalg.cholesky_ex(bad).info.item())
