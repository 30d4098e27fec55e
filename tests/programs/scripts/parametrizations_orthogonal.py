"""Constrained weights with torch.nn.utils.parametrize and parametrizations: a custom
Symmetric parametrization, parametrizations.orthogonal on an RNN-style recurrent matrix,
cached parametrizations, and removing a parametrization while keeping its value."""
import torch
import torch.nn as nn
import torch.nn.utils.parametrize as P
from torch.nn.utils.parametrizations import orthogonal

torch.manual_seed(73)


class Symmetric(nn.Module):
    def forward(self, X):
        return X.triu() + X.triu(1).transpose(-1, -2)


layer = nn.Linear(4, 4)
P.register_parametrization(layer, "weight", Symmetric())
print(torch.allclose(layer.weight, layer.weight.T), P.is_parametrized(layer),
      type(layer.parametrizations.weight).__name__)
print(sorted(n for n, _ in layer.named_parameters()))

rec = nn.Linear(6, 6, bias=False)
orthogonal(rec)
q = rec.weight
print("orthogonal", torch.allclose(q @ q.T, torch.eye(6), atol=1e-5))
opt = torch.optim.SGD(list(layer.parameters()) + list(rec.parameters()), lr=0.1)
x = torch.randn(8, 6)
h = torch.zeros(8, 6)
for step in range(5):
    h = torch.tanh(rec(h) + x)
    loss = h.pow(2).mean() + layer(torch.randn(3, 4)).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    h = h.detach()
    w = rec.weight
    print(f"step {step} loss {loss.item():.5f} orth err "
          f"{(w @ w.T - torch.eye(6)).abs().max().item() < 1e-5}")
with P.cached():
    a = layer.weight
    b = layer.weight
print("cached same", a is b)
P.remove_parametrizations(layer, "weight", leave_parametrized=True)
print(P.is_parametrized(layer), torch.allclose(layer.weight, layer.weight.T),
      type(layer.weight).__name__)
