"""What LLM notebooks print about a model: print(model) of a nested GPT (ModuleDict, a
ModuleList of identical blocks compressed by repr, extra_repr of a custom RMSNorm), a
per-module parameter table from named_children and numel, trainable vs frozen counts, memory
in MB from element_size, state_dict shapes, the model's output and loss printed with their
grad_fn, print(optimizer), and torch.set_printoptions for a logits slice."""

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


class RMSNorm(nn.Module):
    """Meta's LLaMA form: a _norm helper, the weight applied after casting back."""

    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.dim, self.eps = dim, eps
        self.weight = nn.Parameter(torch.ones(dim))

    def _norm(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)

    def forward(self, x):
        return self._norm(x.float()).type_as(x) * self.weight

    def extra_repr(self):
        return f"{self.dim}, eps={self.eps}"


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.norm1, self.norm2 = RMSNorm(d), RMSNorm(d)
        self.attn = nn.MultiheadAttention(d, h, batch_first=True, bias=False)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.SiLU(), nn.Linear(4 * d, d))

    def forward(self, x, mask):
        h = self.norm1(x)
        x = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        return x + self.mlp(self.norm2(x))


class GPT(nn.Module):
    def __init__(self, vocab=50, d=32, h=4, n_layer=3, block=16):
        super().__init__()
        self.transformer = nn.ModuleDict(
            dict(
                wte=nn.Embedding(vocab, d),
                wpe=nn.Embedding(block, d),
                drop=nn.Dropout(0.0),
                h=nn.ModuleList([Block(d, h) for _ in range(n_layer)]),
                ln_f=RMSNorm(d),
            )
        )
        self.lm_head = nn.Linear(d, vocab)
        self.register_buffer(
            "mask", torch.full((block, block), float("-inf")).triu(1), persistent=False
        )

    def forward(self, idx):
        T = idx.size(1)
        x = self.transformer.drop(self.transformer.wte(idx) + self.transformer.wpe(torch.arange(T)))
        for blk in self.transformer.h:
            x = blk(x, self.mask[:T, :T])
        return self.lm_head(self.transformer.ln_f(x))


model = GPT()
print(model)
print(f"{'module':<12}{'params':>10}")
for name, child in model.transformer.named_children():
    print(f"{name:<12}{sum(p.numel() for p in child.parameters()):>10,}")
for p in model.transformer.wpe.parameters():
    p.requires_grad = False
total = sum(p.numel() for p in model.parameters())
trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
size_mb = sum(p.numel() * p.element_size() for p in model.parameters()) / 1024**2
print(f"total {total:,} trainable {trainable:,} frozen {total - trainable:,} ({size_mb:.3f} MB)")
for k, v in list(model.state_dict().items())[:6]:
    print(f"{k:<40} {str(tuple(v.shape)):<12} {v.dtype}")
print("buffers in state_dict:", [k for k in model.state_dict() if "mask" in k])

idx = torch.randint(0, 50, (2, 6))
logits = model(idx)
loss = F.cross_entropy(logits.view(-1, 50), idx.roll(-1, 1).view(-1))
print(logits.shape, logits.dtype)
print(loss)
opt = torch.optim.AdamW(
    [p for p in model.parameters() if p.requires_grad], lr=3e-4, weight_decay=0.1
)
print(opt)
torch.set_printoptions(precision=3, sci_mode=False, linewidth=100)
print(logits[0, :2, :8])
print(model.transformer.h[0].norm1.weight[:5])
torch.set_printoptions(profile="default")
print(logits[0, 0, :4])
