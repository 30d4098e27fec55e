"""A physics-informed network for u''(x) = -pi^2 sin(pi x) on [0, 1] with u(0) = u(1) = 0:
second derivatives of the network output with respect to its input by two autograd.grad calls
(create_graph=True, grad_outputs=ones_like), a residual plus boundary loss, Adam then LBFGS
with a closure, and the error against the exact solution."""
import math

import torch
import torch.nn as nn

torch.manual_seed(139)
net = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 1))
x = torch.linspace(0, 1, 32).unsqueeze(1).requires_grad_(True)
xb = torch.tensor([[0.0], [1.0]])


def loss_fn():
    u = net(x)
    du = torch.autograd.grad(u, x, grad_outputs=torch.ones_like(u), create_graph=True)[0]
    d2u = torch.autograd.grad(du, x, grad_outputs=torch.ones_like(du), create_graph=True)[0]
    residual = d2u + math.pi ** 2 * torch.sin(math.pi * x)
    return residual.pow(2).mean() + 10 * net(xb).pow(2).mean()


opt = torch.optim.Adam(net.parameters(), lr=1e-2)
for step in range(30):
    loss = loss_fn()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 10 == 0:
        print(f"adam {step} loss {loss.item():.5f}")
lbfgs = torch.optim.LBFGS(net.parameters(), lr=0.5, max_iter=10, history_size=5)


def closure():
    lbfgs.zero_grad()
    loss = loss_fn()
    loss.backward()
    return loss


for step in range(2):
    loss = lbfgs.step(closure)
    print(f"lbfgs {step} loss {loss.item():.6f}")
with torch.no_grad():
    xt = torch.linspace(0, 1, 5).unsqueeze(1)
    err = (net(xt) - torch.sin(math.pi * xt)).abs().max()
print(f"max error {err.item():.5f}")
