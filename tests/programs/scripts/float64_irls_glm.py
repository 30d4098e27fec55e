"""Generalised linear models fitted the statistician's way, with float64 as the default dtype:
logistic and Poisson regression by iteratively reweighted least squares (linalg.solve on the
weighted normal equations, cholesky for standard errors), Wald z-scores and two-sided p-values
from the normal CDF (special.ndtr), deviance and AIC, and a comparison with Adam-fitted and
LBFGS-fitted nn.Linear models; printing of float64 tensors under the changed default."""

import math

import torch
import torch.nn as nn
from torch import special

torch.set_default_dtype(torch.float64)
torch.manual_seed(2)
n, p = 200, 3
X = torch.cat([torch.ones(n, 1), torch.randn(n, p - 1)], 1)
beta_true = torch.tensor([0.3, -1.2, 0.8])
y_bin = torch.bernoulli(torch.sigmoid(X @ beta_true))
y_cnt = torch.poisson(torch.exp(0.5 * X @ beta_true))
print(
    "defaults",
    torch.get_default_dtype(),
    torch.tensor([1.5]).dtype,
    torch.arange(3.0).dtype,
    torch.linspace(0, 1, 3).dtype,
    torch.zeros(2).dtype,
    torch.tensor([1, 2]).dtype,
)
print(torch.tensor([1.0, 2.5]), torch.full((2,), 0.1), torch.tensor(3.0))
print(torch.tensor([1.0], dtype=torch.float32), torch.randn(2).dtype, nn.Linear(2, 1).weight.dtype)


def irls(X, y, family, iters=25):
    beta = torch.zeros(X.shape[1])
    for it in range(iters):
        done = it
        eta = X @ beta
        if family == "binomial":
            mu = torch.sigmoid(eta)
            w = mu * (1 - mu)
        else:
            mu = torch.exp(eta)
            w = mu
        z = eta + (y - mu) / w
        XtW = X.T * w
        beta_new = torch.linalg.solve(XtW @ X, XtW @ z)
        if torch.linalg.vector_norm(beta_new - beta) < 1e-10:
            beta = beta_new
            break
        beta = beta_new
    L = torch.linalg.cholesky(XtW @ X)
    cov = torch.cholesky_inverse(L)
    return beta, cov.diagonal().sqrt(), done


def deviance(y, mu, family):
    if family == "binomial":
        return -2 * (special.xlogy(y, mu) + special.xlogy(1 - y, 1 - mu)).sum()
    return 2 * (special.xlogy(y, y / mu) - (y - mu)).sum()


for family, y in [("binomial", y_bin), ("poisson", y_cnt)]:
    beta, se, its = irls(X, y, family)
    zscore = beta / se
    pval = 2 * special.ndtr(-zscore.abs())
    mu = torch.sigmoid(X @ beta) if family == "binomial" else torch.exp(X @ beta)
    dev = deviance(y, mu, family)
    print(f"{family}: iterations {its}")
    print("  coef", beta)
    print("  se  ", se)
    print("  z   ", zscore)
    print("  p   ", pval)
    print(f"  deviance {dev.item():.6f} AIC {(dev + 2 * p).item():.6f}")

model = nn.Linear(p - 1, 1)
opt = torch.optim.Adam(model.parameters(), lr=0.05)
loss_fn = nn.BCEWithLogitsLoss()
for _ in range(200):
    loss = loss_fn(model(X[:, 1:]).squeeze(1), y_bin)
    opt.zero_grad()
    loss.backward()
    opt.step()
print("adam", model.bias.item(), model.weight.detach().squeeze().tolist(), loss.item())
model2 = nn.Linear(p - 1, 1)
lbfgs = torch.optim.LBFGS(
    model2.parameters(), max_iter=100, tolerance_grad=1e-10, line_search_fn="strong_wolfe"
)


def closure():
    lbfgs.zero_grad()
    loss = nn.functional.poisson_nll_loss(model2(X[:, 1:]).squeeze(1), y_cnt, log_input=True)
    loss.backward()
    return loss


lbfgs.step(closure)
print("lbfgs poisson", model2.bias.item(), model2.weight.detach().squeeze().tolist())
print(
    "log-likelihood",
    torch.distributions.Poisson(torch.exp(model2(X[:, 1:]).squeeze(1)))
    .log_prob(y_cnt)
    .sum()
    .item(),
)
print("pi as tensor", torch.tensor(math.pi), torch.tensor(math.pi).item() == math.pi)
