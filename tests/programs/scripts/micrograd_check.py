"""Gradient checks in the manner of micrograd's tests: scalar expressions built from +, *,
**, relu, division and in-place accumulation, evaluated in float64 with backward(), their
values and gradients printed; then a tiny MLP of tanh neurons trained on four points with a
hinge loss and L2 penalty, and a finite-difference check of one weight's gradient."""

import torch

# Sanity check: one input reused along many paths.
x = torch.Tensor([-4.0]).double()
x.requires_grad = True
z = 2 * x + 2 + x
q = z.relu() + z * x
h = (z * z).relu()
y = h + q + q * x
y.backward()
print("sanity: y", y.data.item(), "dy/dx", x.grad.item())

# More ops: subtraction, powers, division, reversed operators and augmented assignment.
a = torch.Tensor([-4.0]).double()
b = torch.Tensor([2.0]).double()
a.requires_grad = True
b.requires_grad = True
c = a + b
d = a * b + b ** 3
c = c + c + 1
c = c + 1 + c + (-a)
d = d + d * 2 + (b + a).relu()
d = d + 3 * d + (b - a).relu()
e = c - d
f = e ** 2
g = f / 2.0
g = g + 10.0 / f
g.backward()
print("more ops: g", round(g.data.item(), 10))
print("dg/da", round(a.grad.item(), 10), "dg/db", round(b.grad.item(), 10))

# tanh, exp, log and division by a tensor, with torch.autograd.grad instead of backward.
u = torch.tensor([0.5, -1.5, 2.0], dtype=torch.float64, requires_grad=True)
v = (u.tanh() * u.exp() + (1 + u * u).log() / (2 + u.sigmoid())).sum()
(du,) = torch.autograd.grad(v, u)
print("tanh/exp/log:", v.item(), du.tolist())

# A tiny MLP of tanh neurons (micrograd's demo), trained with SGD and a hinge loss.
torch.manual_seed(1337)
xs = torch.tensor([[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]],
                  dtype=torch.float64)
ys = torch.tensor([1.0, -1.0, -1.0, 1.0], dtype=torch.float64)
model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 4),
                            torch.nn.Tanh(), torch.nn.Linear(4, 1)).double()


def loss_of(model):
    scores = model(xs).squeeze(1)
    data_loss = torch.relu(1 - ys * scores).mean()
    reg_loss = 1e-4 * sum((p * p).sum() for p in model.parameters())
    return data_loss + reg_loss, scores


for k in range(20):
    total_loss, scores = loss_of(model)
    accuracy = ((ys > 0) == (scores > 0)).float().mean()
    model.zero_grad()
    total_loss.backward()
    learning_rate = 1.0 - 0.9 * k / 20
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    if k % 5 == 0:
        print(f"step {k} loss {total_loss.item():.6f}, accuracy {accuracy.item() * 100}%")

# The analytic gradient of one weight against a central difference.
total_loss, _ = loss_of(model)
model.zero_grad()
total_loss.backward()
w = model[0].weight
analytic = w.grad[1, 2].item()
eps = 1e-6
with torch.no_grad():
    w[1, 2] += eps
    plus = loss_of(model)[0].item()
    w[1, 2] -= 2 * eps
    minus = loss_of(model)[0].item()
    w[1, 2] += eps
numeric = (plus - minus) / (2 * eps)
print("analytic", round(analytic, 6), "numeric", round(numeric, 6),
      "agree", abs(analytic - numeric) < 1e-6)
