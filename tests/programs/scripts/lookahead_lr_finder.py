"""Code that reads and edits optimizer state, as training recipes do: an LR range test
(exponential learning-rate sweep, then model and optimizer restored from deep-copied state
dicts and the momentum buffers reset with zero_()), a Lookahead wrapper keeping slow weights
next to the inner optimizer's state, Adam's moment norms and step counters printed, and an
SWA-style average of the weights."""
# ruff: noqa: UP031, B905
import copy
import math
from collections import defaultdict

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

torch.manual_seed(0)
X = torch.randn(64, 10)
Y = (X[:, :3].sum(1) > 0).long()


def make_model():
    return nn.Sequential(nn.Linear(10, 16), nn.ReLU(), nn.Linear(16, 2))


def batch(i):
    j = (i * 16) % 64
    return X[j:j + 16], Y[j:j + 16]


# --- LR range test ----------------------------------------------------------------------------
model = make_model()
optimizer = optim.SGD(model.parameters(), lr=1e-4, momentum=0.9)
saved_model = copy.deepcopy(model.state_dict())
saved_opt = copy.deepcopy(optimizer.state_dict())
lrs, losses = [], []
lr, mult, best = 1e-4, (1.0 / 1e-4) ** (1 / 20), math.inf
for i in range(20):
    for group in optimizer.param_groups:
        group["lr"] = lr
    x, y = batch(i)
    optimizer.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
    lrs.append(lr)
    losses.append(loss.item())
    best = min(best, loss.item())
    if loss.item() > 4 * best:
        break
    lr *= mult
print("swept", len(lrs), "rates; best loss %.4f at lr %.5f" % (min(losses),
                                                              lrs[losses.index(min(losses))]))
state = optimizer.state[model[0].weight]
buf = state["momentum_buffer"]
print(type(buf).__name__, buf.shape, buf.dtype, "norm %.4f" % buf.norm().item())
model.load_state_dict(saved_model)
optimizer.load_state_dict(saved_opt)
print("restored state entries:", len(optimizer.state))
for p in model.parameters():
    optimizer.state[p]["momentum_buffer"] = torch.zeros_like(p)
x, y = batch(0)
F.cross_entropy(model(x), y).backward()
optimizer.step()
print("momentum after reset: %.5f" % optimizer.state[model[2].bias]["momentum_buffer"].abs()
      .sum().item())
for s in optimizer.state.values():
    s["momentum_buffer"].zero_()
print("zeroed:", all(s["momentum_buffer"].abs().sum().item() == 0
                     for s in optimizer.state.values()))


# --- Lookahead ----------------------------------------------------------------------------------
class Lookahead:
    def __init__(self, optimizer, k=5, alpha=0.5):
        self.optimizer = optimizer
        self.k, self.alpha = k, alpha
        self.defaults = self.optimizer.defaults
        self.param_groups = self.optimizer.param_groups
        self.state = defaultdict(dict)
        self.fast_state = self.optimizer.state
        for group in self.param_groups:
            group["counter"] = 0

    def update(self, group):
        for fast in group["params"]:
            param_state = self.state[fast]
            if "slow_param" not in param_state:
                param_state["slow_param"] = torch.zeros_like(fast.data)
                param_state["slow_param"].copy_(fast.data)
            slow = param_state["slow_param"]
            slow += (fast.data - slow) * self.alpha
            fast.data.copy_(slow)

    def zero_grad(self, set_to_none=True):
        self.optimizer.zero_grad(set_to_none)

    def step(self, closure=None):
        loss = self.optimizer.step(closure)
        for group in self.param_groups:
            if group["counter"] == 0:
                self.update(group)
            group["counter"] += 1
            if group["counter"] >= self.k:
                group["counter"] = 0
        return loss

    def state_dict(self):
        fast_state_dict = self.optimizer.state_dict()
        slow_state = {(id(k) if isinstance(k, torch.Tensor) else k): v
                      for k, v in self.state.items()}
        return {"fast_state": fast_state_dict["state"], "slow_state": slow_state,
                "param_groups": fast_state_dict["param_groups"]}


torch.manual_seed(1)
model = make_model()
inner = optim.Adam(model.parameters(), lr=0.01)
opt = Lookahead(inner, k=3, alpha=0.5)
for epoch in range(3):
    total = 0.0
    for i in range(4):
        x, y = batch(i)
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        total += loss.item()
    print("epoch", epoch, "loss %.4f" % (total / 4))
adam_state = opt.fast_state[model[0].weight]
print(sorted(adam_state), adam_state["step"], adam_state["step"].dtype)
print("exp_avg norm %.5f exp_avg_sq max %.6f" % (torch.norm(adam_state["exp_avg"]).item(),
                                                   adam_state["exp_avg_sq"].max().item()))
slow = opt.state[model[0].weight]["slow_param"]
print("slow vs fast: %.6f" % (slow - model[0].weight.detach()).abs().max().item())
packed = opt.state_dict()
print(len(packed["fast_state"]), len(packed["slow_state"]), packed["param_groups"][0]["counter"])
print({k: (type(v).__name__, str(v.dtype), tuple(v.shape))
       for k, v in packed["fast_state"][1].items()})

# --- weight averaging over the last steps (SWA-style, by hand) --------------------------------
averaged = [p.detach().clone() for p in model.parameters()]
n = 1
for i in range(4):
    x, y = batch(i)
    opt.zero_grad()
    F.cross_entropy(model(x), y).backward()
    opt.step()
    n += 1
    for a, p in zip(averaged, model.parameters()):
        a += (p.detach() - a) / n
with torch.no_grad():
    for a, p in zip(averaged, model.parameters()):
        p.copy_(a)
print("averaged loss %.4f" % F.cross_entropy(model(X), Y).item())
print("steps counted %d" % int(opt.fast_state[model[2].bias]["step"].item()))
