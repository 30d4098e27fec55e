"""Loading GPT-2-style weights from a differently named checkpoint, the way LLM-from-scratch
books do it: a HuggingFace-like state dict (Conv1D weights stored transposed, fused c_attn)
mapped key by key onto a fresh model with an `assign` helper that wraps tensors in
nn.Parameter, copy_ under no_grad, load_state_dict(strict=False) and load_state_dict(assign=True),
weight tying of the output head, parameter counting with numel and print(model)."""

import torch
import torch.nn as nn

torch.manual_seed(123)
CFG = {"vocab_size": 50, "context_length": 16, "emb_dim": 24, "n_heads": 4, "n_layers": 2}


class LayerNorm(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.eps = 1e-5
        self.scale = nn.Parameter(torch.ones(d))
        self.shift = nn.Parameter(torch.zeros(d))

    def forward(self, x):
        mean = x.mean(dim=-1, keepdim=True)
        var = x.var(dim=-1, keepdim=True, unbiased=False)
        return self.scale * (x - mean) / torch.sqrt(var + self.eps) + self.shift


class MultiHeadAttention(nn.Module):
    def __init__(self, d, ctx, heads):
        super().__init__()
        self.h, self.hd = heads, d // heads
        self.W_query = nn.Linear(d, d)
        self.W_key = nn.Linear(d, d)
        self.W_value = nn.Linear(d, d)
        self.out_proj = nn.Linear(d, d)
        self.register_buffer("mask", torch.triu(torch.ones(ctx, ctx), diagonal=1))

    def forward(self, x):
        b, n, d = x.shape
        q = self.W_query(x).view(b, n, self.h, self.hd).transpose(1, 2)
        k = self.W_key(x).view(b, n, self.h, self.hd).transpose(1, 2)
        v = self.W_value(x).view(b, n, self.h, self.hd).transpose(1, 2)
        scores = q @ k.transpose(2, 3)
        scores.masked_fill_(self.mask.bool()[:n, :n], -torch.inf)
        w = torch.softmax(scores / k.shape[-1] ** 0.5, dim=-1)
        return self.out_proj((w @ v).transpose(1, 2).contiguous().view(b, n, d))


class TransformerBlock(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg["emb_dim"]
        self.att = MultiHeadAttention(d, cfg["context_length"], cfg["n_heads"])
        self.ff = nn.Sequential(
            nn.Linear(d, 4 * d), nn.GELU(approximate="tanh"), nn.Linear(4 * d, d)
        )
        self.norm1, self.norm2 = LayerNorm(d), LayerNorm(d)

    def forward(self, x):
        x = x + self.att(self.norm1(x))
        return x + self.ff(self.norm2(x))


class GPTModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.tok_emb = nn.Embedding(cfg["vocab_size"], cfg["emb_dim"])
        self.pos_emb = nn.Embedding(cfg["context_length"], cfg["emb_dim"])
        self.trf_blocks = nn.Sequential(*[TransformerBlock(cfg) for _ in range(cfg["n_layers"])])
        self.final_norm = LayerNorm(cfg["emb_dim"])
        self.out_head = nn.Linear(cfg["emb_dim"], cfg["vocab_size"], bias=False)

    def forward(self, idx):
        pos = torch.arange(idx.shape[1], device=idx.device)
        x = self.tok_emb(idx) + self.pos_emb(pos)
        return self.out_head(self.final_norm(self.trf_blocks(x)))


def hf_checkpoint(cfg):
    """A checkpoint named like HuggingFace's GPT-2 (Conv1D weights are (in, out))."""
    d, g = cfg["emb_dim"], torch.Generator().manual_seed(7)
    sd = {
        "wte.weight": torch.randn(cfg["vocab_size"], d, generator=g) * 0.02,
        "wpe.weight": torch.randn(cfg["context_length"], d, generator=g) * 0.01,
    }
    for i in range(cfg["n_layers"]):
        p = f"h.{i}."
        sd[p + "attn.c_attn.weight"] = torch.randn(d, 3 * d, generator=g) * 0.02
        sd[p + "attn.c_attn.bias"] = torch.randn(3 * d, generator=g) * 0.01
        sd[p + "attn.c_proj.weight"] = torch.randn(d, d, generator=g) * 0.02
        sd[p + "attn.c_proj.bias"] = torch.zeros(d)
        sd[p + "mlp.c_fc.weight"] = torch.randn(d, 4 * d, generator=g) * 0.02
        sd[p + "mlp.c_fc.bias"] = torch.zeros(4 * d)
        sd[p + "mlp.c_proj.weight"] = torch.randn(4 * d, d, generator=g) * 0.02
        sd[p + "mlp.c_proj.bias"] = torch.randn(d, generator=g) * 0.01
        for ln in ("ln_1", "ln_2"):
            sd[p + ln + ".weight"] = 1 + 0.1 * torch.randn(d, generator=g)
            sd[p + ln + ".bias"] = 0.1 * torch.randn(d, generator=g)
    sd["ln_f.weight"], sd["ln_f.bias"] = torch.ones(d), torch.zeros(d)
    sd["h.0.attn.masked_bias"] = torch.tensor(-1e4)  # an old buffer nobody wants
    return sd


def assign(left, right):
    if left.shape != right.shape:
        raise ValueError(f"Shape mismatch. Left: {left.shape}, Right: {right.shape}")
    return torch.nn.Parameter(torch.tensor(right.numpy()))


def load_weights_into_gpt(gpt, params):
    gpt.pos_emb.weight = assign(gpt.pos_emb.weight, params["wpe.weight"])
    gpt.tok_emb.weight = assign(gpt.tok_emb.weight, params["wte.weight"])
    for b, blk in enumerate(gpt.trf_blocks):
        p = f"h.{b}."
        q_w, k_w, v_w = torch.split(params[p + "attn.c_attn.weight"], CFG["emb_dim"], dim=-1)
        blk.att.W_query.weight = assign(blk.att.W_query.weight, q_w.T)
        blk.att.W_key.weight = assign(blk.att.W_key.weight, k_w.T)
        blk.att.W_value.weight = assign(blk.att.W_value.weight, v_w.T)
        q_b, k_b, v_b = params[p + "attn.c_attn.bias"].chunk(3, dim=-1)
        blk.att.W_query.bias = assign(blk.att.W_query.bias, q_b)
        blk.att.W_key.bias = assign(blk.att.W_key.bias, k_b)
        blk.att.W_value.bias = assign(blk.att.W_value.bias, v_b)
        with torch.no_grad():
            blk.att.out_proj.weight.copy_(params[p + "attn.c_proj.weight"].T)
            blk.att.out_proj.bias.copy_(params[p + "attn.c_proj.bias"])
        blk.ff[0].weight = assign(blk.ff[0].weight, params[p + "mlp.c_fc.weight"].T)
        blk.ff[0].bias = assign(blk.ff[0].bias, params[p + "mlp.c_fc.bias"])
        blk.ff[2].weight = assign(blk.ff[2].weight, params[p + "mlp.c_proj.weight"].T)
        blk.ff[2].bias = assign(blk.ff[2].bias, params[p + "mlp.c_proj.bias"])
        blk.norm1.scale = assign(blk.norm1.scale, params[p + "ln_1.weight"])
        blk.norm1.shift = assign(blk.norm1.shift, params[p + "ln_1.bias"])
        blk.norm2.scale = assign(blk.norm2.scale, params[p + "ln_2.weight"])
        blk.norm2.shift = assign(blk.norm2.shift, params[p + "ln_2.bias"])
    gpt.final_norm.scale = assign(gpt.final_norm.scale, params["ln_f.weight"])
    gpt.final_norm.shift = assign(gpt.final_norm.shift, params["ln_f.bias"])
    gpt.out_head.weight = assign(gpt.out_head.weight, params["wte.weight"])


params = hf_checkpoint(CFG)
gpt = GPTModel(CFG)
print(gpt)
total = sum(p.numel() for p in gpt.parameters())
print(f"Total number of parameters: {total:,}")
print(f"Without the output head: {total - sum(p.numel() for p in gpt.out_head.parameters()):,}")
load_weights_into_gpt(gpt, params)
gpt.eval()
idx = torch.tensor([[1, 4, 9, 16, 25, 36]])
with torch.no_grad():
    logits = gpt(idx)
print("logits", logits.shape, logits[0, -1, :6])
print("next token", logits[0, -1].argmax().item())
print("tied?", gpt.out_head.weight is gpt.tok_emb.weight, gpt.out_head.weight.requires_grad)

# The same weights through state-dict renaming and strict=False.
rename = {
    "wte.weight": "tok_emb.weight",
    "wpe.weight": "pos_emb.weight",
    "ln_f.weight": "final_norm.scale",
    "ln_f.bias": "final_norm.shift",
}
fresh = GPTModel(CFG)
result = fresh.load_state_dict(
    {rename[k]: v for k, v in params.items() if k in rename}, strict=False
)
print("missing", len(result.missing_keys), result.missing_keys[:3])
print("unexpected", result.unexpected_keys)
print("pos equal", torch.equal(fresh.pos_emb.weight, gpt.pos_emb.weight))

# assign=True keeps the checkpoint's own tensors (and their requires_grad=False).
sd = {k: v.clone() for k, v in gpt.state_dict().items()}
other = GPTModel(CFG)
other.load_state_dict(sd, assign=True)
print("assign keeps object", other.tok_emb.weight.data_ptr() == sd["tok_emb.weight"].data_ptr())
print("param type", type(other.tok_emb.weight).__name__, other.tok_emb.weight.requires_grad)
with torch.no_grad():
    print("same logits", torch.allclose(other(idx), logits, atol=1e-6))
print("state keys", list(gpt.state_dict())[:5], len(gpt.state_dict()))
