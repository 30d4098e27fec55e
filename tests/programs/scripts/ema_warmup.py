"""A training loop with the tricks of timm-style scripts: linear warmup then cosine decay via
LambdaLR, gradient clipping that reports the norm, an exponential moving average of the
weights kept with torch._foreach ops and lerp_, parameter groups without weight decay for
biases and norms, and evaluation of the model and its two EMA copies (foreach mul/add and
foreach lerp)."""

import copy
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
x = torch.randn(512, 20)
w_true = torch.randn(20, 3)
y = (x @ w_true + 0.3 * torch.randn(512, 3)).argmax(1)

model = nn.Sequential(nn.Linear(20, 64), nn.LayerNorm(64), nn.GELU(), nn.Dropout(0.1),
                      nn.Linear(64, 3))
decay, no_decay = [], []
for _name, p in model.named_parameters():
    (no_decay if p.ndim <= 1 else decay).append(p)
print("decay", len(decay), "no_decay", len(no_decay))
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05},
                         {"params": no_decay, "weight_decay": 0.0}], lr=3e-3, betas=(0.9, 0.95))
total, warmup = 60, 10
sched = torch.optim.lr_scheduler.LambdaLR(
    opt, lambda s: (s + 1) / warmup if s < warmup
    else 0.5 * (1 + math.cos(math.pi * (s - warmup) / (total - warmup))))


class EMA:
    def __init__(self, model, decay=0.9):
        self.module = copy.deepcopy(model).eval()
        for p in self.module.parameters():
            p.requires_grad_(False)
        self.decay = decay

    @torch.no_grad()
    def update(self, model):
        ema_p = list(self.module.parameters())
        p = [q.detach() for q in model.parameters()]
        torch._foreach_mul_(ema_p, self.decay)
        torch._foreach_add_(ema_p, p, alpha=1 - self.decay)


ema = EMA(model)
ema2 = copy.deepcopy(model)
for step in range(total):
    idx = torch.randint(0, 512, (64,))
    loss = F.cross_entropy(model(x[idx]), y[idx])
    opt.zero_grad(set_to_none=True)
    loss.backward()
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()
    ema.update(model)
    with torch.no_grad():
        torch._foreach_lerp_(list(ema2.parameters()), list(model.parameters()), 0.1)
    if step % 10 == 0:
        print(f"step {step} loss {loss.item():.4f} norm {norm.item():.4f} "
              f"lr {sched.get_last_lr()[0]:.6f}")

model.eval()
with torch.no_grad():
    for name, m in (("model", model), ("ema", ema.module), ("lerp", ema2.eval())):
        acc = (m(x).argmax(1) == y).float().mean().item()
        print(name, round(acc, 4), round(F.cross_entropy(m(x), y).item(), 4))
print(torch.allclose(ema.module[0].weight, ema2[0].weight, atol=1e-5))
