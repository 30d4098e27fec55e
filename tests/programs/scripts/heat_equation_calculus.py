"""Numerical calculus with tensors: trapezoid and cumulative_trapezoid (uniform dx and sample
points x), diff with prepend/append, gradient with scalar and coordinate spacing and edge_order,
meshgrid with both indexings, an explicit finite-difference heat equation on a grid, and a
polynomial fit through a Vandermonde matrix."""

import math

import torch

torch.manual_seed(1)
torch.set_printoptions(precision=6, sci_mode=False)

x = torch.linspace(0, math.pi, 101)
y = torch.sin(x)
print("trapezoid dx", torch.trapezoid(y, dx=(x[1] - x[0]).item()).item())
print("trapezoid x ", torch.trapezoid(y, x).item())
print("trapz alias ", torch.trapz(y, x).item())
ct = torch.cumulative_trapezoid(y, x)
print("cumulative", ct.shape, ct[::25])
print("1 - cos(x) max err", (ct - (1 - torch.cos(x[1:]))).abs().max().item() < 1e-3)
xs = torch.sort(torch.rand(40) * 2).values
print("nonuniform", torch.trapezoid(xs**2, xs).item(), (xs[-1] ** 3 - xs[0] ** 3).item() / 3)
Y = torch.stack([y, 2 * y, y**2])
print("trapezoid dim=-1", torch.trapezoid(Y, x, dim=-1))

t = torch.tensor([1.0, 4.0, 9.0, 16.0, 25.0])
print("diff", torch.diff(t))
print("diff n=2", torch.diff(t, n=2))
print("diff prepend", torch.diff(t, prepend=torch.tensor([0.0])))
print("diff append", torch.diff(t, append=torch.tensor([36.0, 49.0])))
M = torch.arange(12.0).reshape(3, 4) ** 2
print("diff dim 0\n", torch.diff(M, dim=0))
b = torch.tensor([True, True, False, False, True])
print("diff bool", torch.diff(b))
print("diff int", torch.diff(torch.tensor([3, 1, 4, 1, 5])))

print("gradient", torch.gradient(t))
print("gradient spacing 2", torch.gradient(t, spacing=2.0))
coords = torch.tensor([0.0, 1.0, 1.5, 3.5, 4.0])
print("gradient coords", torch.gradient(t, spacing=(coords,)))
print("gradient edge 2", torch.gradient(t, edge_order=2))
gy, gx = torch.gradient(M)
print("gradient 2d\n", gy, "\n", gx)
print("gradient dim=1", torch.gradient(M, dim=1, spacing=[0.5]))

xi = torch.linspace(-1, 1, 4)
yi = torch.linspace(0, 2, 3)
A1, B1 = torch.meshgrid(xi, yi, indexing="ij")
A2, B2 = torch.meshgrid(xi, yi, indexing="xy")
print("ij", A1.shape, "xy", A2.shape, torch.equal(A1.T, A2), torch.equal(B1.T, B2))

# 2D heat equation u_t = a (u_xx + u_yy), explicit scheme, Dirichlet boundaries
n = 21
g = torch.linspace(0, 1, n)
X, Y2 = torch.meshgrid(g, g, indexing="ij")
u = torch.exp(-((X - 0.5) ** 2 + (Y2 - 0.5) ** 2) / 0.01)
h = g[1] - g[0]
alpha, dt = 1.0, 0.2 * (g[1] - g[0]).item() ** 2
for step in range(200):
    lap = torch.zeros_like(u)
    lap[1:-1, 1:-1] = (
        u[2:, 1:-1] + u[:-2, 1:-1] + u[1:-1, 2:] + u[1:-1, :-2] - 4 * u[1:-1, 1:-1]
    ) / h**2
    u = u + alpha * dt * lap
    u[0, :] = u[-1, :] = u[:, 0] = u[:, -1] = 0.0
    if step % 50 == 0:
        total = torch.trapezoid(torch.trapezoid(u, g, dim=1), g)
        print(f"step {step:3d} max {u.max().item():.6f} integral {total.item():.6f}")

# least-squares polynomial fit through a Vandermonde matrix
xp = torch.linspace(-1, 1, 30, dtype=torch.float64)
yp = 1 - 2 * xp + 0.5 * xp**3 + 0.01 * torch.randn(30, dtype=torch.float64)
V = torch.vander(xp, N=4)
print("vander rows", V[:2])
print("vander increasing", torch.vander(torch.tensor([1, 2, 3]), increasing=True))
coef = torch.linalg.lstsq(V, yp.unsqueeze(1)).solution.squeeze(1)
print("coefficients (highest first)", coef)
