"""Full-batch fitting with LBFGS and its strong-Wolfe line search, as scientific scripts use
it where Adam is too slow, in double precision: a logistic regression
(weight decay written into the loss), a damped-oscillation model fitted to noisy samples,
and a small tanh network regressing a curve (a short history)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(13)

# 1. Logistic regression: the closure returns the penalised loss.
features = torch.randn(200, 5, dtype=torch.float64)
true_w = torch.tensor([1.5, -2.0, 0.0, 0.7, 0.3], dtype=torch.float64)
labels = (features @ true_w + 0.3 * torch.randn(200, dtype=torch.float64) > 0).double()
clf = nn.Linear(5, 1).double()
opt = torch.optim.LBFGS(clf.parameters(), lr=1, max_iter=25, line_search_fn="strong_wolfe")


def classify():
    opt.zero_grad()
    logits = clf(features).squeeze(1)
    penalty = 1e-3 * clf.weight.pow(2).sum()
    loss = F.binary_cross_entropy_with_logits(logits, labels) + penalty
    loss.backward()
    return loss


for step in range(3):
    before = opt.step(classify)
    print(f"logistic step {step}: loss before {before.item():.5f}")
accuracy = ((clf(features).squeeze(1) > 0).float() == labels).float().mean()
print(f"accuracy {accuracy.item():.3f}, weights {[round(w, 2) for w in clf.weight[0].tolist()]}")
print("evaluations", opt.state[clf.weight]["func_evals"], "iterations",
      opt.state[clf.weight]["n_iter"])

# 2. A damped oscillation a * exp(-b t) * cos(w t + p), its four parameters fitted at once.
t = torch.linspace(0, 6, 120, dtype=torch.float64)
observed = 2.0 * torch.exp(-0.4 * t) * torch.cos(3.0 * t + 0.5)
observed = observed + 0.05 * torch.randn(120, dtype=torch.float64)
params = torch.tensor([1.0, 0.1, 2.8, 0.0], dtype=torch.float64, requires_grad=True)
fit = torch.optim.LBFGS([params], max_iter=50, tolerance_change=1e-12,
                        line_search_fn="strong_wolfe")


def residual():
    fit.zero_grad()
    a, b, w, p = params
    loss = ((a * torch.exp(-b * t) * torch.cos(w * t + p) - observed) ** 2).mean()
    loss.backward()
    return loss


for _ in range(2):
    fit.step(residual)
a, b, w, p = params.tolist()
print(f"a={a:.3f} b={b:.3f} w={w:.3f} phase={math.remainder(p, 2 * math.pi):.3f}")
print(f"final mse {residual().item():.6f}")

# 3. A tanh network regressing x * sin(x), history_size=5.
x = torch.linspace(-3, 3, 64, dtype=torch.float64).unsqueeze(1)
y = x * torch.sin(x)
net = nn.Sequential(nn.Linear(1, 12), nn.Tanh(), nn.Linear(12, 1)).double()
net_opt = torch.optim.LBFGS(net.parameters(), history_size=5, max_iter=10,
                            line_search_fn="strong_wolfe")


def regress():
    net_opt.zero_grad()
    loss = F.mse_loss(net(x), y)
    loss.backward()
    return loss


for epoch in range(4):
    loss = net_opt.step(regress)
    print(f"net epoch {epoch}: {loss.item():.6f}")
print(f"net final {regress().item():.6f}")
