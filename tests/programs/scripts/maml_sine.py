"""MAML on sine regression: a functional MLP (F.linear with explicit weight lists), inner-loop
adaptation with autograd.grad(create_graph=True), a second-order meta-gradient through the
adapted weights, and a first-order Reptile step for comparison."""
import copy
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(137)


def sample_task():
    amp = torch.empty(1).uniform_(0.5, 2.0)
    phase = torch.empty(1).uniform_(0, math.pi)
    return lambda x: amp * torch.sin(x + phase)


def forward(params, x):
    h = F.relu(F.linear(x, params[0], params[1]))
    h = F.relu(F.linear(h, params[2], params[3]))
    return F.linear(h, params[4], params[5])


net = nn.Sequential(nn.Linear(1, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1))
params = list(net.parameters())
meta_opt = torch.optim.Adam(params, lr=1e-3)
for it in range(12):
    meta_opt.zero_grad()
    meta_loss = 0.0
    for _ in range(3):
        f = sample_task()
        xs, xq = torch.empty(10, 1).uniform_(-5, 5), torch.empty(10, 1).uniform_(-5, 5)
        fast = params
        for _ in range(2):
            loss = F.mse_loss(forward(fast, xs), f(xs))
            grads = torch.autograd.grad(loss, fast, create_graph=True)
            fast = [w - 0.01 * g for w, g in zip(fast, grads, strict=True)]
        meta_loss = meta_loss + F.mse_loss(forward(fast, xq), f(xq))
    (meta_loss / 3).backward()
    meta_opt.step()
    if it % 4 == 0:
        print(f"iter {it} meta loss {meta_loss.item() / 3:.4f} "
              f"grad norm {sum(p.grad.norm() ** 2 for p in params).sqrt().item():.4f}")

model = copy.deepcopy(net)
for it in range(3):
    f = sample_task()
    x = torch.empty(20, 1).uniform_(-5, 5)
    learner = copy.deepcopy(model)
    opt = torch.optim.SGD(learner.parameters(), lr=0.02)
    for _ in range(4):
        loss = F.mse_loss(learner(x), f(x))
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        for p, q in zip(model.parameters(), learner.parameters(), strict=True):
            p.data.add_(0.5 * (q.data - p.data))
    print(f"reptile {it} task loss {loss.item():.4f}")
