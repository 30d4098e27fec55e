"""Three position schemes of modern decoders as popular repositories write them, in one small
causal LM: T5's relative position buckets (log-bucketing with torch.log, torch.min, full_like,
where, an nn.Embedding of buckets per head), ALiBi slopes (the power-of-two geometric series,
closest_power_of_2 interpolation) added as a linear distance bias, and grouped-query attention
whose key/value heads are repeated with repeat_interleave; a SwiGLU MLP, top-k filtering with
topk/scatter, and greedy generation with a KV cache grown by torch.cat."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(8)
V, D, H, KVH, T = 20, 32, 4, 2, 8


def relative_position_bucket(relative_position, bidirectional=True, num_buckets=32,
                             max_distance=128):
    relative_buckets = 0
    if bidirectional:
        num_buckets //= 2
        relative_buckets += (relative_position > 0).to(torch.long) * num_buckets
        relative_position = torch.abs(relative_position)
    else:
        relative_position = -torch.min(relative_position, torch.zeros_like(relative_position))
    max_exact = num_buckets // 2
    is_small = relative_position < max_exact
    relative_position_if_large = max_exact + (
        torch.log(relative_position.float() / max_exact)
        / math.log(max_distance / max_exact) * (num_buckets - max_exact)).to(torch.long)
    relative_position_if_large = torch.min(
        relative_position_if_large, torch.full_like(relative_position_if_large, num_buckets - 1))
    relative_buckets += torch.where(is_small, relative_position, relative_position_if_large)
    return relative_buckets


def get_alibi_slopes(n):
    def power_of_2(n):
        start = 2 ** (-2 ** -(math.log2(n) - 3))
        return [start * start ** i for i in range(n)]
    if math.log2(n).is_integer():
        return power_of_2(n)
    closest = 2 ** math.floor(math.log2(n))
    return power_of_2(closest) + get_alibi_slopes(2 * closest)[0::2][: n - closest]


class GQAttention(nn.Module):
    def __init__(self, scheme):
        super().__init__()
        self.scheme, self.hd = scheme, D // H
        self.q = nn.Linear(D, D, bias=False)
        self.kv = nn.Linear(D, 2 * KVH * self.hd, bias=False)
        self.o = nn.Linear(D, D, bias=False)
        if scheme == "t5":
            self.rel_bias = nn.Embedding(16, H)
        self.register_buffer("slopes", torch.tensor(get_alibi_slopes(H)), persistent=False)

    def bias(self, q_len, k_len):
        ctx = torch.arange(k_len - q_len, k_len)[:, None]
        mem = torch.arange(k_len)[None, :]
        rel = mem - ctx
        if self.scheme == "t5":
            buckets = relative_position_bucket(rel, bidirectional=False, num_buckets=16,
                                               max_distance=32)
            return self.rel_bias(buckets).permute(2, 0, 1).unsqueeze(0)
        return (self.slopes[:, None, None] * rel[None]).unsqueeze(0)

    def forward(self, x, cache=None):
        B, L, _ = x.shape
        q = self.q(x).view(B, L, H, self.hd).transpose(1, 2)
        k, v = self.kv(x).view(B, L, 2, KVH, self.hd).permute(2, 0, 3, 1, 4).unbind(0)
        if cache is not None:
            k, v = torch.cat([cache[0], k], dim=2), torch.cat([cache[1], v], dim=2)
        new_cache = (k, v)
        k = k.repeat_interleave(H // KVH, dim=1)
        v = v.repeat_interleave(H // KVH, dim=1)
        S = k.shape[2]
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.hd) + self.bias(L, S)
        causal = torch.ones(L, S, dtype=torch.bool).tril(diagonal=S - L)
        scores = scores.masked_fill(~causal, float("-inf"))
        out = F.softmax(scores.float(), dim=-1).type_as(q) @ v
        return self.o(out.transpose(1, 2).reshape(B, L, D)), new_cache


class SwiGLU(nn.Module):
    def __init__(self):
        super().__init__()
        self.w1, self.w3 = nn.Linear(D, 48, bias=False), nn.Linear(D, 48, bias=False)
        self.w2 = nn.Linear(48, D, bias=False)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class LM(nn.Module):
    def __init__(self, scheme):
        super().__init__()
        self.emb = nn.Embedding(V, D)
        self.n1, self.n2 = nn.RMSNorm(D), nn.RMSNorm(D)
        self.attn, self.mlp = GQAttention(scheme), SwiGLU()
        self.out = nn.Linear(D, V, bias=False)

    def forward(self, ids, cache=None):
        x = self.emb(ids)
        a, cache = self.attn(self.n1(x), cache)
        x = x + a
        x = x + self.mlp(self.n2(x))
        return self.out(x), cache


rel = torch.arange(-40, 41, 8)
print(relative_position_bucket(rel))
print(relative_position_bucket(rel, bidirectional=False, num_buckets=16, max_distance=32))
print([round(s, 5) for s in get_alibi_slopes(6)])
data = torch.randint(0, V, (4, T + 1))
for scheme in ("t5", "alibi"):
    torch.manual_seed(9)
    model = LM(scheme)
    opt = torch.optim.AdamW(model.parameters(), lr=5e-3)
    for step in range(4):
        logits, _ = model(data[:, :-1])
        loss = F.cross_entropy(logits.flatten(0, 1), data[:, 1:].flatten())
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"{scheme} step {step} loss {loss.item():.5f}")
    model.eval()
    with torch.no_grad():
        full, _ = model(data[:1, :6])
        ids, cache = data[:1, :5], None
        logits, cache = model(ids)
        step_logits, cache = model(data[:1, 5:6], cache)
        print(scheme, "kv cache agrees", torch.allclose(full[:, -1], step_logits[:, -1], atol=1e-5),
              tuple(cache[0].shape))
        ids = data[:1, :2]
        logits, cache = model(ids)
        for _ in range(5):
            last = logits[:, -1]
            v, _ = torch.topk(last, 3)
            last = last.masked_fill(last < v[:, [-1]], -float("inf"))
            nxt = last.argmax(-1, keepdim=True)
            ids = torch.cat([ids, nxt], 1)
            logits, cache = model(nxt, cache)
        print(scheme, ids.tolist())
