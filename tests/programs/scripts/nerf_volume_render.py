"""NeRF in miniature: positional encoding, a small MLP for density and colour, stratified
samples along rays (linspace + expand + jitter), volume rendering with an exclusive cumprod of
transmittance, and hierarchical sampling of a fine pass by inverse-CDF with searchsorted."""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(7)


def positional_encoding(x, n_freqs):
    freqs = 2.0 ** torch.arange(n_freqs, dtype=x.dtype) * math.pi
    xb = x[..., None] * freqs  # (..., d, F)
    enc = torch.cat([torch.sin(xb), torch.cos(xb)], dim=-1).flatten(-2)
    return torch.cat([x, enc], dim=-1)


class TinyNeRF(nn.Module):
    def __init__(self, n_freqs=4, hidden=32):
        super().__init__()
        self.n_freqs = n_freqs
        d = 3 + 3 * 2 * n_freqs
        self.net = nn.Sequential(
            nn.Linear(d, hidden),
            nn.ReLU(),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Linear(hidden, 4),
        )

    def forward(self, pts):
        out = self.net(positional_encoding(pts, self.n_freqs))
        return F.softplus(out[..., 0]), torch.sigmoid(out[..., 1:])


def cumprod_exclusive(t):
    cp = torch.cumprod(t, dim=-1)
    cp = torch.roll(cp, 1, dims=-1)
    cp[..., 0] = 1.0
    return cp


def render(model, rays_o, rays_d, z_vals):
    pts = rays_o[..., None, :] + rays_d[..., None, :] * z_vals[..., :, None]
    sigma, rgb = model(pts)
    dists = torch.cat(
        [z_vals[..., 1:] - z_vals[..., :-1], torch.full_like(z_vals[..., :1], 1e10)], dim=-1
    )
    alpha = 1.0 - torch.exp(-sigma * dists)
    weights = alpha * cumprod_exclusive(1.0 - alpha + 1e-10)
    rgb_map = (weights[..., None] * rgb).sum(dim=-2)
    depth = (weights * z_vals).sum(-1)
    return rgb_map, depth, weights


def sample_pdf(bins, weights, n_samples):
    weights = weights + 1e-5
    pdf = weights / weights.sum(-1, keepdim=True)
    cdf = torch.cumsum(pdf, -1)
    cdf = torch.cat([torch.zeros_like(cdf[..., :1]), cdf], -1)
    u = torch.linspace(0.0, 1.0, n_samples).expand(list(cdf.shape[:-1]) + [n_samples])
    u = u.contiguous()
    inds = torch.searchsorted(cdf, u, right=True)
    below = torch.max(torch.zeros_like(inds - 1), inds - 1)
    above = torch.min((cdf.shape[-1] - 1) * torch.ones_like(inds), inds)
    inds_g = torch.stack([below, above], -1)
    matched = [inds_g.shape[0], inds_g.shape[1], cdf.shape[-1]]
    cdf_g = torch.gather(cdf.unsqueeze(1).expand(matched), 2, inds_g)
    bins_g = torch.gather(bins.unsqueeze(1).expand(matched), 2, inds_g)
    denom = cdf_g[..., 1] - cdf_g[..., 0]
    denom = torch.where(denom < 1e-5, torch.ones_like(denom), denom)
    t = (u - cdf_g[..., 0]) / denom
    return bins_g[..., 0] + t * (bins_g[..., 1] - bins_g[..., 0])


n_rays, n_coarse, n_fine = 64, 16, 16
near, far = 2.0, 6.0
theta = torch.rand(n_rays) * 2 * math.pi
rays_o = torch.stack([4 * torch.cos(theta), 4 * torch.sin(theta), torch.zeros(n_rays)], -1)
rays_d = F.normalize(-rays_o + 0.2 * torch.randn(n_rays, 3), dim=-1)
# ground truth: a red sphere of radius 1 at the origin; colour where the ray hits it
b = (rays_o * rays_d).sum(-1)
c = (rays_o * rays_o).sum(-1) - 1.0
hit = (b * b - c) > 0
target = torch.where(hit[:, None], torch.tensor([0.9, 0.1, 0.1]), torch.tensor([0.0, 0.0, 0.0]))
print("hits", hit.sum().item(), "of", n_rays)

model = TinyNeRF()
opt = torch.optim.Adam(model.parameters(), lr=5e-3)
t_vals = torch.linspace(0.0, 1.0, n_coarse)
for step in range(60):
    z = near * (1.0 - t_vals) + far * t_vals
    z = z.expand(n_rays, n_coarse)
    mids = 0.5 * (z[..., 1:] + z[..., :-1])
    upper = torch.cat([mids, z[..., -1:]], -1)
    lower = torch.cat([z[..., :1], mids], -1)
    z = lower + (upper - lower) * torch.rand(z.shape)
    rgb_c, depth_c, w = render(model, rays_o, rays_d, z)
    z_mid = 0.5 * (z[..., 1:] + z[..., :-1])
    z_f = sample_pdf(z_mid, w[..., 1:-1].detach(), n_fine)
    z_all, _ = torch.sort(torch.cat([z, z_f], -1), -1)
    rgb_f, depth_f, _ = render(model, rays_o, rays_d, z_all)
    loss = F.mse_loss(rgb_c, target) + F.mse_loss(rgb_f, target)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 10 == 0 or step == 59:
        psnr = -10.0 * torch.log10(F.mse_loss(rgb_f, target))
        print(
            f"step {step:2d} loss {loss.item():.5f} psnr {psnr.item():.3f} "
            f"depth {depth_f.mean().item():.4f}"
        )
print("fine samples sorted:", bool((z_all[:, 1:] >= z_all[:, :-1]).all()))
print("encoding shape", tuple(positional_encoding(torch.zeros(2, 3), 4).shape))
print(cumprod_exclusive(torch.tensor([[0.5, 0.5, 0.5]])))
