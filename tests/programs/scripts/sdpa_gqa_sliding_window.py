"""Attention as recent decoder code calls it through F.scaled_dot_product_attention: a boolean
sliding-window causal mask (Mistral style, built with triu/tril on diagonal offsets), a float
additive mask for padding, enable_gqa=True for grouped key/value heads checked against an
explicit repeat_interleave, a custom scale, and a manual softmax reference; a tiny model with
QK-norm (LayerNorm on queries and keys) trained with AdamW and a warmup-stable-decay schedule
from SequentialLR(LinearLR, ConstantLR, LinearLR)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(13)
B, T, D, H, KVH, W, V = 2, 9, 32, 4, 2, 4, 16


def sliding_window_mask(T, window):
    causal = torch.ones(T, T, dtype=torch.bool).tril()
    too_far = torch.ones(T, T, dtype=torch.bool).tril(diagonal=-window)
    return causal & ~too_far


def reference_attention(q, k, v, mask, scale):
    k = k.repeat_interleave(q.size(1) // k.size(1), dim=1)
    v = v.repeat_interleave(q.size(1) // v.size(1), dim=1)
    scores = (q @ k.transpose(-2, -1)) * scale
    scores = scores.masked_fill(~mask, float("-inf")) if mask.dtype == torch.bool else scores + mask
    return scores.softmax(-1) @ v


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.hd = D // H
        self.wq = nn.Linear(D, D, bias=False)
        self.wkv = nn.Linear(D, 2 * KVH * self.hd, bias=False)
        self.wo = nn.Linear(D, D, bias=False)
        self.q_norm, self.k_norm = nn.LayerNorm(self.hd), nn.LayerNorm(self.hd)

    def forward(self, x, pad):
        b, t, _ = x.shape
        q = self.q_norm(self.wq(x).view(b, t, H, self.hd)).transpose(1, 2)
        k, v = self.wkv(x).view(b, t, 2, KVH, self.hd).unbind(2)
        k, v = self.k_norm(k).transpose(1, 2), v.transpose(1, 2)
        window = sliding_window_mask(t, W)
        mask = torch.zeros(b, 1, t, t).masked_fill(~window, float("-inf"))
        mask = mask.masked_fill(pad[:, None, None, :], float("-inf"))
        mask[..., 0] = 0.0  # every row keeps the first token, so no row is all -inf
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask,
                                             scale=0.5 / math.sqrt(self.hd), enable_gqa=True)
        return self.wo(out.transpose(1, 2).reshape(b, t, D))


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, D, padding_idx=0)
        self.norm1, self.norm2 = nn.RMSNorm(D, eps=1e-6), nn.RMSNorm(D, eps=1e-6)
        self.attn = Attention()
        self.mlp = nn.Sequential(nn.Linear(D, 2 * D), nn.GELU(), nn.Linear(2 * D, D))
        self.out = nn.Linear(D, V)

    def forward(self, ids):
        pad = ids == 0
        x = self.emb(ids)
        x = x + self.attn(self.norm1(x), pad)
        return self.out(x + self.mlp(self.norm2(x)))


print(sliding_window_mask(6, 3).int())
q = torch.randn(B, H, T, 8)
k, v = torch.randn(B, KVH, T, 8), torch.randn(B, KVH, T, 8)
m = sliding_window_mask(T, W)
a = F.scaled_dot_product_attention(q, k, v, attn_mask=m, enable_gqa=True)
b = reference_attention(q, k, v, m, 1 / math.sqrt(8))
print("gqa bool mask agrees", torch.allclose(a, b, atol=1e-6), a[0, 3, -1, :3])
c = F.scaled_dot_product_attention(q, k.repeat_interleave(2, 1), v.repeat_interleave(2, 1),
                                   is_causal=True, scale=0.3)
print(c[1, 0, 2, :3])

ids = torch.randint(1, V, (B, T))
ids[1, 6:] = 0
model = Model()
opt = torch.optim.AdamW(model.parameters(), lr=4e-3, weight_decay=0.01)
sched = torch.optim.lr_scheduler.SequentialLR(opt, [
    torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=2),
    torch.optim.lr_scheduler.ConstantLR(opt, factor=1.0, total_iters=2),
    torch.optim.lr_scheduler.LinearLR(opt, start_factor=1.0, end_factor=0.0, total_iters=3)],
    milestones=[2, 4])
for step in range(7):
    logits = model(ids[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, V), ids[:, 1:].reshape(-1), ignore_index=0)
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    print(f"step {step} loss {loss.item():.5f} lr {sched.get_last_lr()[0]:.5f}")
print(model.emb.weight.grad[0].abs().sum().item(), model.attn.q_norm.weight[:3])
