"""Checkpoint and resume as training scripts write it: a checkpoint dict (epoch, model,
optimizer and scheduler state, the loss, the RNG state) saved to a file, loaded with
map_location="cpu" and weights_only=True, training resumed from it giving the same losses as an
uninterrupted run, and a state dict loaded with strict=False into a model with an extra head."""
import os
import tempfile

import torch
import torch.nn as nn


def make():
    torch.manual_seed(157)
    model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    return model, opt, sched


torch.manual_seed(0)
x, y = torch.randn(32, 6), torch.randn(32, 1)


def train(model, opt, sched, epochs):
    out = []
    for _ in epochs:
        noise = 0.01 * torch.randn_like(x)
        loss = nn.functional.mse_loss(model(x + noise), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        out.append(round(loss.item(), 6))
    return out


model, opt, sched = make()
full = train(model, opt, sched, range(6))
print("uninterrupted", full)
model, opt, sched = make()
first = train(model, opt, sched, range(3))
path = os.path.join(tempfile.mkdtemp(), "ckpt.pt")
torch.save({"epoch": 3, "model_state_dict": model.state_dict(),
            "optimizer_state_dict": opt.state_dict(), "scheduler": sched.state_dict(),
            "loss": first[-1], "rng": torch.get_rng_state()}, path)
model2, opt2, sched2 = make()
checkpoint = torch.load(path, map_location="cpu", weights_only=True)
model2.load_state_dict(checkpoint["model_state_dict"])
opt2.load_state_dict(checkpoint["optimizer_state_dict"])
sched2.load_state_dict(checkpoint["scheduler"])
torch.set_rng_state(checkpoint["rng"])
rest = train(model2, opt2, sched2, range(checkpoint["epoch"], 6))
print("resumed", first + rest, first + rest == full, checkpoint["epoch"], checkpoint["loss"])
print(sorted(checkpoint["optimizer_state_dict"]["state"][0].keys()),
      checkpoint["optimizer_state_dict"]["param_groups"][0]["lr"])


class WithHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
        self.extra = nn.Linear(1, 2)


wh = WithHead()
result = wh.body.load_state_dict(model2.state_dict())
result2 = wh.load_state_dict({f"body.{k}": v for k, v in model2.state_dict().items()},
                             strict=False)
print(result.missing_keys, result2.missing_keys, result2.unexpected_keys,
      torch.equal(wh.body[0].weight, model2[0].weight))
os.remove(path)
