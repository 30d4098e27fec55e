"""A Perceiver-style model on a set of synthetic inputs, as the usual PyTorch ports write it:
learned latents repeated over the batch with einops-free repeat/expand, cross-attention from
latents to inputs with a key padding mask (masked_fill with -torch.finfo(dtype).max), Fourier
position features of the inputs (torch.linspace, meshgrid-free outer products, sin/cos cat),
latent self-attention with nn.MultiheadAttention, GEGLU feed-forward via chunk; trained with
Adam and a cosine schedule, mask-aware mean pooling."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(5)


def fourier_encode(x, max_freq, num_bands=4):
    x = x.unsqueeze(-1)
    scales = torch.linspace(1.0, max_freq / 2, num_bands, dtype=x.dtype)
    scales = scales[(*((None,) * (len(x.shape) - 1)), Ellipsis)]
    x = x * scales * math.pi
    x = torch.cat([x.sin(), x.cos()], dim=-1)
    return x


class GEGLU(nn.Module):
    def forward(self, x):
        x, gates = x.chunk(2, dim=-1)
        return x * F.gelu(gates)


class CrossAttention(nn.Module):
    def __init__(self, query_dim, context_dim, heads=2, dim_head=8):
        super().__init__()
        inner = heads * dim_head
        self.scale, self.heads = dim_head ** -0.5, heads
        self.to_q = nn.Linear(query_dim, inner, bias=False)
        self.to_kv = nn.Linear(context_dim, inner * 2, bias=False)
        self.to_out = nn.Linear(inner, query_dim)

    def forward(self, x, context, mask=None):
        h = self.heads
        q = self.to_q(x)
        k, v = self.to_kv(context).chunk(2, dim=-1)
        q, k, v = (t.reshape(t.shape[0], t.shape[1], h, -1).transpose(1, 2) for t in (q, k, v))
        sim = torch.einsum("bhid,bhjd->bhij", q, k) * self.scale
        if mask is not None:
            max_neg_value = -torch.finfo(sim.dtype).max
            sim.masked_fill_(~mask[:, None, None, :], max_neg_value)
        attn = sim.softmax(dim=-1)
        out = torch.einsum("bhij,bhjd->bhid", attn, v)
        out = out.transpose(1, 2).reshape(x.shape[0], x.shape[1], -1)
        return self.to_out(out)


class Perceiver(nn.Module):
    def __init__(self, input_dim=3, num_latents=6, latent_dim=16, classes=2, bands=4):
        super().__init__()
        ctx_dim = input_dim + 2 * bands
        self.bands = bands
        self.latents = nn.Parameter(torch.randn(num_latents, latent_dim))
        self.cross_norm = nn.LayerNorm(latent_dim)
        self.ctx_norm = nn.LayerNorm(ctx_dim)
        self.cross = CrossAttention(latent_dim, ctx_dim)
        self.self_attn = nn.MultiheadAttention(latent_dim, 2, batch_first=True)
        self.ff = nn.Sequential(nn.LayerNorm(latent_dim), nn.Linear(latent_dim, latent_dim * 4),
                                GEGLU(), nn.Linear(latent_dim * 2, latent_dim))
        self.head = nn.Sequential(nn.LayerNorm(latent_dim), nn.Linear(latent_dim, classes))

    def forward(self, data, mask):
        b, n, _ = data.shape
        pos = torch.linspace(-1.0, 1.0, steps=n)
        enc = fourier_encode(pos, max_freq=8.0, num_bands=self.bands)
        enc = enc.unsqueeze(0).expand(b, -1, -1)
        data = torch.cat((data, enc), dim=-1)
        x = self.latents.unsqueeze(0).repeat(b, 1, 1)
        x = x + self.cross(self.cross_norm(x), self.ctx_norm(data), mask=mask)
        for _ in range(2):  # weights shared across iterations
            y, w = self.self_attn(x, x, x, need_weights=True, average_attn_weights=True)
            x = x + y
            x = x + self.ff(x)
        return self.head(x.mean(dim=1)), w


lengths = torch.tensor([9, 5, 7, 3, 8, 6])
mask = torch.arange(9)[None, :] < lengths[:, None]
data = torch.randn(6, 9, 3) * mask.unsqueeze(-1)
labels = (data.sum(dim=(1, 2)) / lengths > 0).long()
print(mask.int(), labels)
model = Perceiver()
opt = torch.optim.Adam(model.parameters(), lr=5e-3)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=6, eta_min=1e-4)
for step in range(6):
    logits, w = model(data, mask)
    loss = F.cross_entropy(logits, labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    print(f"step {step} loss {loss.item():.5f} attn-w {tuple(w.shape)} {w[0, 0].max().item():.5f}")
with torch.no_grad():
    logits, _ = model(data, mask)
print(logits.argmax(-1), (logits.argmax(-1) == labels).float().mean())
print(model.latents.grad.abs().sum().item() > 0, model.latents[0, :4])
