"""A Kalman filter and Rauch-Tung-Striebel smoother for a constant-velocity target, in the
style of a tracking tutorial: batched matrix algebra (matmul, mT, linalg.solve instead of
inverses, cholesky_ex with a jitter retry), the innovation log-likelihood from
MultivariateNormal, learning the process noise by gradient ascent through the filter, and
the Mahalanobis NIS consistency check with chi2 quantiles."""

import torch
from torch.distributions import Chi2, MultivariateNormal

torch.manual_seed(31)
torch.set_default_dtype(torch.float64)
dt, T = 0.1, 30
F = torch.tensor(
    [[1.0, 0.0, dt, 0.0], [0.0, 1.0, 0.0, dt], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]]
)
Hm = torch.tensor([[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]])
G = torch.tensor([[0.5 * dt**2, 0.0], [0.0, 0.5 * dt**2], [dt, 0.0], [0.0, dt]])
q_true, r = 2.0, 0.3
x = torch.tensor([0.0, 0.0, 1.0, 0.5])
xs, zs = [], []
for _ in range(T):
    x = F @ x + G @ (q_true**0.5 * torch.randn(2))
    xs.append(x)
    zs.append(Hm @ x + r * torch.randn(2))
xs, zs = torch.stack(xs), torch.stack(zs)
R = r**2 * torch.eye(2)


def safe_cholesky(S):
    L, info = torch.linalg.cholesky_ex(S)
    jitter = 1e-9
    while info.item() != 0:
        L, info = torch.linalg.cholesky_ex(S + jitter * torch.eye(S.shape[-1]))
        jitter *= 10
    return L


def kalman(zs, q):
    Q = q * G @ G.mT
    m = torch.zeros(4)
    P = 10.0 * torch.eye(4)
    ms, Ps, mps, Pps, ll, nis = [], [], [], [], 0.0, []
    for z in zs:
        mp = F @ m
        Pp = F @ P @ F.mT + Q
        S = Hm @ Pp @ Hm.mT + R
        v = z - Hm @ mp
        ll = ll + MultivariateNormal(Hm @ mp, scale_tril=safe_cholesky(S)).log_prob(z)
        K = torch.linalg.solve(S, Hm @ Pp).mT
        m = mp + K @ v
        P = (torch.eye(4) - K @ Hm) @ Pp
        P = 0.5 * (P + P.mT)
        nis.append(v @ torch.linalg.solve(S, v))
        ms.append(m), Ps.append(P), mps.append(mp), Pps.append(Pp)
    return (
        torch.stack(ms),
        torch.stack(Ps),
        torch.stack(mps),
        torch.stack(Pps),
        ll,
        torch.stack(nis),
    )


def rts(ms, Ps, mps, Pps):
    msm, Psm = ms.clone(), Ps.clone()
    for t in range(len(ms) - 2, -1, -1):
        C = torch.linalg.solve(Pps[t + 1], F @ Ps[t]).mT
        msm[t] = ms[t] + C @ (msm[t + 1] - mps[t + 1])
        Psm[t] = Ps[t] + C @ (Psm[t + 1] - Pps[t + 1]) @ C.mT
    return msm, Psm


ms, Ps, mps, Pps, ll, nis = kalman(zs, torch.tensor(q_true))
msm, Psm = rts(ms, Ps, mps, Pps)


def rmse(est):
    return (est[:, :2] - xs[:, :2]).pow(2).sum(1).mean().sqrt().item()


print(
    f"loglik {ll.item():.4f} rmse raw {rmse(torch.cat([zs, zs], 1)):.4f} "
    f"filter {rmse(ms):.4f} smoother {rmse(msm):.4f}"
)
print(
    "smoothed var <= filtered var:",
    bool((Psm.diagonal(dim1=-2, dim2=-1) <= Ps.diagonal(dim1=-2, dim2=-1) + 1e-12).all()),
)
print(
    "mean NIS",
    nis.mean().item(),
    "fraction in 95% band",
    ((nis > 0.0506) & (nis < 7.3778)).double().mean().item(),
)
print("chi2 cdf at band", Chi2(torch.tensor(2.0)).cdf(torch.tensor([0.0506, 7.3778])))

log_q = torch.tensor(0.0, requires_grad=True)
opt = torch.optim.Adam([log_q], lr=0.1)
for it in range(12):
    *_, ll, _ = kalman(zs, log_q.exp())
    opt.zero_grad()
    (-ll).backward()
    opt.step()
    if it % 4 == 0 or it == 11:
        print(f"it {it:2d} loglik {ll.item():.4f} q {log_q.exp().item():.4f}")
print("final state", msm[-1], "true", xs[-1])
print(
    "cholesky_ex info on indefinite",
    torch.linalg.cholesky_ex(torch.tensor([[1.0, 2.0], [2.0, 1.0]])).info,
)
print("batched cholesky_ex", torch.linalg.cholesky_ex(Pps[:3]).info)
