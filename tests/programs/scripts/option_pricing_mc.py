"""Quantitative-finance notebook: Black-Scholes prices and Greeks in closed form (special.ndtr,
Normal.log_prob), the same Greeks by autograd (first and second order through
autograd.grad(create_graph=True)), Monte Carlo pricing over geometric Brownian motion paths
(cumsum of log-returns, antithetic and control variates), pathwise delta, an Asian option,
value-at-risk by quantile, and implied volatility by Newton's method with autograd vega."""

import math

import torch
from torch.distributions import Normal

torch.manual_seed(77)
torch.set_default_dtype(torch.float64)
std_normal = Normal(0.0, 1.0)


def black_scholes(S, K, T, r, sigma, call=True):
    d1 = (torch.log(S / K) + (r + 0.5 * sigma**2) * T) / (sigma * torch.sqrt(T))
    d2 = d1 - sigma * torch.sqrt(T)
    if call:
        return S * torch.special.ndtr(d1) - K * torch.exp(-r * T) * torch.special.ndtr(d2)
    return K * torch.exp(-r * T) * torch.special.ndtr(-d2) - S * torch.special.ndtr(-d1)


S = torch.tensor(100.0, requires_grad=True)
sigma = torch.tensor(0.2, requires_grad=True)
T = torch.tensor(1.0, requires_grad=True)
K, r = torch.tensor(105.0), torch.tensor(0.03)
price = black_scholes(S, K, T, r, sigma)
delta, vega, theta = torch.autograd.grad(price, (S, sigma, T), create_graph=True)
(gamma,) = torch.autograd.grad(delta, S)
d1 = ((torch.log(S / K) + (r + 0.5 * sigma**2) * T) / (sigma * torch.sqrt(T))).detach()
pdf = std_normal.log_prob(d1).exp()
print(
    f"price {price.item():.6f} delta {delta.item():.6f} "
    f"(closed {torch.special.ndtr(d1).item():.6f})"
)
print(f"vega {vega.item():.6f} (closed {(S.detach() * pdf).item():.6f}) theta {-theta.item():.6f}")
print(f"gamma {gamma.item():.6f} (closed {(pdf / (S.detach() * 0.2)).item():.6f})")
put = black_scholes(S.detach(), K, T.detach(), r, sigma.detach(), call=False)
print(
    "put-call parity",
    round((price.detach() - put).item(), 8),
    round((S.detach() - K * torch.exp(-r * T.detach())).item(), 8),
)

n_paths, n_steps = 20000, 50
dt = 1.0 / n_steps
z = torch.randn(n_paths // 2, n_steps)
z = torch.cat([z, -z])  # antithetic pairs
S0 = torch.tensor(100.0, requires_grad=True)
log_paths = torch.cumsum((r - 0.5 * 0.2**2) * dt + 0.2 * math.sqrt(dt) * z, dim=1)
paths = S0 * torch.exp(log_paths)
ST = paths[:, -1]
disc = math.exp(-0.03)
payoff = disc * torch.clamp(ST - 105.0, min=0.0)
mc_price = payoff.mean()
(mc_delta,) = torch.autograd.grad(mc_price, S0, retain_graph=True)
se = payoff.std() / math.sqrt(n_paths)
print(f"MC price {mc_price.item():.4f} +- {se.item():.4f} pathwise delta {mc_delta.item():.4f}")
control = disc * ST.detach() - 100.0  # E[e^-rT S_T] = S0
cov = torch.cov(torch.stack([payoff.detach(), control]))
b = cov[0, 1] / cov[1, 1]
cv = payoff.detach() - b * control
print(
    f"control variate price {cv.mean().item():.4f} "
    f"var reduction {(payoff.var() / cv.var()).item():.2f}"
)
asian = disc * torch.clamp(paths.mean(1) - 100.0, min=0.0)
asian_q = torch.quantile(asian.detach(), torch.tensor([0.5, 0.9]))
print(f"asian call {asian.mean().item():.4f} quantiles {asian_q.tolist()}")
pnl = paths[:, 9].detach() - 100.0
var95 = -torch.quantile(pnl, 0.05)
es95 = -pnl[pnl <= -var95].mean()
print(
    f"10-step VaR95 {var95.item():.4f} ES95 {es95.item():.4f} kurtosis "
    f"{(((pnl - pnl.mean()) / pnl.std()) ** 4).mean().item():.4f}"
)

target = price.detach()
vol = torch.tensor(0.5, requires_grad=True)
for it in range(8):
    diff = black_scholes(S.detach(), K, T.detach(), r, vol) - target
    (v,) = torch.autograd.grad(diff, vol)
    with torch.no_grad():
        vol -= diff / v
    print(f"newton {it} vol {vol.item():.10f} error {diff.item():+.3e}")
    if abs(diff.item()) < 1e-12:
        break
strikes = torch.linspace(80, 120, 5)
print(
    "smile-free prices",
    black_scholes(torch.tensor(100.0), strikes, torch.tensor(1.0), r, torch.tensor(0.2)),
)
