"""Training utilities: label smoothing, OneCycleLR, activation checkpointing, an EMA of the
weights, a WGAN-GP-style gradient penalty, inference mode and a checkpoint round trip."""
import copy
import io

import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint

torch.manual_seed(7)
X = torch.randn(64, 10)
Y = torch.randint(0, 4, (64,))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.block1 = nn.Sequential(nn.Linear(10, 32), nn.SiLU())
        self.block2 = nn.Sequential(nn.Linear(32, 32), nn.Mish(), nn.Dropout(0.0))
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        x = self.block1(x)
        x = checkpoint(self.block2, x, use_reentrant=False)
        return self.head(x)


model = Net()
ema = copy.deepcopy(model)
for p in ema.parameters():
    p.requires_grad_(False)
opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=5e-2, total_steps=20)
crit = nn.CrossEntropyLoss(label_smoothing=0.1)
for step in range(20):
    opt.zero_grad()
    x = X.clone().requires_grad_(True)
    logits = model(x)
    loss = crit(logits, Y)
    grad, = torch.autograd.grad(logits.sum(), x, create_graph=True)
    penalty = ((grad.norm(2, dim=1) - 1) ** 2).mean()
    (loss + 0.1 * penalty).backward()
    nn.utils.clip_grad_norm_(model.parameters(), max_norm=2.0)
    opt.step()
    sched.step()
    with torch.no_grad():
        for pe, pm in zip(ema.parameters(), model.parameters(), strict=True):
            pe.lerp_(pm, 0.1)
    if step % 4 == 0:
        print(f"step {step} loss {loss.item():.4f} gp {penalty.item():.4f} "
              f"lr {sched.get_last_lr()[0]:.5f}")

buffer = io.BytesIO()
torch.save({"model": model.state_dict(), "ema": ema.state_dict(), "opt": opt.state_dict(),
            "sched": sched.state_dict()}, buffer)
buffer.seek(0)
state = torch.load(buffer)
restored = Net()
restored.load_state_dict(state["model"])
with torch.inference_mode():
    same = torch.allclose(restored(X), model(X))
    acc = (ema(X).argmax(1) == Y).float().mean()
print("restored equal:", same, "ema acc:", round(acc.item(), 4),
      "sched", state["sched"]["last_epoch"])
