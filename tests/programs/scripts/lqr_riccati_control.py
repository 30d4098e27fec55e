"""Optimal control as a course notebook writes it: a double integrator discretised with
matrix_exp, the discrete-time LQR gain by Riccati iteration (linalg.solve, never an inverse),
checked against unrolled rollouts; then the same gain found by gradient descent through the
rollout (autograd through 40 matrix products), and a trajectory optimised with LBFGS and
torch.clamp'ed controls under a terminal constraint penalty."""

import torch

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)

Ac = torch.tensor([[0.0, 1.0], [0.0, -0.1]])
Bc = torch.tensor([[0.0], [1.0]])
dt = 0.1
M = torch.zeros(3, 3)
M[:2, :2] = Ac
M[:2, 2:] = Bc
Md = torch.linalg.matrix_exp(M * dt)
A, B = Md[:2, :2], Md[:2, 2:]
print("A\n", A, "\nB\n", B)
Q = torch.diag(torch.tensor([1.0, 0.1]))
R = torch.tensor([[0.01]])

P = Q.clone()
for it in range(500):
    iterations = it
    K = torch.linalg.solve(R + B.T @ P @ B, B.T @ P @ A)
    P_new = Q + A.T @ P @ (A - B @ K)
    if torch.max(torch.abs(P_new - P)) < 1e-12:
        break
    P = P_new
print("riccati iterations", iterations, "gain", K)
eig = torch.linalg.eigvals(A - B @ K)
print("closed-loop |eig|", eig.abs().sort().values)


def rollout(K, x0, steps=25):
    x, cost = x0, torch.zeros(())
    xs = [x0]
    for _ in range(steps):
        u = -(K @ x)
        cost = cost + x @ Q @ x + u @ R @ u
        x = A @ x + B @ u
        xs.append(x)
    return cost, torch.stack(xs)


x0 = torch.tensor([1.0, 0.0])
c_lqr, traj = rollout(K, x0)
print("LQR cost", c_lqr.item(), "x0'Px0", (x0 @ P @ x0).item(), "final", traj[-1])

K_learn = torch.zeros(1, 2, requires_grad=True)
opt = torch.optim.Adam([K_learn], lr=0.5)
starts = torch.randn(4, 2)
for step in range(40):
    total = sum(rollout(K_learn, s)[0] for s in starts) / len(starts)
    opt.zero_grad()
    total.backward()
    opt.step()
    if step % 10 == 0:
        print(
            f"policy step {step:3d} cost {total.item():.6f} K {K_learn.detach().squeeze().tolist()}"
        )
print("gap to the LQR gain", (K_learn.detach() - K).abs().max().item())

u = torch.zeros(30, requires_grad=True)
lbfgs = torch.optim.LBFGS([u], lr=1, max_iter=15, history_size=10, line_search_fn="strong_wolfe")
goal = torch.tensor([2.0, 0.0])


def closure():
    lbfgs.zero_grad()
    x = torch.zeros(2)
    effort = torch.zeros(())
    for k in range(30):
        uk = torch.clamp(u[k], -2.0, 2.0)
        x = A @ x + B.squeeze(1) * uk
        effort = effort + 0.01 * uk**2
    loss = effort + 100.0 * torch.sum((x - goal) ** 2)
    loss.backward()
    return loss


for outer in range(2):
    loss = lbfgs.step(closure)
    print(f"lbfgs round {outer} loss {loss.item():.6f}")
print(
    "controls saturated:",
    int((u.detach().abs() >= 2.0).sum()),
    "max",
    u.detach().abs().max().item(),
)
print("state dict keys", sorted(lbfgs.state_dict()["state"][0].keys())[:5])
