"""Optimal transport and keypoint idioms from vision/ML notebooks: an entropic Sinkhorn
solver in log space (cdist costs, logsumexp updates), a differentiable point-cloud matching
loss minimised by gradient descent, and a spatial soft-argmax keypoint head trained to find
blobs, using meshgrid/linspace coordinate grids."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


def sinkhorn_log(x, y, eps=0.1, iters=50):
    C = torch.cdist(x, y, p=2) ** 2
    n, m = C.shape[-2:]
    log_a = torch.full((n,), -torch.log(torch.tensor(float(n))))
    log_b = torch.full((m,), -torch.log(torch.tensor(float(m))))
    f = torch.zeros(n)
    g = torch.zeros(m)
    for _ in range(iters):
        f = -eps * torch.logsumexp((g[None, :] - C) / eps + log_b[None, :], dim=1)
        g = -eps * torch.logsumexp((f[:, None] - C) / eps + log_a[:, None], dim=0)
    log_P = (f[:, None] + g[None, :] - C) / eps + log_a[:, None] + log_b[None, :]
    P = log_P.exp()
    return (P * C).sum(), P


x = torch.randn(12, 2)
y = torch.randn(15, 2) + torch.tensor([2.0, -1.0])
cost, P = sinkhorn_log(x, y)
print(f"ot cost {cost.item():.4f} row sums {P.sum(1)[:3]} col sums {P.sum(0)[:3]}")
print("marginals ok:", torch.allclose(P.sum(1), torch.full((12,), 1 / 12), atol=1e-3))
print(torch.cdist(x[:3], y[:2]), torch.cdist(x[:2], y[:2], p=1))

src = torch.randn(12, 2, requires_grad=True)
opt = torch.optim.SGD([src], lr=2.0)
for step in range(20):
    loss, _ = sinkhorn_log(src, y, eps=0.2, iters=20)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 5 == 0:
        print(f"match step {step} cost {loss.item():.4f} mean {src.detach().mean(0)}")


class SpatialSoftArgmax(nn.Module):
    def __init__(self, h, w, temperature=1.0):
        super().__init__()
        ys, xs = torch.meshgrid(torch.linspace(-1, 1, h), torch.linspace(-1, 1, w), indexing="ij")
        self.register_buffer("pos", torch.stack([xs.reshape(-1), ys.reshape(-1)], 1))
        self.temperature = nn.Parameter(torch.tensor(temperature))

    def forward(self, feat):
        b, c, h, w = feat.shape
        attn = F.softmax(feat.flatten(2) / self.temperature, dim=-1)
        return attn @ self.pos


def blobs(n, size=12):
    centers = torch.rand(n, 2) * 1.6 - 0.8
    grid = torch.stack(torch.meshgrid(torch.linspace(-1, 1, size), torch.linspace(-1, 1, size),
                                      indexing="xy"), -1)
    d2 = ((grid[None] - centers[:, None, None]) ** 2).sum(-1)
    return torch.exp(-d2 / 0.02).unsqueeze(1), centers


net = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 1, 3, padding=1))
head = SpatialSoftArgmax(12, 12)
opt = torch.optim.Adam(list(net.parameters()) + list(head.parameters()), lr=1e-2)
for step in range(30):
    opt.zero_grad(set_to_none=True)
    img, c = blobs(16)
    loss = F.mse_loss(head(net(img)).squeeze(1), c, reduction="sum") / 16
    loss.backward()
    opt.step()
    if step % 10 == 0:
        print(f"keypoint step {step} loss {loss.item():.5f} temp {head.temperature.item():.4f}")
img, c = blobs(2)
print(head(net(img)).detach().squeeze(1), c)
print(head.pos[:3], torch.linspace(0, 1, 5), torch.logspace(0, 2, 3))
