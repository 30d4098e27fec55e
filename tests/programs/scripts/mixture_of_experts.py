"""A sparse mixture-of-experts layer: a top-2 router (topk, softmax over the chosen logits),
tokens dispatched per expert with where/nonzero and index_add_, a load-balancing auxiliary
loss from one_hot counts, scatter_ of routing weights, and a check against a dense loop."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(29)


class MoE(nn.Module):
    def __init__(self, d, n_experts=4, k=2):
        super().__init__()
        self.k, self.n = k, n_experts
        self.router = nn.Linear(d, n_experts, bias=False)
        self.experts = nn.ModuleList([nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(),
                                                    nn.Linear(2 * d, d))
                                      for _ in range(n_experts)])

    def forward(self, x):
        b, t, d = x.shape
        flat = x.reshape(-1, d)
        logits = self.router(flat)
        top_vals, top_idx = torch.topk(logits, self.k, dim=-1)
        weights = F.softmax(top_vals, dim=-1, dtype=torch.float)
        out = torch.zeros_like(flat)
        for e, expert in enumerate(self.experts):
            token_idx, slot = torch.where(top_idx == e)
            if token_idx.numel() == 0:
                continue
            y = expert(flat[token_idx]) * weights[token_idx, slot].unsqueeze(-1)
            out.index_add_(0, token_idx, y)
        probs = F.softmax(logits, dim=-1)
        frac = F.one_hot(top_idx[:, 0], self.n).float().mean(0)
        aux = self.n * (frac * probs.mean(0)).sum()
        dense_w = torch.zeros_like(logits).scatter_(1, top_idx, weights)
        return out.view(b, t, d), aux, dense_w


moe = MoE(8)
x = torch.randn(2, 6, 8)
target = torch.randn(2, 6, 8)
opt = torch.optim.Adam(moe.parameters(), lr=5e-3)
for step in range(8):
    out, aux, dense_w = moe(x)
    loss = F.mse_loss(out, target) + 0.01 * aux
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step in (0, 2, 4, 6):
        print(f"step {step} loss {loss.item():.5f} aux {aux.item():.4f} "
              f"load {torch.bincount(dense_w.argmax(1), minlength=4).tolist()}")
with torch.no_grad():
    out, _, dense_w = moe(x)
    flat = x.reshape(-1, 8)
    ref = sum(dense_w[:, e:e + 1] * moe.experts[e](flat) for e in range(4))
print("dense check", torch.allclose(out.reshape(-1, 8), ref, atol=1e-5),
      (dense_w > 0).sum(1).tolist()[:6])
