"""Constrained weights with torch.nn.utils.parametrize: a Symmetric parametrization on a
layer and a Cayley-map orthogonal one (built from a skew-symmetric matrix and linalg.solve) on
an RNN-style recurrent matrix, training through both, cached parametrizations, and removing a
parametrization while keeping its value."""
import torch
import torch.nn as nn
import torch.nn.utils.parametrize as P

torch.manual_seed(73)


class Symmetric(nn.Module):
    def forward(self, X):
        return X.triu() + X.triu(1).transpose(-1, -2)


layer = nn.Linear(4, 4)
P.register_parametrization(layer, "weight", Symmetric())
print(torch.allclose(layer.weight, layer.weight.T), P.is_parametrized(layer),
      type(layer.parametrizations.weight).__name__)
print(sorted(n for n, _ in layer.named_parameters()))

class CayleyMap(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.register_buffer("Id", torch.eye(n))

    def forward(self, X):
        A = X.triu(1) - X.triu(1).T
        return torch.linalg.solve(self.Id + A, self.Id - A)


rec = nn.Linear(6, 6, bias=False)
P.register_parametrization(rec, "weight", CayleyMap(6))
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
