"""Conditional flow matching (rectified flow) on a 2-D toy distribution as recent tutorials
write it: straight-line interpolants x_t = (1 - t) x0 + t x1 with torch.lerp, a time-conditioned
MLP with Fourier time features, the velocity regression loss, Euler and midpoint samplers under
torch.inference_mode, per-sample velocity Jacobian traces by torch.func.vmap(jacrev), and an EMA
of the weights evaluated through torch.func.functional_call without touching the module."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import functional_call, jacrev, vmap

torch.manual_seed(20)


def sample_target(n):
    angle = torch.rand(n) * 2 * math.pi
    radius = 2.0 + 0.1 * torch.randn(n)
    return torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], dim=1)


class VelocityNet(nn.Module):
    def __init__(self, hidden=32, freqs=4):
        super().__init__()
        self.register_buffer("freqs", 2.0 ** torch.arange(freqs) * math.pi)
        self.net = nn.Sequential(nn.Linear(2 + 2 * freqs, hidden), nn.SiLU(),
                                 nn.Linear(hidden, hidden), nn.SiLU(), nn.Linear(hidden, 2))

    def forward(self, x, t):
        tf = t.reshape(-1, 1) * self.freqs
        return self.net(torch.cat([x, tf.sin(), tf.cos()], dim=-1))


model = VelocityNet()
ema = {k: v.detach().clone() for k, v in model.named_parameters()}
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
for step in range(6):
    x1 = sample_target(64)
    x0 = torch.randn_like(x1)
    t = torch.rand(64, 1)
    xt = torch.lerp(x0, x1, t)
    loss = F.mse_loss(model(xt, t), x1 - x0)
    opt.zero_grad()
    loss.backward()
    opt.step()
    with torch.no_grad():
        for k, p in model.named_parameters():
            ema[k].mul_(0.8).add_(p.detach(), alpha=0.2)
    print(f"step {step} loss {loss.item():.5f}")


@torch.inference_mode()
def sample(params, n=5, steps=4, midpoint=False):
    x = torch.randn(n, 2)
    dt = 1.0 / steps
    for i in range(steps):
        t = torch.full((n,), i * dt)
        v = functional_call(model, params, (x, t))
        if midpoint:
            x_mid = x + 0.5 * dt * v
            v = functional_call(model, params, (x_mid, t + 0.5 * dt))
        x = x + dt * v
    return x


torch.manual_seed(0)
print(sample(dict(model.named_parameters())))
torch.manual_seed(0)
print(sample(ema, midpoint=True))


def velocity_single(x, t):
    return model(x.unsqueeze(0), t.reshape(1, 1)).squeeze(0)


xs, ts = torch.randn(3, 2), torch.rand(3)
jac = vmap(jacrev(velocity_single, argnums=0))(xs, ts)
print(jac.shape, torch.diagonal(jac, dim1=-2, dim2=-1).sum(-1))
with torch.inference_mode():
    print(torch.is_inference_mode_enabled(), torch.randn(1).is_inference())
