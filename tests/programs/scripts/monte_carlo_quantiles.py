"""Monte Carlo integration and order statistics: estimates of pi and of a Gaussian integral
with standard errors, quantile with its five interpolation modes, nanquantile on data with
missing values, kthvalue, median and mode (values and indices), nanmedian, and a bootstrap
confidence interval."""

import math

import torch

torch.manual_seed(5)

# pi by rejection
for n in [1000, 10000, 100000]:
    pts = torch.rand(n, 2)
    inside = (pts.pow(2).sum(1) <= 1.0).float()
    est = 4 * inside.mean()
    se = 4 * inside.std() / math.sqrt(n)
    print(f"n={n:6d} pi~{est.item():.5f} +- {se.item():.5f}")

# E[cos(Z)] for Z~N(0,1) = exp(-1/2), with antithetic variates
z = torch.randn(50000)
plain = torch.cos(z)
anti = 0.5 * (torch.cos(z) + torch.cos(-z))
print("E cos Z", round(plain.mean().item(), 5), "exact", round(math.exp(-0.5), 5))
print("var plain vs antithetic", round(plain.var().item(), 5), round(anti.var().item(), 5))

# importance sampling of a tail probability P(Z > 3)
shift = 3.0
zs = torch.randn(20000) + shift
w = torch.exp(-shift * zs + 0.5 * shift**2)
est = ((zs > 3).float() * w).mean()
print("P(Z>3) IS", f"{est.item():.6e}", "exact", f"{0.5 * math.erfc(3 / math.sqrt(2)):.6e}")

data = torch.randn(9, 7)
qs = torch.tensor([0.1, 0.25, 0.5, 0.9])
for mode in ["linear", "lower", "higher", "midpoint", "nearest"]:
    print(mode, torch.quantile(data[0], qs, interpolation=mode))
print("quantile dim=1 keepdim", torch.quantile(data, 0.3, dim=1, keepdim=True).shape)
print(torch.quantile(data, qs, dim=0)[:, :3])

missing = data.clone()
missing[missing > 1.2] = float("nan")
print("nan count", torch.isnan(missing).sum().item())
print("quantile with nan", torch.quantile(missing[0], 0.5))
print("nanquantile", torch.nanquantile(missing, 0.5, dim=1))
print("nanmedian", torch.nanmedian(missing, dim=1))
print("nanmedian all", torch.nanmedian(missing))
print("median even count", torch.median(torch.tensor([4.0, 1.0, 3.0, 2.0])))

vals, idx = torch.kthvalue(data, 3, dim=1)
print("kthvalue", vals, idx)
print("kthvalue keepdim", torch.kthvalue(data[:, 0], 2, keepdim=True))
m = torch.median(data, dim=0)
print("median dim 0", m.values[:4], m.indices[:4])
ints = torch.randint(0, 5, (6, 10))
print(ints)
print("mode", torch.mode(ints, dim=1))
print(
    "mode flat value", torch.mode(ints.flatten()).values
)  # which index among equals is unspecified

sample = torch.distributions.Exponential(2.0).sample((200,))
boot_idx = torch.randint(0, 200, (1000, 200))
means = sample[boot_idx].mean(1)
lo, hi = torch.quantile(means, torch.tensor([0.025, 0.975]))
print(f"bootstrap 95% CI for mean {sample.mean().item():.4f}: [{lo.item():.4f}, {hi.item():.4f}]")
print("sorted top", torch.sort(means, descending=True).values[:3])
