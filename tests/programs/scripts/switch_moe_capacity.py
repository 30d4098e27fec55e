"""A Switch-Transformer feed-forward layer: top-1 routing with router z-loss (logsumexp) and the
load-balancing loss (fraction of tokens times mean router probability), expert capacity with
positions from a cumulative sum of one-hot assignments, tokens over capacity dropped (they
pass through the residual), dispatch with index_select and combine with scatter_add_ /
index_add_, router jitter noise from torch.empty_like(...).uniform_(), then a top-2 variant
with renormalized gates; compared against a dense per-token loop."""

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(123)
D, E, HID = 16, 4, 32


class SwitchFFN(nn.Module):
    def __init__(self, capacity_factor=1.0, jitter=0.01, k=1):
        super().__init__()
        self.router = nn.Linear(D, E, bias=False)
        self.w1 = nn.Parameter(torch.randn(E, D, HID) * D**-0.5)
        self.w2 = nn.Parameter(torch.randn(E, HID, D) * HID**-0.5)
        self.capacity_factor, self.jitter, self.k = capacity_factor, jitter, k

    def expert(self, e, x):
        return F.relu(x @ self.w1[e]) @ self.w2[e]

    def forward(self, x):
        tokens = x.reshape(-1, D)
        n = tokens.size(0)
        router_in = tokens
        if self.training and self.jitter > 0:
            noise = torch.empty_like(tokens).uniform_(1.0 - self.jitter, 1.0 + self.jitter)
            router_in = tokens * noise
        logits = self.router(router_in)
        z_loss = torch.logsumexp(logits, dim=-1).pow(2).mean()
        probs = logits.softmax(dim=-1)
        gate, expert_idx = torch.topk(probs, self.k, dim=-1)
        if self.k > 1:
            gate = gate / gate.sum(dim=-1, keepdim=True)
        capacity = int(self.capacity_factor * n * self.k / E)
        one_hot = F.one_hot(expert_idx[:, 0], E)
        density = one_hot.float().mean(0)
        balance = E * (density * probs.mean(0)).sum()
        out = torch.zeros_like(tokens)
        kept = torch.zeros(n, dtype=torch.bool)
        for slot in range(self.k):
            mask = F.one_hot(expert_idx[:, slot], E)
            position = torch.cumsum(mask, dim=0) * mask - 1
            within = (position < capacity) & (mask == 1)
            for e in range(E):
                idx = torch.nonzero(within[:, e], as_tuple=True)[0]
                if idx.numel() == 0:
                    continue
                y = self.expert(e, tokens.index_select(0, idx)) * gate[idx, slot].unsqueeze(-1)
                if slot == 0:
                    out = out.index_add(0, idx, y)
                else:
                    out = out.scatter_add(0, idx.unsqueeze(-1).expand(-1, D), y)
                kept[idx] = True
        return (tokens + out).view_as(x), z_loss, balance, kept, expert_idx


x = torch.randn(2, 12, D)
moe = SwitchFFN(capacity_factor=1.0)
moe.eval()
with torch.no_grad():
    y, z, bal, kept, idx = moe(x)
    print("assignments", torch.bincount(idx[:, 0], minlength=E).tolist(), "capacity", int(24 / E))
    print("dropped tokens", int((~kept).sum()), f"z-loss {z.item():.4f} balance {bal.item():.4f}")
    dense = x.reshape(-1, D).clone()
    for t in range(24):
        if kept[t]:
            e = idx[t, 0].item()
            p = moe.router(x.reshape(-1, D)[t]).softmax(-1)[e]
            dense[t] = dense[t] + moe.expert(e, x.reshape(-1, D)[t : t + 1])[0] * p
    print("matches dense loop:", torch.allclose(y.reshape(-1, D), dense, atol=1e-5))
    print(
        "dropped tokens unchanged:", torch.equal(y.reshape(-1, D)[~kept], x.reshape(-1, D)[~kept])
    )

target = torch.randn(2, 12, D)
for k in (1, 2):
    torch.manual_seed(5)
    layer = SwitchFFN(capacity_factor=1.25, k=k)
    opt = torch.optim.Adam(layer.parameters(), lr=5e-3)
    for step in range(20):
        y, z, bal, kept, idx = layer(x)
        loss = F.mse_loss(y, target) + 1e-3 * z + 1e-2 * bal
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 5 == 0:
            print(
                f"k={k} step {step}: loss {loss.item():.4f} kept {int(kept.sum())} "
                f"load {torch.bincount(idx[:, 0], minlength=E).tolist()}"
            )
    print(f"k={k} router grad norm {layer.router.weight.grad.norm().item():.5f}")
