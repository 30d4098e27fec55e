"""Transformer-XL style attention: sinusoidal relative position embeddings, the rel_shift
trick (pad a zero column, view, drop the first row), the u and v bias terms, and a segment
memory carried across segments without gradient; plus T5-style bucketed relative position
bias computed with torch.where and log."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


def rel_shift(x):
    b, h, q, k = x.shape
    zero_pad = torch.zeros((b, h, q, 1), dtype=x.dtype)
    x_padded = torch.cat([zero_pad, x], dim=-1)
    x_padded = x_padded.view(b, h, k + 1, q)
    return x_padded[:, :, 1:].view_as(x)


class PositionalEmbedding(nn.Module):
    def __init__(self, demb):
        super().__init__()
        inv_freq = 1 / (10000 ** (torch.arange(0.0, demb, 2.0) / demb))
        self.register_buffer("inv_freq", inv_freq)

    def forward(self, pos_seq):
        sinusoid_inp = torch.ger(pos_seq, self.inv_freq)
        return torch.cat([sinusoid_inp.sin(), sinusoid_inp.cos()], dim=-1)[None, :, :]


class RelMultiHeadAttn(nn.Module):
    def __init__(self, d_model, n_head):
        super().__init__()
        self.n_head, self.d_head = n_head, d_model // n_head
        self.qkv = nn.Linear(d_model, 3 * d_model, bias=False)
        self.r_net = nn.Linear(d_model, d_model, bias=False)
        self.o = nn.Linear(d_model, d_model, bias=False)
        self.r_w_bias = nn.Parameter(torch.zeros(n_head, self.d_head))
        self.r_r_bias = nn.Parameter(torch.zeros(n_head, self.d_head))
        nn.init.normal_(self.r_w_bias, std=0.02)
        nn.init.normal_(self.r_r_bias, std=0.02)
        self.ln = nn.LayerNorm(d_model)

    def forward(self, w, r, mems=None):
        qlen, bsz = w.size(1), w.size(0)
        cat = w if mems is None else torch.cat([mems, w], 1)
        klen = cat.size(1)
        q, k, v = torch.chunk(self.qkv(cat), 3, dim=-1)
        q = q[:, -qlen:]
        q = q.view(bsz, qlen, self.n_head, self.d_head)
        k = k.view(bsz, klen, self.n_head, self.d_head)
        v = v.view(bsz, klen, self.n_head, self.d_head)
        r_k = self.r_net(r).view(klen, self.n_head, self.d_head)
        ac = torch.einsum("bind,bjnd->bnij", q + self.r_w_bias, k)
        bd = rel_shift(torch.einsum("bind,jnd->bnij", q + self.r_r_bias, r_k))
        score = (ac + bd) / math.sqrt(self.d_head)
        mask = torch.triu(torch.ones(qlen, klen, dtype=torch.bool), diagonal=1 + klen - qlen)
        score = score.masked_fill(mask[None, None], -float("inf"))
        prob = F.softmax(score, dim=-1)
        out = torch.einsum("bnij,bjnd->bind", prob, v).contiguous().view(bsz, qlen, -1)
        return self.ln(w + self.o(out))


def t5_bucket(relative_position, num_buckets=8, max_distance=16):
    ret = 0
    n = -relative_position
    num_buckets //= 2
    ret += (n < 0).to(torch.long) * num_buckets
    n = torch.abs(n)
    max_exact = num_buckets // 2
    is_small = n < max_exact
    val_if_large = max_exact + (
        torch.log(n.float() / max_exact) / math.log(max_distance / max_exact)
        * (num_buckets - max_exact)).to(torch.long)
    val_if_large = torch.min(val_if_large, torch.full_like(val_if_large, num_buckets - 1))
    return ret + torch.where(is_small, n, val_if_large)


x = torch.arange(12.0).view(1, 1, 3, 4)
print(rel_shift(x))
ctx = torch.arange(6)[:, None]
mem = torch.arange(6)[None, :]
print(t5_bucket(mem - ctx))

vocab, d, seg = 16, 16, 6
emb = nn.Embedding(vocab, d)
pos_emb = PositionalEmbedding(d)
layer = RelMultiHeadAttn(d, 2)
head = nn.Linear(d, vocab)
params = list(emb.parameters()) + list(layer.parameters()) + list(head.parameters())
opt = torch.optim.Adam(params, lr=1e-2)
stream = torch.arange(4 * 30).view(4, 30) % 7 + torch.randint(0, 3, (4, 30))
stream = stream.clamp(max=vocab - 1)
for epoch in range(4):
    mems, total = None, 0.0
    for i in range(0, 24, seg):
        inp, tgt = stream[:, i:i + seg], stream[:, i + 1:i + seg + 1]
        klen = seg + (0 if mems is None else mems.size(1))
        pos_seq = torch.arange(klen - 1, -1, -1.0)
        h = layer(emb(inp), pos_emb(pos_seq)[0], mems)
        loss = F.cross_entropy(head(h).flatten(0, 1), tgt.flatten())
        opt.zero_grad()
        loss.backward()
        opt.step()
        mems = emb(inp).detach()
        total += loss.item()
    print(f"epoch {epoch} loss {total / 4:.4f} mem {tuple(mems.shape)}")
print(pos_emb(torch.arange(3.0))[0, :, :4])
