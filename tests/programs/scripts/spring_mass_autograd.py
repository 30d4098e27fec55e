"""Spring-mass chain and a small n-body system: forces are minus the gradient of the potential
energy (autograd.grad with create_graph=True), velocity-Verlet integration, energy drift, and
fitting the spring constant by backpropagating through the whole simulation."""

import torch

torch.manual_seed(0)
torch.set_printoptions(precision=5)


def spring_energy(x, k, rest):
    # x: (n, 2) positions of a chain of masses joined by springs
    d = x[1:] - x[:-1]
    length = torch.linalg.vector_norm(d, dim=-1)
    return 0.5 * (k * (length - rest) ** 2).sum()


def forces(energy_fn, x, *args):
    if not x.requires_grad:
        x = x.requires_grad_()
    e = energy_fn(x, *args)
    (g,) = torch.autograd.grad(e, x, create_graph=True)
    return -g, e


def simulate(x0, v0, k, rest, mass, dt, steps):
    x, v = x0, v0
    f, e = forces(spring_energy, x, k, rest)
    energies = []
    for _ in range(steps):
        v_half = v + 0.5 * dt * f / mass
        x = x + dt * v_half
        f, e = forces(spring_energy, x, k, rest)
        v = v_half + 0.5 * dt * f / mass
        kinetic = 0.5 * (mass * v.pow(2).sum(-1, keepdim=True)).sum()
        energies.append(e + kinetic)
    return x, v, torch.stack(energies)


n = 6
x0 = torch.stack([torch.arange(n, dtype=torch.float32), torch.zeros(n)], dim=1)
x0 = x0 + 0.1 * torch.randn(n, 2)
v0 = torch.zeros(n, 2)
mass = torch.ones(n, 1)
mass[0] = 3.0
true_k = torch.tensor(4.0)
with torch.enable_grad():
    target, _, e_true = simulate(x0, v0, true_k, 1.0, mass, 0.02, 60)
target = target.detach()
print("energy start/end", round(e_true[0].item(), 5), round(e_true[-1].item(), 5))
print("max drift", f"{(e_true - e_true[0]).abs().max().item():.3e}")

log_k = torch.zeros((), requires_grad=True)
opt = torch.optim.Adam([log_k], lr=0.1)
for it in range(25):
    opt.zero_grad()
    xT, vT, _ = simulate(x0, v0, log_k.exp(), 1.0, mass, 0.02, 60)
    loss = torch.nn.functional.mse_loss(xT, target)
    loss.backward()
    opt.step()
    if it % 5 == 0 or it == 24:
        print(
            f"it {it:2d} loss {loss.item():.6e} k {log_k.exp().item():.4f} "
            f"grad {log_k.grad.item():+.4e}"
        )


# --- n-body with softened gravity --------------------------------------------------------
def gravity_energy(x, m, eps=0.1):
    diff = x.unsqueeze(0) - x.unsqueeze(1)
    r = torch.sqrt((diff**2).sum(-1) + eps**2)
    mm = m.unsqueeze(0) * m.unsqueeze(1)
    iu = torch.triu_indices(x.shape[0], x.shape[0], offset=1)
    return -(mm / r)[iu[0], iu[1]].sum()


bodies = 5
xb = torch.randn(bodies, 3)
vb = 0.3 * torch.randn(bodies, 3)
mb = torch.rand(bodies) + 0.5
vb = vb - (mb[:, None] * vb).sum(0) / mb.sum()  # zero total momentum
p0 = (mb[:, None] * vb).sum(0)
for step in range(100):
    xr = xb.detach().requires_grad_(True)
    f, pot = forces(gravity_energy, xr, mb)
    vb = vb + 0.01 * f.detach() / mb[:, None]
    xb = xb + 0.01 * vb
    if step % 25 == 0:
        ke = 0.5 * (mb * vb.pow(2).sum(-1)).sum()
        print(f"step {step:3d} potential {pot.item():.5f} kinetic {ke.item():.5f}")
p1 = (mb[:, None] * vb).sum(0)
print("momentum change", torch.allclose(p0, p1, atol=1e-5), (p1 - p0).abs().max() < 1e-4)
com = (mb[:, None] * xb).sum(0) / mb.sum()
print("centre of mass", com)
print(
    "hessian diag of chain energy",
    torch.autograd.functional.hessian(
        lambda z: spring_energy(z.view(n, 2), 4.0, 1.0), x0.flatten()
    ).diagonal()[:4],
)
