"""Chunked prefill and speculative verification with a key/value cache, as recent decoder code
writes attention: F.scaled_dot_product_attention inside ``sdpa_kernel(SDPBackend.MATH)``,
``torch.nn.attention.bias.causal_lower_right(L, S)`` for L new tokens against S cached ones
(``causal_upper_left`` would hide the cache from them), grouped-query attention with
``enable_gqa``, and a check that cached logits equal a full forward pass. Also what the bias
object is (variant, sizes, the mask it stands for) and the error for is_causal with a bias."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel
from torch.nn.attention.bias import CausalVariant, causal_lower_right, causal_upper_left

torch.manual_seed(5)


class Attention(nn.Module):
    def __init__(self, d, heads, kv_heads):
        super().__init__()
        self.heads, self.kv_heads, self.hd = heads, kv_heads, d // heads
        self.q = nn.Linear(d, d, bias=False)
        self.kv = nn.Linear(d, 2 * kv_heads * self.hd, bias=False)
        self.o = nn.Linear(d, d, bias=False)

    def forward(self, x, cache=None):
        b, t, _ = x.shape
        q = self.q(x).view(b, t, self.heads, self.hd).transpose(1, 2)
        k, v = self.kv(x).view(b, t, 2, self.kv_heads, self.hd).permute(2, 0, 3, 1, 4)
        if cache is not None:
            k, v = torch.cat([cache[0], k], dim=2), torch.cat([cache[1], v], dim=2)
        mask = causal_lower_right(t, k.shape[2])
        with sdpa_kernel(SDPBackend.MATH):
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, enable_gqa=True)
        return self.o(y.transpose(1, 2).reshape(b, t, -1)), (k, v)


class Decoder(nn.Module):
    def __init__(self, vocab=17, d=16, heads=4, kv_heads=2, depth=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.attn = nn.ModuleList(Attention(d, heads, kv_heads) for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(d) for _ in range(depth))
        self.head = nn.Linear(d, vocab)

    def forward(self, idx, caches=None):
        x = self.emb(idx)
        new = []
        for i, (attn, norm) in enumerate(zip(self.attn, self.norm, strict=True)):
            h, kv = attn(norm(x), None if caches is None else caches[i])
            x = x + h
            new.append(kv)
        return self.head(x), new


model = Decoder().eval()
tokens = torch.randint(0, 17, (2, 11))
with torch.no_grad():
    full, _ = model(tokens)
    logits, caches = model(tokens[:, :4])  # the first chunk of the prompt
    chunks = [logits]
    for start, stop in ((4, 7), (7, 8), (8, 11)):  # the rest in chunks of 3, 1 and 3
        logits, caches = model(tokens[:, start:stop], caches)
        chunks.append(logits)
    chunked = torch.cat(chunks, dim=1)
print(torch.allclose(chunked, full, atol=1e-5), caches[0][0].shape)
print(full[1, -1].softmax(-1).topk(3))

# speculative decoding: score 3 drafted tokens in one cached call, accept the agreeing prefix
# (the draft: two greedy steps, then a token of its own, for the first row only)
with torch.no_grad():
    first = full[:, -1].argmax(-1, keepdim=True)
    step, _ = model(first, caches)
    draft = torch.cat([first, step[:, -1].argmax(-1, keepdim=True), torch.tensor([[5], [5]])], 1)
    draft[1, 0] = (draft[1, 0] + 1) % 17
    verify, _ = model(draft, caches)
    greedy = torch.cat([full[:, -1:], verify[:, :-1]], dim=1).argmax(-1)
accepted = (greedy == draft).long().cumprod(dim=1).sum(dim=1)
print(greedy, accepted)

bias = causal_lower_right(3, 5)
print(bias.variant == CausalVariant.LOWER_RIGHT, bias.seq_len_q, bias.seq_len_kv)
print(bias)
print(causal_upper_left(3, 5))
q = torch.randn(1, 1, 3, 4)
kv = torch.randn(1, 1, 5, 4)
print(F.scaled_dot_product_attention(q, kv, kv, attn_mask=causal_upper_left(3, 5)))
try:
    F.scaled_dot_product_attention(q, kv, kv, attn_mask=bias, is_causal=True)
except ValueError as err:
    print("ValueError:", err)
