"""minGPT's model setup: `model.apply(self._init_weights)` with normal(0, 0.02) and the residual
projections scaled by 1/sqrt(2 * n_layer), nn.Buffer and a non-persistent causal-mask buffer,
configure_optimizers splitting parameters into decay / no-decay groups by module type with
named_modules + named_parameters and set algebra, AdamW(betas, fused=False), the parameter
count without position embeddings, and nanoGPT's estimate_mfu arithmetic."""

import math

import torch
import torch.nn as nn
from torch.nn import functional as F

torch.manual_seed(3407)


class CausalSelfAttention(nn.Module):
    def __init__(self, n_embd, n_head, block_size):
        super().__init__()
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.c_proj = nn.Linear(n_embd, n_embd)
        self.n_head = n_head
        mask = torch.tril(torch.ones(block_size, block_size)).view(1, 1, block_size, block_size)
        self.register_buffer("bias", mask, persistent=False)
        self.scale = nn.Buffer(torch.tensor(1.0 / math.sqrt(n_embd // n_head)))

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(C, dim=2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * self.scale
        att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float("-inf"))
        y = F.softmax(att, dim=-1) @ v
        return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))


class Block(nn.Module):
    def __init__(self, n_embd, n_head, block_size):
        super().__init__()
        self.ln_1 = nn.LayerNorm(n_embd)
        self.attn = CausalSelfAttention(n_embd, n_head, block_size)
        self.ln_2 = nn.LayerNorm(n_embd)
        self.mlp = nn.ModuleDict(
            dict(
                c_fc=nn.Linear(n_embd, 4 * n_embd),
                c_proj=nn.Linear(4 * n_embd, n_embd),
                act=nn.GELU(),
            )
        )
        m = self.mlp
        self.mlpf = lambda x: m.c_proj(m.act(m.c_fc(x)))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlpf(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, vocab_size=40, block_size=12, n_layer=3, n_head=2, n_embd=16):
        super().__init__()
        self.block_size, self.n_layer = block_size, n_layer
        self.transformer = nn.ModuleDict(
            dict(
                wte=nn.Embedding(vocab_size, n_embd),
                wpe=nn.Embedding(block_size, n_embd),
                h=nn.ModuleList([Block(n_embd, n_head, block_size) for _ in range(n_layer)]),
                ln_f=nn.LayerNorm(n_embd),
            )
        )
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        self.apply(self._init_weights)
        for pn, p in self.named_parameters():
            if pn.endswith("c_proj.weight"):
                torch.nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * n_layer))
        n_params = sum(p.numel() for p in self.transformer.parameters())
        print(f"number of parameters: {n_params / 1e3:.4f}K")

    def _init_weights(self, module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            torch.nn.init.zeros_(module.bias)
        elif isinstance(module, nn.LayerNorm):
            torch.nn.init.zeros_(module.bias)
            torch.nn.init.ones_(module.weight)

    def configure_optimizers(self, weight_decay, learning_rate, betas):
        decay, no_decay = set(), set()
        whitelist, blacklist = (torch.nn.Linear,), (torch.nn.LayerNorm, torch.nn.Embedding)
        for mn, m in self.named_modules():
            for pn, _p in m.named_parameters():
                fpn = f"{mn}.{pn}" if mn else pn
                if pn.endswith("bias"):
                    no_decay.add(fpn)
                elif pn.endswith("weight") and isinstance(m, whitelist):
                    decay.add(fpn)
                elif pn.endswith("weight") and isinstance(m, blacklist):
                    no_decay.add(fpn)
        param_dict = {pn: p for pn, p in self.named_parameters()}
        inter, union = decay & no_decay, decay | no_decay
        assert len(inter) == 0, f"parameters {str(inter)} made it into both sets!"
        assert len(param_dict.keys() - union) == 0, (
            f"parameters {str(param_dict.keys() - union)} were not separated"
        )
        optim_groups = [
            {
                "params": [param_dict[pn] for pn in sorted(list(decay))],
                "weight_decay": weight_decay,
            },
            {"params": [param_dict[pn] for pn in sorted(list(no_decay))], "weight_decay": 0.0},
        ]
        print("decay", len(decay), "no_decay", len(no_decay), sorted(no_decay)[:3])
        return torch.optim.AdamW(optim_groups, lr=learning_rate, betas=betas, fused=False)

    def forward(self, idx, targets=None):
        b, t = idx.size()
        assert t <= self.block_size, f"Cannot forward sequence of length {t}"
        pos = torch.arange(0, t, dtype=torch.long, device=idx.device).unsqueeze(0)
        x = self.transformer.wte(idx) + self.transformer.wpe(pos)
        for block in self.transformer.h:
            x = block(x)
        logits = self.lm_head(self.transformer.ln_f(x))
        loss = None
        if targets is not None:
            loss = F.cross_entropy(
                logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1
            )
        return logits, loss

    def estimate_mfu(self, fwdbwd_per_iter, dt, n_head=2):
        N = sum(p.numel() for p in self.parameters())
        L, H, Q, T = self.n_layer, n_head, 16 // n_head, self.block_size
        flops_per_token = 6 * N + 12 * L * H * Q * T
        flops_per_iter = flops_per_token * T * fwdbwd_per_iter
        return (flops_per_iter * (1.0 / dt)) / 312e12


model = GPT()
print("buffers", [n for n, _ in model.named_buffers()][:4])
print("state_dict has mask?", any(k.endswith("attn.bias") for k in model.state_dict()))
print(
    f"c_proj std {model.transformer.h[0].mlp.c_proj.weight.std().item():.4f},",
    f"c_fc std {model.transformer.h[0].mlp.c_fc.weight.std().item():.4f}",
)
opt = model.configure_optimizers(weight_decay=0.1, learning_rate=3e-3, betas=(0.9, 0.95))
print([len(g["params"]) for g in opt.param_groups], [g["weight_decay"] for g in opt.param_groups])
print(opt.defaults["betas"], opt.defaults["fused"], opt.defaults["amsgrad"])


# a counting task: predict the sorted version of the sequence (minGPT's demo), -1 masks the prompt
def batch(n, g):
    inp = torch.randint(0, 6, (n, 6), generator=g)
    sol = torch.sort(inp, dim=1)[0]
    cat = torch.cat((inp, sol), dim=1)
    x, y = cat[:, :-1].clone(), cat[:, 1:].clone()
    y[:, :5] = -1
    return x, y


g = torch.Generator().manual_seed(0)
for step in range(40):
    x, y = batch(16, g)
    logits, loss = model(x, y)
    model.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    if step % 8 == 0:
        print(f"iter {step}: train loss {loss.item():.5f}")
print(f"mfu {model.estimate_mfu(16, 0.5):.3e}")
print("grads cleared", all(p.grad is None for p in model.parameters()) is False)
