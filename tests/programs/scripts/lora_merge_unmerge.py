"""LoRA finetuning as PEFT-free repos write it: a LoRALinear wrapping a frozen nn.Linear
(kaiming_uniform_ A, zero B, alpha / r scaling, dropout on the LoRA path), swapping Linear
children recursively with named_children + setattr, freezing by requires_grad_(False),
trainable-parameter counting, merge (W += B @ A * scale under no_grad) and unmerge, a
lora-only state_dict filtered by key and reloaded with strict=False into a fresh copy."""

import copy
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(17)


class LoRALinear(nn.Module):
    def __init__(self, base: nn.Linear, r=4, alpha=8, dropout=0.0):
        super().__init__()
        self.base = base
        self.r, self.scaling = r, alpha / r
        self.lora_A = nn.Parameter(torch.empty(r, base.in_features))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, r))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.lora_dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.merged = False

    def forward(self, x):
        out = self.base(x)
        if not self.merged:
            out = out + (self.lora_dropout(x) @ self.lora_A.T @ self.lora_B.T) * self.scaling
        return out

    @torch.no_grad()
    def merge(self):
        if not self.merged:
            self.base.weight += (self.lora_B @ self.lora_A) * self.scaling
            self.merged = True

    @torch.no_grad()
    def unmerge(self):
        if self.merged:
            self.base.weight.sub_((self.lora_B @ self.lora_A) * self.scaling)
            self.merged = False

    def extra_repr(self):
        return f"r={self.r}, scaling={self.scaling}, merged={self.merged}"


def replace_linear_with_lora(model, r, alpha, targets=("q", "v")):
    for name, module in model.named_children():
        if isinstance(module, nn.Linear) and name in targets:
            setattr(model, name, LoRALinear(module, r, alpha, dropout=0.1))
        else:
            replace_linear_with_lora(module, r, alpha, targets)


class Attn(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))

    def forward(self, x):
        a = torch.softmax(self.q(x) @ self.k(x).transpose(-1, -2) / math.sqrt(x.size(-1)), -1)
        return x + self.o(a @ self.v(x))


model = nn.Sequential(nn.Linear(6, 16), Attn(16), nn.LayerNorm(16), Attn(16), nn.Linear(16, 3))
x = torch.randn(8, 5, 6)
y = torch.randint(0, 3, (8,))
with torch.no_grad():
    before = model(x).mean(1)
total = sum(p.numel() for p in model.parameters())
print(f"total params before: {total}")
for p in model.parameters():
    p.requires_grad_(False)
replace_linear_with_lora(model, r=2, alpha=4)
for p in model[-1].parameters():
    p.requires_grad = True
trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
print(f"trainable: {trainable} of {sum(p.numel() for p in model.parameters())}")
print(model[1])
print("trainable names", [n for n, p in model.named_parameters() if p.requires_grad][:5])

model.eval()
with torch.no_grad():
    print("zero-init B keeps outputs:", torch.allclose(model(x).mean(1), before))
model.train()
opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=2e-2)
for step in range(30):
    loss = F.cross_entropy(model(x).mean(1), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 6 == 0:
        print(f"step {step}: loss {loss.item():.4f}, |B| {model[1].v.lora_B.norm().item():.4f}")
print(
    "base weight grad:",
    model[1].q.base.weight.grad,
    "frozen:",
    model[1].q.base.weight.requires_grad,
)

model.eval()
with torch.no_grad():
    ref = model(x)
    w0 = model[3].q.base.weight.clone()
    for m in model.modules():
        if isinstance(m, LoRALinear):
            m.merge()
    merged = model(x)
    print("merged matches:", torch.allclose(ref, merged, atol=1e-5), model[3].q)
    print("weight moved by", (model[3].q.base.weight - w0).abs().max().item() > 0)
    for m in model.modules():
        if isinstance(m, LoRALinear):
            m.unmerge()
    print("unmerged restores:", torch.allclose(model[3].q.base.weight, w0, atol=1e-6))

lora_sd = {k: v for k, v in model.state_dict().items() if "lora_" in k}
print("lora keys", len(lora_sd), sorted(lora_sd)[:2])
fresh = copy.deepcopy(model)
for m in fresh.modules():
    if isinstance(m, LoRALinear):
        nn.init.zeros_(m.lora_B)
res = fresh.load_state_dict(lora_sd, strict=False)
print("missing", len(res.missing_keys), "unexpected", res.unexpected_keys)
with torch.no_grad():
    print("reloaded same:", torch.allclose(fresh(x), ref, atol=1e-4))
