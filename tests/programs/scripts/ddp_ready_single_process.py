"""A DDP-ready training script run as one process, the way tutorials structure it: the RANK /
WORLD_SIZE environment check, DistributedSampler shards for each simulated rank with
set_epoch(epoch) every epoch, an all-reduce written by hand (stacking the replicas' gradients
and averaging) that must equal the full-batch gradient, master-process-only logging, and an
EMA of the weights with torch.optim.swa_utils.AveragedModel(avg_fn=...) plus
update_bn for a BatchNorm model."""

import copy
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.optim.swa_utils import AveragedModel, update_bn
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

ddp = int(os.environ.get("RANK", -1)) != -1
world_size = int(os.environ.get("WORLD_SIZE", 2)) if ddp else 2
master_process = True
print(f"ddp run? {ddp}, simulated world size {world_size}")

torch.manual_seed(1234)
X = torch.randn(48, 6)
y = (X[:, 0] * 2 - X[:, 1] + 0.1 * torch.randn(48) > 0).long()
dataset = TensorDataset(X, y)


def make_model():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 2))


replicas = [make_model() for _ in range(world_size)]
reference = make_model()
samplers = [
    DistributedSampler(dataset, num_replicas=world_size, rank=r, shuffle=True, seed=42)
    for r in range(world_size)
]
loaders = [DataLoader(dataset, batch_size=6, sampler=s, drop_last=False) for s in samplers]
print("per-rank samples", [len(s) for s in samplers], "batches", [len(dl) for dl in loaders])
opts = [torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9) for m in replicas]
ema = AveragedModel(replicas[0], avg_fn=lambda avg, p, n: 0.9 * avg + 0.1 * p)

for epoch in range(3):
    for s in samplers:
        s.set_epoch(epoch)
    print(f"epoch {epoch} rank0 first indices {list(samplers[0])[:6]}")
    for step, batches in enumerate(zip(*loaders, strict=False)):
        losses = []
        for model, opt, (xb, yb) in zip(replicas, opts, batches, strict=False):
            model.train()
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            losses.append(loss.detach())
        with torch.no_grad():  # all_reduce(op=AVG) by hand
            for params in zip(*(m.parameters() for m in replicas), strict=False):
                mean = torch.stack([p.grad for p in params]).mean(dim=0)
                for p in params:
                    p.grad.copy_(mean)
        if epoch == 0 and step == 0:
            lin = reference[0]
            g_ref = torch.autograd.grad(
                sum(F.cross_entropy(reference(b[0]), b[1]) for b in batches) / world_size,
                lin.weight,
            )[0]
            print(
                "averaged grad equals the mean of the shards' grads:",
                torch.allclose(g_ref, replicas[0][0].weight.grad, atol=1e-6),
            )
        for opt in opts:
            opt.step()
        ema.update_parameters(replicas[0])
        if master_process and step % 2 == 0:
            print(f"  step {step}: loss {torch.stack(losses).mean().item():.4f}")
    same = all(
        torch.equal(a, b)
        for a, b in zip(replicas[0].parameters(), replicas[1].parameters(), strict=False)
    )
    print(f"replicas in sync: {same}, ema n_averaged {ema.n_averaged.item()}")

update_bn(DataLoader(dataset, batch_size=12), ema)
ema.eval()
replicas[0].eval()
with torch.no_grad():
    acc = (ema(X).argmax(1) == y).float().mean().item()
    acc_raw = (replicas[0](X).argmax(1) == y).float().mean().item()
print(f"ema accuracy {acc:.4f}, raw accuracy {acc_raw:.4f}")
print("ema bn running mean", ema.module[1].running_mean[:3])
print("ema keys", list(ema.state_dict().keys())[:3])
print(
    "deepcopy state equal:",
    all(
        torch.equal(a, b)
        for a, b in zip(
            copy.deepcopy(ema.module).state_dict().values(),
            ema.module.state_dict().values(),
            strict=False,
        )
    ),
)
