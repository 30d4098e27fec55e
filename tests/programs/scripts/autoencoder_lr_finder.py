"""A convolutional autoencoder with a learning-rate range test: the learning rate grows
exponentially per batch (param_groups edited in place), the loss is smoothed with an
exponential moving average and bias correction, the search stops when it diverges, the model
and optimizer are restored from deep copies of their state dicts, and training runs at a tenth
of the steepest-descent rate."""
import copy
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(163)
images = torch.rand(64, 1, 8, 8)
images[:, :, 2:6, 2:6] += 0.5
images = images.clamp(0, 1)


class AE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(1, 8, 3, stride=2, padding=1), nn.ReLU(),
                                 nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.ReLU())
        self.dec = nn.Sequential(nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1), nn.ReLU(),
                                 nn.ConvTranspose2d(8, 1, 4, stride=2, padding=1), nn.Sigmoid())

    def forward(self, x):
        return self.dec(self.enc(x))


model = AE()
opt = torch.optim.Adam(model.parameters(), lr=1e-5)
saved_model, saved_opt = copy.deepcopy(model.state_dict()), copy.deepcopy(opt.state_dict())
start_lr, end_lr, num = 1e-5, 1.0, 30
mult = (end_lr / start_lr) ** (1 / (num - 1))
lr, avg, best = start_lr, 0.0, math.inf
lrs, losses = [], []
for i in range(num):
    batch = images[(i * 8) % 64:(i * 8) % 64 + 8]
    for group in opt.param_groups:
        group["lr"] = lr
    loss = F.binary_cross_entropy(model(batch), batch)
    avg = 0.9 * avg + 0.1 * loss.item()
    smoothed = avg / (1 - 0.9 ** (i + 1))
    if smoothed > 4 * best:
        break
    best = min(best, smoothed)
    lrs.append(lr)
    losses.append(smoothed)
    opt.zero_grad()
    loss.backward()
    opt.step()
    lr *= mult
grads = [(losses[k + 1] - losses[k]) / (math.log10(lrs[k + 1]) - math.log10(lrs[k]))
         for k in range(len(losses) - 1)]
steepest = lrs[min(range(len(grads)), key=grads.__getitem__)]
print(f"tried {len(lrs)} rates, steepest {steepest:.2e}, min loss {min(losses):.4f}")
model.load_state_dict(saved_model)
opt.load_state_dict(saved_opt)
for group in opt.param_groups:
    group["lr"] = steepest / 10
print("restored lr", f"{opt.param_groups[0]['lr']:.2e}", "state", len(opt.state))
for epoch in range(4):
    total = 0.0
    for batch in images.split(16):
        recon = model(batch)
        loss = F.binary_cross_entropy(recon, batch)
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * len(batch)
    print(f"epoch {epoch} bce {total / len(images):.5f}")
with torch.no_grad():
    code = model.enc(images[:2])
print(tuple(code.shape), f"{F.mse_loss(model(images), images).item():.5f}")
