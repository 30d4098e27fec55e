"""Multi-scale retention (RetNet) as its reference-style PyTorch code writes it: per-head decay
gammas 1 - 2**(-5 - arange), the parallel form with a decay mask D[n, m] = gamma**(n-m) built
with exp/log, tril and masked_fill, xPos-free rotation by sin/cos tables, the recurrent form as a
Python loop carrying a (heads, d_k, d_v) state, a check that both agree, GroupNorm
over heads and a swish gate; a few steps of training with Adam and a LinearLR warmup."""

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(11)
B, T, D, H = 2, 7, 16, 4

def rotate_every_two(x):
    x1, x2 = x[..., ::2], x[..., 1::2]
    return torch.stack((-x2, x1), dim=-1).flatten(-2)

def theta_shift(x, sin, cos):
    return (x * cos) + (rotate_every_two(x) * sin)

class Retention(nn.Module):
    def __init__(self):
        super().__init__()
        self.hd = D // H
        self.q, self.k, self.v = (nn.Linear(D, D, bias=False) for _ in range(3))
        self.g, self.o = nn.Linear(D, D, bias=False), nn.Linear(D, D, bias=False)
        self.norm = nn.GroupNorm(H, D, affine=False)
        decay = torch.log(1 - 2 ** (-5 - torch.arange(H, dtype=torch.float)))
        self.register_buffer("decay", decay)
        angle = 1.0 / (10000 ** torch.linspace(0, 1, self.hd // 2))
        self.register_buffer("angle", angle.unsqueeze(-1).repeat(1, 2).flatten())

    def rel_pos(self, T):
        index = torch.arange(T).to(self.decay)
        sin = torch.sin(index[:, None] * self.angle[None, :])
        cos = torch.cos(index[:, None] * self.angle[None, :])
        mask = torch.tril(torch.ones(T, T).to(self.decay))
        mask = torch.masked_fill(index[:, None] - index[None, :], ~mask.bool(), float("inf"))
        mask = torch.exp(mask * self.decay[:, None, None])
        mask = torch.nan_to_num(mask)
        return sin, cos, mask

    def heads(self, x):
        return x.view(x.shape[0], x.shape[1], H, self.hd).transpose(1, 2)

    def forward(self, x, recurrent=False):
        b, t, _ = x.shape
        sin, cos, mask = self.rel_pos(t)
        q, k, v = self.heads(self.q(x)), self.heads(self.k(x)), self.heads(self.v(x))
        q, k = theta_shift(q, sin, cos), theta_shift(k, sin, cos) * self.hd ** -0.5
        if not recurrent:
            out = (q @ k.transpose(-1, -2) * mask) @ v
        else:  # the same sum, carried as a decayed (d_k, d_v) state per head
            gamma = self.decay.exp()[None, :, None, None]
            state = torch.zeros(b, H, self.hd, self.hd)
            outs = []
            for n in range(t):
                kv = k[:, :, n, :, None] * v[:, :, n, None, :]
                state = state * gamma + kv
                outs.append(q[:, :, n, None, :] @ state)
            out = torch.cat(outs, dim=2)
        out = out.transpose(1, 2).reshape(b * t, D)
        out = self.norm(out).reshape(b, t, D)
        return self.o(F.silu(self.g(x)) * out)

class RetNetLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(D), nn.LayerNorm(D)
        self.ret = Retention()
        self.ffn = nn.Sequential(nn.Linear(D, 2 * D), nn.GELU(approximate="tanh"),
                                 nn.Linear(2 * D, D))

    def forward(self, x, recurrent=False):
        x = x + self.ret(self.ln1(x), recurrent)
        return x + self.ffn(self.ln2(x))

emb, layer, head = nn.Embedding(9, D), RetNetLayer(), nn.Linear(D, 9)
print(layer.ret.decay, layer.ret.rel_pos(4)[2][1])
seq = torch.randint(0, 9, (B, T + 1))
params = [*emb.parameters(), *layer.parameters(), *head.parameters()]
opt = torch.optim.Adam(params, lr=1e-2)
sched = torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.25, total_iters=3)
for step in range(5):
    logits = head(layer(emb(seq[:, :-1])))
    loss = F.cross_entropy(logits.transpose(1, 2), seq[:, 1:])
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    print(f"step {step} loss {loss.item():.5f} lr {sched.get_last_lr()[0]:.5f}")
with torch.no_grad():
    x = emb(seq[:, :-1])
    par, rec = layer(x), layer(x, recurrent=True)
    print(par[0, -1, :4], torch.allclose(par, rec, atol=1e-5))
