"""A RealNVP normalizing flow on 2-D two-moons-like data: alternating checkerboard masks,
affine coupling layers with tanh-bounded scales, the exact log-likelihood under a
MultivariateNormal base, and sampling by inverting the couplings."""
import math

import torch
import torch.nn as nn
from torch.distributions import MultivariateNormal

torch.manual_seed(13)
t = torch.rand(128) * math.pi
side = (torch.rand(128) > 0.5).float()
data = torch.stack([torch.cos(t) + side, torch.sin(t) * (1 - 2 * side) + 0.5 * side], 1)
data += 0.05 * torch.randn_like(data)


class Coupling(nn.Module):
    def __init__(self, mask):
        super().__init__()
        self.register_buffer("mask", mask)
        self.s = nn.Sequential(nn.Linear(2, 32), nn.LeakyReLU(), nn.Linear(32, 2), nn.Tanh())
        self.t = nn.Sequential(nn.Linear(2, 32), nn.LeakyReLU(), nn.Linear(32, 2))

    def forward(self, x):
        xm = x * self.mask
        s = self.s(xm) * (1 - self.mask)
        t = self.t(xm) * (1 - self.mask)
        return xm + (1 - self.mask) * (x * torch.exp(s) + t), s.sum(dim=1)

    def inverse(self, z):
        zm = z * self.mask
        s = self.s(zm) * (1 - self.mask)
        t = self.t(zm) * (1 - self.mask)
        return zm + (1 - self.mask) * (z - t) * torch.exp(-s)


class RealNVP(nn.Module):
    def __init__(self, n):
        super().__init__()
        masks = [torch.tensor([1.0, 0.0]) if i % 2 == 0 else torch.tensor([0.0, 1.0])
                 for i in range(n)]
        self.layers = nn.ModuleList([Coupling(m) for m in masks])
        self.base = MultivariateNormal(torch.zeros(2), torch.eye(2))

    def log_prob(self, x):
        log_det = torch.zeros(x.shape[0])
        for layer in self.layers:
            x, ld = layer(x)
            log_det = log_det + ld
        return self.base.log_prob(x) + log_det

    def sample(self, n):
        z = self.base.sample((n,))
        for layer in reversed(self.layers):
            z = layer.inverse(z)
        return z


flow = RealNVP(4)
opt = torch.optim.Adam([p for p in flow.parameters() if p.requires_grad], lr=1e-2)
history = []
for step in range(30):
    loss = -flow.log_prob(data).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    history.append(loss.item())
    if step % 6 == 0:
        print(f"step {step} nll {loss.item():.4f}")
with torch.no_grad():
    samples = flow.sample(200)
    x0 = data[:4]
    z = x0
    for layer in flow.layers:
        z, _ = layer(z)
    back = z
    for layer in reversed(flow.layers):
        back = layer.inverse(back)
print("best nll", round(min(history), 4),
      "sample mean", [round(v, 3) for v in samples.mean(0).tolist()],
      "invertible", torch.allclose(back, x0, atol=1e-5))
