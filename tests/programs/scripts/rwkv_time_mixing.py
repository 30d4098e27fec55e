"""An RWKV-style language model written as the minimal "RWKV in 150 lines" ports do: token shift
with nn.ZeroPad2d((0, 0, 1, -1)), learned time-mix interpolation, the WKV recurrence in its
numerically stable form (running max p, exp of differences, a Python loop over time) checked
against a parallel form built with cumsum of decays and an exp/tril weight matrix, channel
mixing with squared ReLU; trained a few steps with Adam on a toy sequence."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(6)
V, C, T, B = 12, 16, 10, 3


class TimeMix(nn.Module):
    def __init__(self, C):
        super().__init__()
        self.time_shift = nn.ZeroPad2d((0, 0, 1, -1))
        self.time_decay = nn.Parameter(torch.linspace(-1.0, 0.5, C))
        self.time_first = nn.Parameter(torch.ones(C) * 0.3)
        ratio = torch.arange(C, dtype=torch.float32) / C
        self.time_mix_k = nn.Parameter(ratio.clone())
        self.time_mix_v = nn.Parameter(ratio.clone() + 0.1)
        self.time_mix_r = nn.Parameter(0.5 * ratio)
        self.key = nn.Linear(C, C, bias=False)
        self.value = nn.Linear(C, C, bias=False)
        self.receptance = nn.Linear(C, C, bias=False)
        self.output = nn.Linear(C, C, bias=False)

    def wkv_loop(self, w, u, k, v):
        B, T, C = k.shape
        aa = torch.zeros(B, C)
        bb = torch.zeros(B, C)
        pp = torch.full((B, C), -1e38)
        out = []
        for t in range(T):
            kk, vv = k[:, t], v[:, t]
            ww = u + kk
            p = torch.maximum(pp, ww)
            e1, e2 = torch.exp(pp - p), torch.exp(ww - p)
            out.append((e1 * aa + e2 * vv) / (e1 * bb + e2))
            ww = pp - torch.exp(w)  # decay the state
            p = torch.maximum(ww, kk)
            e1, e2 = torch.exp(ww - p), torch.exp(kk - p)
            aa = e1 * aa + e2 * vv
            bb = e1 * bb + e2
            pp = p
        return torch.stack(out, dim=1)

    def wkv_parallel(self, w, u, k, v):
        T = k.shape[1]
        t = torch.arange(T, dtype=k.dtype)
        dist = (t[:, None] - t[None, :] - 1).clamp(min=0)            # steps of decay
        logits = -torch.exp(w)[None, None, :] * dist[:, :, None]      # (T, T, C)
        logits = logits[None] + k[:, None, :, :]                      # (B, T, T, C)
        diag = torch.eye(T, dtype=torch.bool)[None, :, :, None]
        logits = torch.where(diag, (u + k)[:, None, :, :].expand_as(logits), logits)
        causal = torch.tril(torch.ones(T, T, dtype=torch.bool))[None, :, :, None]
        logits = logits.masked_fill(~causal, float("-inf"))
        weights = torch.softmax(logits, dim=2)
        return torch.einsum("btsc,bsc->btc", weights, v)

    def forward(self, x, parallel=False):
        xx = self.time_shift(x)
        xk = x * self.time_mix_k + xx * (1 - self.time_mix_k)
        xv = x * self.time_mix_v + xx * (1 - self.time_mix_v)
        xr = x * self.time_mix_r + xx * (1 - self.time_mix_r)
        k, v, r = self.key(xk), self.value(xv), torch.sigmoid(self.receptance(xr))
        wkv_fn = self.wkv_parallel if parallel else self.wkv_loop
        wkv = wkv_fn(self.time_decay, self.time_first, k, v)
        return self.output(r * wkv)


class ChannelMix(nn.Module):
    def __init__(self, C):
        super().__init__()
        self.time_shift = nn.ZeroPad2d((0, 0, 1, -1))
        self.time_mix = nn.Parameter(torch.full((1, 1, C), 0.5))
        self.key = nn.Linear(C, 4 * C, bias=False)
        self.value = nn.Linear(4 * C, C, bias=False)

    def forward(self, x):
        xx = self.time_shift(x)
        xk = x * self.time_mix + xx * (1 - self.time_mix)
        return self.value(torch.square(torch.relu(self.key(xk))))


class RWKV(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, C)
        self.ln0, self.ln1, self.ln2 = nn.LayerNorm(C), nn.LayerNorm(C), nn.LayerNorm(C)
        self.att, self.ffn = TimeMix(C), ChannelMix(C)
        self.ln_out = nn.LayerNorm(C)
        self.head = nn.Linear(C, V, bias=False)

    def forward(self, idx, parallel=False):
        x = self.ln0(self.emb(idx))
        x = x + self.att(self.ln1(x), parallel)
        x = x + self.ffn(self.ln2(x))
        return self.head(self.ln_out(x))


model = RWKV()
seq = torch.randint(0, V, (B, T + 1))
inp, tgt = seq[:, :-1], seq[:, 1:]
with torch.no_grad():
    a, b = model(inp), model(inp, parallel=True)
print("loop vs parallel", torch.allclose(a, b, atol=1e-5), a.shape)
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
for step in range(5):
    logits = model(inp, parallel=step % 2 == 1)
    loss = F.cross_entropy(logits.reshape(-1, V), tgt.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    decay_grad = model.att.time_decay.grad.norm().item()
    print(f"step {step} loss {loss.item():.5f} decay-grad {decay_grad:.6f}")
print(model.att.time_first.data[:5])
print(model.att.time_shift)
