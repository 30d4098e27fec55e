"""The torch.func tutorials: per-sample gradients with vmap(grad(...)) over functional_call,
model ensembling with stack_module_state, and jacrev/hessian of a small function."""
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import functional_call, grad, hessian, jacrev, stack_module_state, vmap

torch.manual_seed(0)


class SimpleMLP(nn.Module):
    """A body (Linear + Tanh) and a head, so parameter names are nested: body.0.weight."""

    def __init__(self, hidden=8):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(6, hidden), nn.Tanh())
        self.head = nn.Linear(hidden, 3)

    def forward(self, x):
        return self.head(self.body(x))


model = SimpleMLP()
data, targets = torch.randn(5, 6), torch.randint(3, (5,))
params = {k: v.detach() for k, v in model.named_parameters()}
buffers = {k: v.detach() for k, v in model.named_buffers()}


def compute_loss(params, buffers, sample, target):
    batch, targets = sample.unsqueeze(0), target.unsqueeze(0)
    predictions = functional_call(model, (params, buffers), (batch,))
    return F.cross_entropy(predictions, targets)


ft_per_sample_grads = vmap(grad(compute_loss), in_dims=(None, None, 0, 0))(
    params, buffers, data, targets)


def manual_grads(i):
    loss = F.cross_entropy(model(data[i:i + 1]), targets[i:i + 1])
    return dict(zip(params, torch.autograd.grad(loss, list(model.parameters())), strict=True))


per_sample = [manual_grads(i) for i in range(5)]
for name, g in ft_per_sample_grads.items():
    manual = torch.stack([grads[name] for grads in per_sample])
    print(name, tuple(g.shape), f"{g.abs().sum().item():.5f}", torch.allclose(g, manual, atol=1e-6))

models = [SimpleMLP() for _ in range(4)]
ens_params, ens_buffers = stack_module_state(models)
# The tutorial moves this copy to the "meta" device; eager has none, and it only lends its
# structure here.
base = copy.deepcopy(models[0])


def fmodel(params, buffers, x):
    return functional_call(base, (params, buffers), (x,))


out = vmap(fmodel, in_dims=(0, 0, None))(ens_params, ens_buffers, data)
loop = torch.stack([m(data) for m in models])
print("ensemble", tuple(out.shape), torch.allclose(out, loop, atol=1e-6), f"{out.sum().item():.5f}")


def f(x):
    return (x.sin() * x.cos().sum()).sum() + (x ** 3).sum()


x = torch.randn(4)
print("jacrev", [round(v, 4) for v in jacrev(f)(x).tolist()])
h = hessian(f)(x)
print("hessian", tuple(h.shape), f"{h.trace().item():.5f}", torch.allclose(h, h.T, atol=1e-6))
