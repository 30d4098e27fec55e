"""Image augmentation written with tensor ops as in torch-only training scripts: random
crops from reflection-padded batches, horizontal flips chosen per sample with torch.where,
rotations and scalings through F.affine_grid and F.grid_sample, cutout masks from coordinate
grids, per-channel normalisation from dataset statistics, resizing with F.interpolate, and a
small CNN trained on the augmented batches with test-time augmentation averaging."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
N, C, H, W = 64, 3, 16, 16
labels = torch.randint(0, 2, (N,))
yy, xx = torch.meshgrid(torch.arange(H), torch.arange(W), indexing="ij")
stripes = torch.where(labels[:, None, None] == 1, (xx // 4 % 2).float(), (yy // 4 % 2).float())
images = stripes[:, None].repeat(1, C, 1, 1) * torch.tensor([0.9, 0.5, 0.2]).view(1, C, 1, 1)
images = images + 0.05 * torch.randn_like(images)
mean = images.mean(dim=(0, 2, 3))
std = images.std(dim=(0, 2, 3))
print("mean", mean, "std", std)


def normalize(x):
    return (x - mean[None, :, None, None]) / std[None, :, None, None]


def random_crop(x, pad=2):
    padded = F.pad(x, (pad, pad, pad, pad), mode="reflect")
    i, j = torch.randint(0, 2 * pad + 1, (2,)).tolist()
    return padded[..., i:i + H, j:j + W]


def random_flip(x):
    flip = torch.rand(x.shape[0]) < 0.5
    return torch.where(flip[:, None, None, None], x.flip(-1), x)


def random_affine(x, max_deg=15.0, scale=(0.9, 1.1)):
    n = x.shape[0]
    angle = (torch.rand(n) * 2 - 1) * max_deg * math.pi / 180
    s = torch.empty(n).uniform_(*scale)
    cos, sin = torch.cos(angle) / s, torch.sin(angle) / s
    theta = torch.stack([torch.stack([cos, -sin, torch.zeros(n)], 1),
                         torch.stack([sin, cos, torch.zeros(n)], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)


def cutout(x, size=4):
    n = x.shape[0]
    cy, cx = torch.randint(0, H, (n,)), torch.randint(0, W, (n,))
    mask = ((yy[None] - cy[:, None, None]).abs() <= size // 2) & \
           ((xx[None] - cx[:, None, None]).abs() <= size // 2)
    return x.masked_fill(mask[:, None], 0.0)


aug = cutout(random_affine(random_flip(random_crop(images[:4]))))
print(aug.shape, f"{aug.mean():.4f} {aug.std():.4f}")
ident = torch.tensor([[1.0, 0, 0], [0, 1.0, 0]]).expand(2, 2, 3)
same = F.grid_sample(images[:2], F.affine_grid(ident, [2, C, H, W], align_corners=True),
                     align_corners=True)
print("identity warp:", torch.allclose(same, images[:2], atol=1e-5))
small = F.interpolate(images[:2], size=(8, 8), mode="bilinear", align_corners=False)
big = F.interpolate(small, scale_factor=2, mode="nearest")
print(small.shape, big.shape, f"{(big - images[:2]).abs().mean():.4f}")
print(F.interpolate(images[:1], size=(5, 7), mode="bicubic", align_corners=True)[0, 0, 0])
print(F.avg_pool2d(images[:1], 4).flatten()[:4], F.adaptive_max_pool2d(images[:1], 2).flatten()[:4])

model = nn.Sequential(nn.Conv2d(C, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
                      nn.MaxPool2d(2), nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 2))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[10, 15], gamma=0.1)
for epoch in range(18):
    model.train()
    perm = torch.randperm(N)
    total = 0.0
    for b in perm.split(16):
        x = normalize(cutout(random_affine(random_flip(random_crop(images[b])))))
        loss = F.cross_entropy(model(x), labels[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item()
    sched.step()
    if epoch % 6 == 5:
        print(f"epoch {epoch} loss {total / 4:.4f} lr {opt.param_groups[0]['lr']:.4f}")
model.eval()
with torch.no_grad():
    x = normalize(images)
    p = F.softmax(model(x), 1)
    rotated = torch.rot90(x, 1, (2, 3))
    p_tta = (p + F.softmax(model(x.flip(-1)), 1) + F.softmax(model(rotated), 1)) / 3
    acc = (p.argmax(1) == labels).float().mean()
    acc_tta = (p_tta.argmax(1) == labels).float().mean()
    print(f"acc {acc:.4f} tta {acc_tta:.4f}")
    print(p_tta[:3])
