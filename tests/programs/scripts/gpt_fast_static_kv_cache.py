"""gpt-fast's decoding paths on a tiny model: its rotary cache (torch.polar, then the real and
imaginary parts stacked as float pairs) applied by stacking the rotated pairs and flatten(3),
a static KV cache (preallocated non-persistent buffers written by index assignment at
input_pos under inference_mode, a mask row per position), and
sampling with the exponential-race trick (empty_like(...).exponential_() then argmax) next to
torch.multinomial, all checked against a no-cache forward."""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(11)
V, D, H, MAXLEN = 20, 32, 4, 24
HD = D // H


def precompute_freqs_cis(seq_len, n_elem, base=10000):
    freqs = 1.0 / (base ** (torch.arange(0, n_elem, 2)[: (n_elem // 2)].float() / n_elem))
    t = torch.arange(seq_len, device=freqs.device)
    freqs = torch.outer(t, freqs)
    freqs_cis = torch.polar(torch.ones_like(freqs), freqs)
    cache = torch.stack([freqs_cis.real, freqs_cis.imag], dim=-1)
    return cache.to(dtype=torch.float32)


def apply_rotary_emb(x, freqs_cis):
    xshaped = x.float().reshape(*x.shape[:-1], -1, 2)
    freqs_cis = freqs_cis.view(1, xshaped.size(1), 1, xshaped.size(3), 2)
    x_out2 = torch.stack(
        [
            xshaped[..., 0] * freqs_cis[..., 0] - xshaped[..., 1] * freqs_cis[..., 1],
            xshaped[..., 1] * freqs_cis[..., 0] + xshaped[..., 0] * freqs_cis[..., 1],
        ],
        -1,
    )
    return x_out2.flatten(3).type_as(x)


class KVCache(nn.Module):
    def __init__(self, batch):
        super().__init__()
        self.register_buffer("k_cache", torch.zeros(batch, H, MAXLEN, HD), persistent=False)
        self.register_buffer("v_cache", torch.zeros(batch, H, MAXLEN, HD), persistent=False)

    def update(self, input_pos, k_val, v_val):
        self.k_cache[:, :, input_pos] = k_val
        self.v_cache[:, :, input_pos] = v_val
        return self.k_cache, self.v_cache


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.wq, self.wk = nn.Linear(D, D, bias=False), nn.Linear(D, D, bias=False)
        self.wv, self.wo = nn.Linear(D, D, bias=False), nn.Linear(D, D, bias=False)
        self.kv_cache = None

    def forward(self, x, freqs_cis, mask, input_pos=None):
        B, T, _ = x.shape
        xq, xk, xv = (
            self.wq(x).view(B, T, H, HD),
            self.wk(x).view(B, T, H, HD),
            self.wv(x).view(B, T, H, HD),
        )
        xq, xk = apply_rotary_emb(xq, freqs_cis), apply_rotary_emb(xk, freqs_cis)
        q, k, v = (t.transpose(1, 2) for t in (xq, xk, xv))
        if self.kv_cache is not None:
            k, v = self.kv_cache.update(input_pos, k, v)
        scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(HD)
        scores = torch.where(mask, scores, torch.finfo(scores.dtype).min)
        out = torch.matmul(F.softmax(scores.float(), dim=-1).type_as(q), v)
        return self.wo(out.transpose(1, 2).contiguous().view(B, T, -1))


class Transformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok_embeddings = nn.Embedding(V, D)
        self.layers = nn.ModuleList(Attention() for _ in range(2))
        self.norm = nn.RMSNorm(D, eps=1e-6)
        self.output = nn.Linear(D, V, bias=False)
        self.freqs_cis = precompute_freqs_cis(MAXLEN * 2, HD)
        self.causal = torch.tril(torch.ones(MAXLEN, MAXLEN, dtype=torch.bool))

    def setup_caches(self, batch):
        for layer in self.layers:
            layer.kv_cache = KVCache(batch)

    def forward(self, tokens, input_pos):
        h = self.tok_embeddings(tokens)
        freqs = self.freqs_cis[input_pos]
        if self.layers[0].kv_cache is None:
            mask = self.causal[None, None, input_pos][..., input_pos]
        else:
            mask = self.causal[None, None, input_pos]
        for layer in self.layers:
            h = h + layer(h, freqs, mask, input_pos)
        return self.output(self.norm(h)).float()


print("freqs_cis", precompute_freqs_cis(4, HD).shape, precompute_freqs_cis(4, HD)[1, :2])
model = Transformer()
data = torch.randint(0, V, (6, 12))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
for step in range(15):
    logits = model(data[:, :-1], torch.arange(11))
    loss = F.cross_entropy(logits.reshape(-1, V), data[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 5 == 0:
        print(f"step {step}: loss {loss.item():.4f}")
print("wq grad norm", round(model.layers[0].wq.weight.grad.norm().item(), 4))


def multinomial_sample_one_no_sync(probs_sort):
    q = torch.empty_like(probs_sort).exponential_(1)
    return torch.argmax(probs_sort / q, dim=-1, keepdim=True).to(dtype=torch.int)


def logits_to_probs(logits, temperature=1.0, top_k=None):
    logits = logits / max(temperature, 1e-5)
    if top_k is not None:
        v, _ = torch.topk(logits, min(top_k, logits.size(-1)))
        pivot = v.select(-1, -1).unsqueeze(-1)
        logits = torch.where(logits < pivot, -float("Inf"), logits)
    return torch.nn.functional.softmax(logits, dim=-1)


model.eval()
prompt = data[:2, :4]
with torch.inference_mode():
    full = model(prompt, torch.arange(4))
    model.setup_caches(batch=2)
    cached = model(prompt, torch.arange(4))
    print("prefill matches:", torch.allclose(full, cached, atol=1e-5), cached.is_inference())
    tokens, pos = prompt, 4
    nxt = multinomial_sample_one_no_sync(logits_to_probs(cached[:, -1], 0.8, top_k=5))
    for _ in range(6):
        tokens = torch.cat([tokens, nxt.long()], dim=1)
        step_logits = model(nxt.long(), torch.tensor([pos]))
        pos += 1
        nxt = multinomial_sample_one_no_sync(logits_to_probs(step_logits[:, -1], 0.8, top_k=5))
    print("generated", tokens.tolist())
    model.setup_caches(batch=2)
    ref = model(tokens, torch.arange(tokens.size(1)))
    for layer in model.layers:
        layer.kv_cache = None
    ref2 = model(tokens, torch.arange(tokens.size(1)))
    print("cache vs full forward:", torch.allclose(ref, ref2, atol=1e-5))
    g = torch.Generator().manual_seed(4)
    print(
        "multinomial", torch.multinomial(logits_to_probs(ref2[:, -1], 1.0), 3, generator=g).tolist()
    )
print("caches cleared:", model.layers[0].kv_cache is None, "rotary dtype", model.freqs_cis.dtype)
