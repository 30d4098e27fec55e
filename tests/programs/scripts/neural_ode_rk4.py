"""A neural ODE trained through a hand-written fixed-step RK4 solver on a spiral: dynamics as
a small MLP of (t, y), integration with torch.stack over time points, backpropagation through
the unrolled solver, and a comparison of RK4 against Euler on the learned field."""
import torch
import torch.nn as nn

torch.manual_seed(151)
t = torch.linspace(0, 2, 21)
true_A = torch.tensor([[-0.1, 2.0], [-2.0, -0.1]])
y0 = torch.tensor([[2.0, 0.0]])


def rk4(f, y0, ts):
    ys = [y0]
    y = y0
    for i in range(len(ts) - 1):
        t0, h = ts[i], ts[i + 1] - ts[i]
        k1 = f(t0, y)
        k2 = f(t0 + h / 2, y + h * k1 / 2)
        k3 = f(t0 + h / 2, y + h * k2 / 2)
        k4 = f(t0 + h, y + h * k3)
        y = y + h * (k1 + 2 * k2 + 2 * k3 + k4) / 6
        ys.append(y)
    return torch.stack(ys)


def euler(f, y0, ts):
    ys, y = [y0], y0
    for i in range(len(ts) - 1):
        y = y + (ts[i + 1] - ts[i]) * f(ts[i], y)
        ys.append(y)
    return torch.stack(ys)


with torch.no_grad():
    true_y = rk4(lambda t, y: y ** 3 @ true_A.T, y0, t)


class ODEFunc(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, 32), nn.Tanh(), nn.Linear(32, 2))
        for m in self.net.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, mean=0, std=0.1)
                nn.init.constant_(m.bias, val=0)
        self.nfe = 0

    def forward(self, t, y):
        self.nfe += 1
        return self.net(y ** 3)


func = ODEFunc()
opt = torch.optim.RMSprop(func.parameters(), lr=1e-2)
for it in range(15):
    pred = rk4(func, y0, t)
    loss = torch.mean(torch.abs(pred - true_y))
    opt.zero_grad()
    loss.backward()
    opt.step()
    if not it % 5:
        print(f"iter {it} loss {loss.item():.5f} nfe {func.nfe}")
with torch.no_grad():
    a, b = rk4(func, y0, t), euler(func, y0, t)
print(tuple(a.shape), f"rk4-euler gap {(a - b).abs().max().item():.5f}",
      [round(v, 4) for v in a[-1, 0].tolist()])
