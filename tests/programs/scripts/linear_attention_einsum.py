"""Linear attention in the style of "Transformers are RNNs" and Performer: elu+1 feature maps,
random positive features drawn from an orthogonal block, causal attention by cumulative sums,
all written with torch.einsum, checked against softmax attention and trained briefly."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


def elu_feature_map(x):
    return F.elu(x) + 1


def linear_attention(q, k, v, eps=1e-6):
    q, k = elu_feature_map(q), elu_feature_map(k)
    kv = torch.einsum("bhnd,bhne->bhde", k, v)
    z = 1 / (torch.einsum("bhnd,bhd->bhn", q, k.sum(dim=2)) + eps)
    return torch.einsum("bhnd,bhde,bhn->bhne", q, kv, z)


def causal_linear_attention(q, k, v, eps=1e-6):
    q, k = elu_feature_map(q), elu_feature_map(k)
    kv = torch.einsum("bhnd,bhne->bhnde", k, v).cumsum(dim=2)
    k_cum = k.cumsum(dim=2)
    num = torch.einsum("bhnd,bhnde->bhne", q, kv)
    den = torch.einsum("bhnd,bhnd->bhn", q, k_cum).unsqueeze(-1) + eps
    return num / den


def causal_reference(q, k, v):
    q, k = elu_feature_map(q), elu_feature_map(k)
    n = q.shape[2]
    scores = q @ k.transpose(-2, -1)
    mask = torch.tril(torch.ones(n, n, dtype=torch.bool))
    scores = scores.masked_fill(~mask, 0.0)
    return (scores / scores.sum(-1, keepdim=True)) @ v


def orthogonal_gaussian(m, d):
    blocks = []
    for _ in range(math.ceil(m / d)):
        q, _ = torch.linalg.qr(torch.randn(d, d))
        blocks.append(q.T)
    w = torch.cat(blocks)[:m]
    norms = torch.randn(m, d).norm(dim=1)
    return torch.diag(norms) @ w


def favor_features(x, proj):
    d = x.shape[-1]
    x = x * d ** -0.25
    wx = torch.einsum("...nd,md->...nm", x, proj)
    sq = (x ** 2).sum(-1, keepdim=True) / 2
    return torch.exp(wx - sq - wx.amax(dim=-1, keepdim=True).detach()) / math.sqrt(proj.shape[0])


B, H, N, D = 2, 2, 6, 4
q, k, v = torch.randn(3, B, H, N, D).unbind(0)
out = linear_attention(q, k, v)
print(out.shape, out[0, 0, :2])
c1, c2 = causal_linear_attention(q, k, v), causal_reference(q, k, v)
print("causal max diff small:", (c1 - c2).abs().max().item() < 1e-5)
print(c1[1, 1, -1])

proj = orthogonal_gaussian(64, D)
print("proj", proj.shape, f"{proj.norm():.4f}")
qf, kf = favor_features(q, proj), favor_features(k, proj)
approx = torch.einsum("bhnm,bhsm->bhns", qf, kf)
approx = approx / approx.sum(-1, keepdim=True)
exact = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(D), dim=-1)
print(f"favor mean abs err {(approx - exact).abs().mean():.5f}")


class LinearAttentionBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)
        self.out = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x):
        b, n, d = x.shape
        qkv = self.to_qkv(self.norm(x)).chunk(3, dim=-1)
        q, k, v = (t.reshape(b, n, self.heads, -1).permute(0, 2, 1, 3) for t in qkv)
        y = causal_linear_attention(q, k, v)
        y = y.permute(0, 2, 1, 3).reshape(b, n, d)
        return x + self.out(y)


vocab = 12
model = nn.Sequential(nn.Embedding(vocab, 16), LinearAttentionBlock(16, 4),
                      LinearAttentionBlock(16, 4), nn.Linear(16, vocab))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
seq = torch.randint(0, vocab, (8, 10))
target = seq.roll(-1, dims=1)
for step in range(25):
    logits = model(seq)
    loss = F.cross_entropy(logits.view(-1, vocab), target.view(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    if step % 5 == 0:
        print(f"step {step:2d} loss {loss.item():.4f}")
print(torch.einsum("ii", torch.arange(9.0).view(3, 3)),
      torch.einsum("i,j->ij", torch.ones(2), torch.arange(3.0)))
print(torch.einsum("bij,bjk", torch.ones(2, 2, 3), torch.ones(2, 3, 1)).shape)
print(torch.einsum(torch.ones(2, 3), [0, 1], torch.ones(3), [1], [0]))
