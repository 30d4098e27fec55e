"""Voxel feature pooling as point-cloud detectors (VoxelNet, PointPillars) do it: points are
bucketed into a grid, per-point features are pooled per voxel with scatter_reduce (amax
and mean without the empty values, amin for extents), occupied voxels are written into a
dense grid with put_ and index_copy, and a small head regresses each voxel's top height.
A few details show up along the way: index_reduce counting, squeeze_/unsqueeze_ on the
dense grid, and a float's bits read with view(torch.int32) as a voxel-hash tie-breaker."""
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

warnings.filterwarnings("ignore", message="index_reduce")  # "in beta": we know
torch.manual_seed(11)
G = 5                       # a G x G x G grid over the unit cube
pts = torch.rand(200, 3)
cell = (pts * G).long().clamp(max=G - 1)
vox = (cell[:, 0] * G + cell[:, 1]) * G + cell[:, 2]
V = G ** 3
target = torch.full((V,), -1.0).scatter_reduce(0, vox, pts[:, 2], "amax", include_self=False)
occupied = torch.zeros(V).index_reduce(0, vox, torch.ones(200), "amax", include_self=False)
print("occupied voxels:", int(occupied.sum().item()), "of", V)
low = torch.ones(V).scatter_reduce(0, vox, pts[:, 2], "amin", include_self=False)
print(f"mean vertical extent: {(target - low)[occupied > 0].mean().item():.4f}")
bits = pts[:5, 0].view(torch.int32)
print("hash bits:", (bits & 1023).tolist())


class VoxelHead(nn.Module):
    def __init__(self, hidden=16):
        super().__init__()
        self.point = nn.Sequential(nn.Linear(3, hidden), nn.ReLU(), nn.Linear(hidden, hidden))
        self.out = nn.Linear(2 * hidden, 1)

    def forward(self, pts, vox):
        f = self.point(pts - cell.float() / G)         # offsets within the voxel
        idx = vox.unsqueeze(1).expand_as(f)
        empty = torch.zeros(V, f.shape[1])
        peak = empty.scatter_reduce(0, idx, f, "amax", include_self=False)
        mean = empty.scatter_reduce(0, idx, f, "mean", include_self=False)
        return self.out(torch.cat([peak, mean], dim=1)).squeeze(1)


model = VoxelHead()
opt = torch.optim.Adam(model.parameters(), lr=0.02)
mask = occupied > 0
losses = []
for _ in range(30):
    opt.zero_grad()
    loss = F.mse_loss(model(pts, vox)[mask], target[mask])
    loss.backward()
    opt.step()
    losses.append(loss.item())
print("losses:", " ".join(f"{v:.5f}" for v in losses[9::10]))

with torch.no_grad():
    pred = model(pts, vox)
    grid = torch.zeros(G, G, G)
    grid.put_(mask.nonzero().squeeze(1), pred[mask])
    grid.unsqueeze_(0)
    print("grid:", list(grid.shape), f"max {grid.max().item():.4f}")
    grid.squeeze_(0)
    top = torch.zeros(G * G, G).index_copy(0, torch.arange(G * G), grid.view(G * G, G))
    print("tallest column:", top.amax(1).argmax().item())
    counts = torch.zeros(V).put_(vox, torch.ones(200), accumulate=True)
    print("points per voxel:", counts.long().tolist()[:9])
