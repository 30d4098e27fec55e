"""A LLaMA-style decoder block and cached generation: RMSNorm, rotary position embeddings
computed with torch.outer and applied by real-valued rotation, SwiGLU feed-forward,
scaled_dot_product_attention(is_causal=True), a key/value cache grown with torch.cat, and
nucleus (top-p) sampling with sort, cumsum and scatter."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(89)
V, D, H = 32, 32, 4


def rope_cache(seq_len, head_dim, base=10000.0):
    inv = 1.0 / (base ** (torch.arange(0, head_dim, 2).float() / head_dim))
    freqs = torch.outer(torch.arange(seq_len).float(), inv)
    return freqs.cos(), freqs.sin()


def apply_rope(x, cos, sin):
    x1, x2 = x[..., 0::2], x[..., 1::2]
    rot = torch.stack([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1)
    return rot.flatten(-2)


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1, self.norm2 = nn.RMSNorm(D, eps=1e-5), nn.RMSNorm(D, eps=1e-5)
        self.qkv = nn.Linear(D, 3 * D, bias=False)
        self.o = nn.Linear(D, D, bias=False)
        self.w1 = nn.Linear(D, 64, bias=False)
        self.w3 = nn.Linear(D, 64, bias=False)
        self.w2 = nn.Linear(64, D, bias=False)

    def forward(self, x, cos, sin, cache=None):
        B, T, _ = x.shape
        q, k, v = self.qkv(self.norm1(x)).split(D, dim=2)
        q, k, v = (t.view(B, T, H, D // H).transpose(1, 2) for t in (q, k, v))
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        if cache is not None:
            k = torch.cat([cache[0], k], dim=2)
            v = torch.cat([cache[1], v], dim=2)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=cache is None)
        x = x + self.o(y.transpose(1, 2).contiguous().view(B, T, D))
        h = self.norm2(x)
        return x + self.w2(F.silu(self.w1(h)) * self.w3(h)), (k, v)


class TinyLlama(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, D)
        self.blocks = nn.ModuleList([Block(), Block()])
        self.norm = nn.RMSNorm(D)
        self.head = nn.Linear(D, V, bias=False)
        cos, sin = rope_cache(64, D // H)
        self.register_buffer("cos", cos, persistent=False)
        self.register_buffer("sin", sin, persistent=False)

    def forward(self, idx, caches=None, start=0):
        x = self.emb(idx)
        cos = self.cos[start:start + idx.shape[1]]
        sin = self.sin[start:start + idx.shape[1]]
        new = []
        for i, block in enumerate(self.blocks):
            x, c = block(x, cos, sin, None if caches is None else caches[i])
            new.append(c)
        return self.head(self.norm(x)), new


model = TinyLlama()
print(sorted(model.state_dict().keys())[:3], len(model.state_dict()))
seq = (torch.arange(40) * 7 % V).unsqueeze(0)
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, betas=(0.9, 0.95), weight_decay=0.1)
for step in range(20):
    logits, _ = model(seq[:, :-1])
    loss = F.cross_entropy(logits.view(-1, V), seq[:, 1:].reshape(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    if step % 5 == 0 or step == 19:
        print(f"step {step} loss {loss.item():.4f}")
model.eval()
with torch.no_grad():
    full, _ = model(seq[:, :12])
    _, caches = model(seq[:, :11])
    last, _ = model(seq[:, 11:12], caches, start=11)
    print("cache matches", torch.allclose(full[:, -1], last[:, -1], atol=1e-5))


def top_p_filter(logits, top_p=0.9):
    sorted_logits, sorted_idx = torch.sort(logits, descending=True)
    cum = torch.cumsum(F.softmax(sorted_logits, dim=-1), dim=-1)
    remove = cum > top_p
    remove[..., 1:] = remove[..., :-1].clone()
    remove[..., 0] = False
    mask = remove.scatter(-1, sorted_idx, remove)
    return logits.masked_fill(mask, float("-inf"))


g = torch.Generator().manual_seed(3)
idx = seq[:, :4]
with torch.no_grad():
    logits, caches = model(idx)
    for pos in range(4, 14):
        probs = F.softmax(top_p_filter(logits[:, -1, :] / 0.8), dim=-1)
        nxt = torch.multinomial(probs, num_samples=1, generator=g)
        idx = torch.cat((idx, nxt), dim=1)
        logits, caches = model(nxt, caches, start=pos)
print("sampled", idx[0].tolist())
