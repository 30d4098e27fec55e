"""Mixup training (lam from torch.distributions.Beta(alpha, alpha), a randperm partner, the mixed
cross entropy) with CosineAnnealingWarmRestarts stepped by fractional epochs, SGD with Nesterov
momentum, a CutMix box from np.random.beta pasted by slicing, and the Beta's mean, log-density
and entropy."""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Beta
from torch.optim.lr_scheduler import CosineAnnealingWarmRestarts

torch.manual_seed(12)
np.random.seed(12)
x = torch.randn(48, 10)
y = (x[:, :5].sum(1) > 0).long() + (x[:, 5] > 0).long()
model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 3))
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
sched = CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2, eta_min=1e-3)
beta = Beta(torch.tensor([0.4]), torch.tensor([0.4]))
iters = 3
for epoch in range(5):
    perm_all = torch.randperm(48)
    for i in range(iters):
        idx = perm_all[i * 16:(i + 1) * 16]
        xb, yb = x[idx], y[idx]
        lam = beta.sample().item()
        index = torch.randperm(xb.size(0))
        mixed = lam * xb + (1 - lam) * xb[index, :]
        out = model(mixed)
        loss = lam * F.cross_entropy(out, yb) + (1 - lam) * F.cross_entropy(out, yb[index])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step(epoch + i / iters)
    print(f"epoch {epoch} lam {lam:.4f} loss {loss.item():.4f} lr {sched.get_last_lr()[0]:.5f}")
lam_np = np.random.beta(1.0, 1.0)
img = torch.arange(64.0).reshape(1, 1, 8, 8)
cut_rat = np.sqrt(1.0 - lam_np)
cut_w = int(8 * cut_rat)
cx = np.random.randint(8)
bbx1, bbx2 = np.clip(cx - cut_w // 2, 0, 8), np.clip(cx + cut_w // 2, 0, 8)
img[:, :, bbx1:bbx2, bbx1:bbx2] = img.flip(0)[:, :, bbx1:bbx2, bbx1:bbx2] * 0
print("cutmix", round(float(lam_np), 4), int(bbx1), int(bbx2), img.sum().item())
print("beta mean", beta.mean.tolist(), f"{beta.log_prob(torch.tensor([0.3])).item():.5f}",
      f"{beta.entropy().item():.5f}")
