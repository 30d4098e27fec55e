"""A tiny DDPM on 2-D points: a linear beta schedule, alphas_cumprod by cumprod, q_sample with
per-example coefficients gathered by timestep, a sinusoidal time embedding, the
noise-prediction MSE, and the ancestral sampling loop under torch.no_grad."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(83)
T = 50
betas = torch.linspace(1e-4, 0.05, T)
alphas = 1.0 - betas
alphas_cumprod = torch.cumprod(alphas, dim=0)
alphas_cumprod_prev = F.pad(alphas_cumprod[:-1], (1, 0), value=1.0)
sqrt_ac = torch.sqrt(alphas_cumprod)
sqrt_1m_ac = torch.sqrt(1.0 - alphas_cumprod)
posterior_var = betas * (1.0 - alphas_cumprod_prev) / (1.0 - alphas_cumprod)
angles = torch.rand(256) * 2 * math.pi
data = torch.stack([torch.cos(angles), torch.sin(angles)], 1) + 0.05 * torch.randn(256, 2)


def extract(a, t, x_shape):
    out = a.gather(-1, t)
    return out.reshape(t.shape[0], *((1,) * (len(x_shape) - 1)))


def time_embedding(t, dim=16):
    half = dim // 2
    freqs = torch.exp(-math.log(10000) * torch.arange(half, dtype=torch.float32) / half)
    args = t[:, None].float() * freqs[None]
    return torch.cat([torch.sin(args), torch.cos(args)], dim=-1)


class Denoiser(nn.Module):
    def __init__(self):
        super().__init__()
        self.t_mlp = nn.Sequential(nn.Linear(16, 32), nn.SiLU(), nn.Linear(32, 32))
        self.net = nn.Sequential(nn.Linear(2 + 32, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(),
                                 nn.Linear(64, 2))

    def forward(self, x, t):
        return self.net(torch.cat([x, self.t_mlp(time_embedding(t))], dim=1))


model = Denoiser()
opt = torch.optim.AdamW(model.parameters(), lr=2e-3)
for step in range(40):
    x0 = data[torch.randint(0, 256, (64,))]
    t = torch.randint(0, T, (64,), dtype=torch.long)
    noise = torch.randn_like(x0)
    xt = extract(sqrt_ac, t, x0.shape) * x0 + extract(sqrt_1m_ac, t, x0.shape) * noise
    loss = F.mse_loss(model(xt, t), noise)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step in (0, 10, 20, 30):
        print(f"step {step} loss {loss.item():.4f}")
with torch.no_grad():
    x = torch.randn(8, 2)
    for i in reversed(range(T)):
        t = torch.full((8,), i, dtype=torch.long)
        eps = model(x, t)
        mean = (x - extract(betas, t, x.shape) / extract(sqrt_1m_ac, t, x.shape) * eps) \
            / torch.sqrt(extract(alphas, t, x.shape))
        if i > 0:
            x = mean + torch.sqrt(extract(posterior_var, t, x.shape)) * torch.randn_like(x)
        else:
            x = mean
print("radius", [round(r, 3) for r in x.norm(dim=1).tolist()])
