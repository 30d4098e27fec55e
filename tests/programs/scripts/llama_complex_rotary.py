"""LLaMA's rotary embeddings as Meta's reference code writes them: precompute_freqs_cis with
torch.polar(torch.ones_like(freqs), freqs), apply_rotary_emb through view_as_complex of the
query and key pairs, a complex multiply and view_as_real(...).flatten(3); a tiny causal
attention model trained a few steps on a copy task, checked against the real-valued rotation
(cos/sin) and for the relative-position property of the rotated dot products."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(5)
V, D, H, T = 16, 32, 4, 8


def precompute_freqs_cis(dim, end, theta=10000.0):
    freqs = 1.0 / (theta ** (torch.arange(0, dim, 2)[: (dim // 2)].float() / dim))
    t = torch.arange(end, device=freqs.device)
    freqs = torch.outer(t, freqs).float()
    return torch.polar(torch.ones_like(freqs), freqs)  # complex64


def reshape_for_broadcast(freqs_cis, x):
    ndim = x.ndim
    assert freqs_cis.shape == (x.shape[1], x.shape[-1])
    shape = [d if i == 1 or i == ndim - 1 else 1 for i, d in enumerate(x.shape)]
    return freqs_cis.view(*shape)


def apply_rotary_emb(xq, xk, freqs_cis):
    xq_ = torch.view_as_complex(xq.float().reshape(*xq.shape[:-1], -1, 2))
    xk_ = torch.view_as_complex(xk.float().reshape(*xk.shape[:-1], -1, 2))
    freqs_cis = reshape_for_broadcast(freqs_cis, xq_)
    xq_out = torch.view_as_real(xq_ * freqs_cis).flatten(3)
    xk_out = torch.view_as_real(xk_ * freqs_cis).flatten(3)
    return xq_out.type_as(xq), xk_out.type_as(xk)


def rotate_real(x, freqs_cis):
    cos, sin = freqs_cis.real[None, :, None, :], freqs_cis.imag[None, :, None, :]
    x1, x2 = x[..., 0::2], x[..., 1::2]
    return torch.stack([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1).flatten(3)


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.wq = nn.Linear(D, D, bias=False)
        self.wk = nn.Linear(D, D, bias=False)
        self.wv = nn.Linear(D, D, bias=False)
        self.wo = nn.Linear(D, D, bias=False)

    def forward(self, x, freqs_cis):
        B, L, _ = x.shape
        xq = self.wq(x).view(B, L, H, D // H)
        xk = self.wk(x).view(B, L, H, D // H)
        xv = self.wv(x).view(B, L, H, D // H)
        xq, xk = apply_rotary_emb(xq, xk, freqs_cis=freqs_cis)
        q, k, v = xq.transpose(1, 2), xk.transpose(1, 2), xv.transpose(1, 2)
        scores = q @ k.transpose(2, 3) / math.sqrt(D // H)
        mask = torch.full((L, L), float("-inf")).triu(1)
        out = F.softmax(scores + mask, dim=-1) @ v
        return self.wo(out.transpose(1, 2).reshape(B, L, D))


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, D)
        self.attn = Attention()
        self.head = nn.Linear(D, V)
        self.register_buffer("freqs_cis", precompute_freqs_cis(D // H, T), persistent=False)

    def forward(self, idx):
        h = self.emb(idx)
        h = h + self.attn(h, self.freqs_cis[: idx.shape[1]])
        return self.head(h)


freqs_cis = precompute_freqs_cis(D // H, T)
print("freqs_cis", freqs_cis.dtype, tuple(freqs_cis.shape))
print(freqs_cis[1, :3])
print("|freqs_cis| all one:", torch.allclose(freqs_cis.abs(), torch.ones(T, D // H // 2)))

x = torch.randn(2, T, H, D // H)
xq, xk = apply_rotary_emb(x, x, freqs_cis)
print("complex rotation == real rotation:",
      torch.allclose(xq, rotate_real(x, freqs_cis), atol=1e-6))
print("norms kept:", torch.allclose(xq.norm(dim=-1), x.norm(dim=-1), atol=1e-5))

# the rotated dot product depends on the offset only: q at m, k at n
q, k = torch.randn(D // H), torch.randn(D // H)
qs = q.expand(1, T, 1, D // H)
ks = k.expand(1, T, 1, D // H)
rq, rk = apply_rotary_emb(qs, ks, freqs_cis)
print("offset 2 products:", [round((rq[0, m, 0] @ rk[0, m - 2, 0]).item(), 4)
                             for m in range(2, 6)])

model = Model()
opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
for step in range(30):
    idx = torch.randint(0, V, (8, T))
    target = torch.roll(idx, 1, dims=1)  # predict the previous token
    logits = model(idx)
    loss = F.cross_entropy(logits[:, 1:].reshape(-1, V), target[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 10 == 0 or step == 29:
        print(f"step {step} loss {loss.item():.4f}")

# gradients reach the inputs through view_as_complex and the complex multiply
x = torch.randn(1, T, H, D // H, requires_grad=True)
xq, _ = apply_rotary_emb(x, x, freqs_cis)
(xq * torch.linspace(-1, 1, D // H)).sum().backward()
print("grad", x.grad[0, 3, 0])
