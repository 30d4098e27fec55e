"""Kaggle-style tabular training with k-fold cross validation: folds from a seeded randperm,
Subset and StackDataset/ChainDataset views of one TensorDataset, and a tour of learning-rate
schedules stepped per batch or per epoch (CyclicLR triangular2 with momentum cycling,
PolynomialLR, ConstantLR then ExponentialLR chained by SequentialLR, ChainedScheduler),
recording each fold's best validation loss and the out-of-fold predictions."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import (
    ChainDataset,
    DataLoader,
    IterableDataset,
    StackDataset,
    Subset,
    TensorDataset,
)

torch.manual_seed(0)
n, d = 240, 7
X = torch.randn(n, d)
y = (X[:, 0] * X[:, 1] + X[:, 2] - 0.5 * X[:, 3] ** 2 + 0.1 * torch.randn(n)).unsqueeze(1)
full = TensorDataset(X, y)
stacked = StackDataset(x=X, y=y)
print(len(stacked), sorted(stacked[0].keys()), stacked[3]["y"])


class Stream(IterableDataset):
    def __init__(self, start, stop):
        self.start, self.stop = start, stop

    def __iter__(self):
        return iter(range(self.start, self.stop))


print(list(ChainDataset([Stream(0, 3), Stream(10, 12)])))
folds = torch.randperm(n).chunk(4)
print([len(f) for f in folds])


def make_scheduler(kind, opt, steps_per_epoch, epochs):
    total = steps_per_epoch * epochs
    if kind == "cyclic":
        return torch.optim.lr_scheduler.CyclicLR(opt, base_lr=1e-3, max_lr=1e-2,
                                                 step_size_up=steps_per_epoch, mode="triangular2",
                                                 cycle_momentum=True), "batch"
    if kind == "poly":
        return torch.optim.lr_scheduler.PolynomialLR(opt, total_iters=total, power=2.0), "batch"
    if kind == "sequential":
        warm = torch.optim.lr_scheduler.ConstantLR(opt, factor=0.25, total_iters=2)
        decay = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.8)
        return torch.optim.lr_scheduler.SequentialLR(opt, [warm, decay], milestones=[2]), "epoch"
    s1 = torch.optim.lr_scheduler.ConstantLR(opt, factor=0.5, total_iters=3)
    s2 = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    return torch.optim.lr_scheduler.ChainedScheduler([s1, s2]), "epoch"


kinds = ["cyclic", "poly", "sequential", "chained"]
oof = torch.zeros(n, 1)
for k, val_idx in enumerate(folds):
    train_idx = torch.cat([f for j, f in enumerate(folds) if j != k])
    train_dl = DataLoader(Subset(full, train_idx.tolist()), batch_size=30, shuffle=True,
                          generator=torch.Generator().manual_seed(k))
    xv, yv = X[val_idx], y[val_idx]
    torch.manual_seed(10 + k)
    model = nn.Sequential(nn.Linear(d, 32), nn.SiLU(), nn.Linear(32, 1))
    opt = torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
    sched, every = make_scheduler(kinds[k], opt, len(train_dl), 8)
    best, lrs = float("inf"), []
    for _epoch in range(8):
        model.train()
        for xb, yb in train_dl:
            loss = F.mse_loss(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if every == "batch":
                sched.step()
        if every == "epoch":
            sched.step()
        lrs.append(round(sched.get_last_lr()[0], 6))
        model.eval()
        with torch.no_grad():
            val = F.mse_loss(model(xv), yv).item()
        if val < best:
            best = val
            oof[val_idx] = model(xv).detach()
    mom = opt.param_groups[0].get("momentum")
    print(f"fold {k} {kinds[k]:10s} best val {best:.4f} lrs {lrs[:4]} last {lrs[-1]} "
          f"momentum {mom:.4f}")
r2 = 1 - ((oof - y) ** 2).sum() / ((y - y.mean()) ** 2).sum()
print(f"oof mse {F.mse_loss(oof, y).item():.4f} r2 {r2:.4f}")
print(sched.state_dict().keys() if hasattr(sched, "state_dict") else None)
