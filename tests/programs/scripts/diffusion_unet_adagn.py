"""A diffusion U-Net's blocks as guided-diffusion/diffusers write them: sinusoidal timestep
embeddings (exp of a scaled arange, cat of cos and sin), ResBlocks with GroupNorm and AdaGN
scale-shift from the time embedding (chunk(2, dim=1), norm(h) * (1 + scale) + shift), a
zero-initialized output conv (p.detach().zero_()), QKV attention over flattened pixels with
torch.baddbmm-free einsum, nearest upsampling, activation checkpointing with
torch.utils.checkpoint.checkpoint(use_reentrant=False), and the epsilon-prediction loss over
random timesteps of a linear beta schedule; AdamW with an EMA copy via lerp_."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint

torch.manual_seed(17)


def timestep_embedding(timesteps, dim, max_period=10000):
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(start=0, end=half, dtype=torch.float32)
                      / half)
    args = timesteps[:, None].float() * freqs[None]
    embedding = torch.cat([torch.cos(args), torch.sin(args)], dim=-1)
    if dim % 2:
        embedding = torch.cat([embedding, torch.zeros_like(embedding[:, :1])], dim=-1)
    return embedding


def zero_module(module):
    for p in module.parameters():
        p.detach().zero_()
    return module


class ResBlock(nn.Module):
    def __init__(self, ch, emb_ch, out_ch=None, use_checkpoint=True):
        super().__init__()
        out_ch = out_ch or ch
        self.use_checkpoint = use_checkpoint
        self.in_layers = nn.Sequential(nn.GroupNorm(4, ch), nn.SiLU(),
                                       nn.Conv2d(ch, out_ch, 3, padding=1))
        self.emb_layers = nn.Sequential(nn.SiLU(), nn.Linear(emb_ch, 2 * out_ch))
        self.out_norm = nn.GroupNorm(4, out_ch)
        self.out_rest = nn.Sequential(nn.SiLU(), nn.Dropout(0.0),
                                      zero_module(nn.Conv2d(out_ch, out_ch, 3, padding=1)))
        self.skip = nn.Identity() if out_ch == ch else nn.Conv2d(ch, out_ch, 1)

    def forward(self, x, emb):
        if self.use_checkpoint and self.training:
            return checkpoint(self._forward, x, emb, use_reentrant=False)
        return self._forward(x, emb)

    def _forward(self, x, emb):
        h = self.in_layers(x)
        emb_out = self.emb_layers(emb).type(h.dtype)
        while len(emb_out.shape) < len(h.shape):
            emb_out = emb_out[..., None]
        scale, shift = torch.chunk(emb_out, 2, dim=1)
        h = self.out_norm(h) * (1 + scale) + shift
        return self.skip(x) + self.out_rest(h)


class AttentionBlock(nn.Module):
    def __init__(self, ch, heads=2):
        super().__init__()
        self.heads = heads
        self.norm = nn.GroupNorm(4, ch)
        self.qkv = nn.Conv1d(ch, ch * 3, 1)
        self.proj_out = zero_module(nn.Conv1d(ch, ch, 1))

    def forward(self, x):
        b, c, *spatial = x.shape
        x_flat = x.reshape(b, c, -1)
        qkv = self.qkv(self.norm(x_flat))
        bs, width, length = qkv.shape
        ch = width // (3 * self.heads)
        q, k, v = qkv.reshape(bs * self.heads, ch * 3, length).split(ch, dim=1)
        scale = 1 / math.sqrt(math.sqrt(ch))
        weight = torch.einsum("bct,bcs->bts", q * scale, k * scale)
        weight = torch.softmax(weight.float(), dim=-1).type(weight.dtype)
        a = torch.einsum("bts,bcs->bct", weight, v).reshape(bs, -1, length)
        return (x_flat + self.proj_out(a)).reshape(b, c, *spatial)


class UNet(nn.Module):
    def __init__(self, ch=8, emb=16):
        super().__init__()
        self.ch = ch
        self.time_embed = nn.Sequential(nn.Linear(ch, emb), nn.SiLU(), nn.Linear(emb, emb))
        self.inp = nn.Conv2d(1, ch, 3, padding=1)
        self.down = ResBlock(ch, emb, 2 * ch)
        self.pool = nn.AvgPool2d(2)
        self.mid = ResBlock(2 * ch, emb)
        self.attn = AttentionBlock(2 * ch)
        self.up = ResBlock(4 * ch, emb, ch)
        self.out = nn.Sequential(nn.GroupNorm(4, ch), nn.SiLU(),
                                 zero_module(nn.Conv2d(ch, 1, 3, padding=1)))

    def forward(self, x, t):
        emb = self.time_embed(timestep_embedding(t, self.ch))
        h1 = self.down(self.inp(x), emb)
        h = self.attn(self.mid(self.pool(h1), emb))
        h = F.interpolate(h, scale_factor=2, mode="nearest")
        h = self.up(torch.cat([h, h1], dim=1), emb)
        return self.out(h)


T = 50
betas = torch.linspace(1e-4, 0.02, T, dtype=torch.float64)
alphas_cumprod = torch.cumprod(1.0 - betas, dim=0)
sqrt_ac, sqrt_1m_ac = alphas_cumprod.sqrt().float(), (1.0 - alphas_cumprod).sqrt().float()
print(timestep_embedding(torch.tensor([0, 7]), 6))
model = UNet()
ema = UNet()
ema.load_state_dict(model.state_dict())
ema.requires_grad_(False)
opt = torch.optim.AdamW(model.parameters(), lr=2e-3)
x0 = torch.randn(4, 1, 8, 8).clamp(-1, 1)
for step in range(5):
    t = torch.randint(0, T, (x0.shape[0],))
    noise = torch.randn_like(x0)
    x_t = sqrt_ac[t].view(-1, 1, 1, 1) * x0 + sqrt_1m_ac[t].view(-1, 1, 1, 1) * noise
    loss = F.mse_loss(model(x_t, t), noise)
    opt.zero_grad()
    loss.backward()
    opt.step()
    with torch.no_grad():
        for pe, pm in zip(ema.parameters(), model.parameters(), strict=True):
            pe.lerp_(pm, 0.1)
    print(f"step {step} t {t.tolist()} loss {loss.item():.5f} "
          f"out-grad {model.out[2].weight.grad.abs().sum().item():.6f}")
model.eval()
with torch.no_grad():
    pred = model(x0, torch.tensor([3, 3, 3, 3]))
    pred_ema = ema(x0, torch.tensor([3, 3, 3, 3]))
print(pred.std().item(), pred_ema.abs().mean().item())
print(model.down.out_rest[2].weight.abs().sum().item())
