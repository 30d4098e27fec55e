"""A training script's bookkeeping: a ModuleDict routing inputs to task heads, freezing a
shared trunk with requires_grad_, early stopping that keeps the best weights by deepcopy of
the state_dict, checkpoints saved to and loaded from io.BytesIO (model and optimizer), a
non-persistent buffer, and load_state_dict(strict=False) reporting missing/unexpected keys."""
import copy
import io

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


class MultiTask(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(8, 16), nn.Tanh())
        self.heads = nn.ModuleDict({
            "cls": nn.Linear(16, 3),
            "reg": nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 1)),
        })
        self.register_buffer("calls", torch.zeros((), dtype=torch.long))
        self.register_buffer("scratch", torch.zeros(4), persistent=False)

    def forward(self, x, task):
        self.calls += 1
        return self.heads[task](self.trunk(x))


model = MultiTask()
print(model)
print([k for k in model.state_dict()])
print([name for name, _ in model.named_buffers()])
print("cls" in model.heads, list(model.heads.keys()), len(model.heads))

x = torch.randn(200, 8)
y_cls = (x[:, 0] + x[:, 1] > 0).long() + (x[:, 2] > 1).long()
y_reg = (x ** 2).sum(1, keepdim=True) * 0.1
x_val, yc_val, yr_val = x[150:], y_cls[150:], y_reg[150:]
x, y_cls, y_reg = x[:150], y_cls[:150], y_reg[:150]

opt = torch.optim.Adam(model.parameters(), lr=0.05)
best_loss, best_state, patience, bad = float("inf"), None, 3, 0
for epoch in range(40):
    model.train()
    loss = F.cross_entropy(model(x, "cls"), y_cls) + F.mse_loss(model(x, "reg"), y_reg)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        val = F.cross_entropy(model(x_val, "cls"), yc_val) + F.mse_loss(model(x_val, "reg"), yr_val)
    if val.item() < best_loss - 1e-4:
        best_loss, best_state, bad = val.item(), copy.deepcopy(model.state_dict()), 0
    else:
        bad += 1
    if epoch % 5 == 0 or bad >= patience:
        print(f"epoch {epoch:2d} train {loss.item():.4f} val {val.item():.4f} bad {bad}")
    if bad >= patience:
        print("early stop at", epoch)
        break
print("calls", model.calls.item(), "best", round(best_loss, 4))
model.load_state_dict(best_state)
with torch.no_grad():
    print(f"restored val cls {F.cross_entropy(model(x_val, 'cls'), yc_val).item():.4f}")

buffer = io.BytesIO()
torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": epoch,
            "best": best_loss}, buffer)
print("saved bytes > 0:", buffer.tell() > 0)
buffer.seek(0)
ckpt = torch.load(buffer, weights_only=True)
print(sorted(ckpt.keys()), ckpt["epoch"], type(ckpt["model"]).__name__)
print(sorted(ckpt["optim"].keys()), ckpt["optim"]["param_groups"][0]["lr"],
      len(ckpt["optim"]["state"]), ckpt["optim"]["state"][0]["step"])

clone = MultiTask()
clone.load_state_dict(ckpt["model"])
opt2 = torch.optim.Adam(clone.parameters(), lr=0.05)
opt2.load_state_dict(ckpt["optim"])
with torch.no_grad():
    print("clone equal:", torch.equal(clone(x_val, "reg"), model(x_val, "reg")))

for p in clone.trunk.parameters():
    p.requires_grad_(False)
print("trainable", sum(p.numel() for p in clone.parameters() if p.requires_grad),
      "frozen", sum(p.numel() for p in clone.parameters() if not p.requires_grad))
opt3 = torch.optim.SGD(filter(lambda p: p.requires_grad, clone.parameters()), lr=0.1)
before = clone.trunk[0].weight.clone()
for _ in range(5):
    loss = F.mse_loss(clone(x, "reg"), y_reg)
    opt3.zero_grad()
    loss.backward()
    opt3.step()
unchanged = torch.equal(before, clone.trunk[0].weight)
print(f"finetune loss {loss.item():.4f} trunk unchanged {unchanged}", clone.trunk[0].weight.grad)

partial = {k: v for k, v in ckpt["model"].items() if not k.startswith("heads.reg")}
partial["extra.weight"] = torch.zeros(1)
fresh = MultiTask()
result = fresh.load_state_dict(partial, strict=False)
print(result.missing_keys)
print(result.unexpected_keys)
try:
    fresh.load_state_dict(partial)
except RuntimeError as e:
    print("strict load failed:", str(e).splitlines()[0])

sd_buffer = io.BytesIO()
torch.save(torch.arange(6).view(2, 3), sd_buffer)
sd_buffer.seek(0)
print(torch.load(sd_buffer))
del fresh.heads["reg"]
fresh.heads.update({"aux": nn.Identity()})
print(fresh.heads)
