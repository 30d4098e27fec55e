"""Classical clustering written in PyTorch as in course notebooks: k-means++ seeding with
torch.multinomial over squared distances, Lloyd iterations with cdist/argmin and
scatter-free centroid updates by one_hot matmul, then EM for a Gaussian mixture with full
covariances (log densities from Cholesky factors and triangular solves, responsibilities by
logsumexp, weighted covariances by einsum), and the log-likelihood per iteration."""
import math

import torch
import torch.nn.functional as F

torch.manual_seed(0)
true_means = torch.tensor([[0.0, 0.0], [4.0, 4.0], [-4.0, 3.0]])
covs = torch.stack([torch.tensor([[1.0, 0.5], [0.5, 1.0]]), torch.eye(2) * 0.5,
                    torch.tensor([[0.8, -0.3], [-0.3, 0.4]])])
chol = torch.linalg.cholesky(covs)
comp = torch.randint(0, 3, (300,))
X = true_means[comp] + (chol[comp] @ torch.randn(300, 2, 1)).squeeze(-1)
print(X.shape, X.mean(0), torch.bincount(comp))


def kmeans_pp(X, k, g):
    centers = [X[torch.randint(0, X.shape[0], (1,), generator=g)].squeeze(0)]
    for _ in range(1, k):
        d2 = torch.cdist(X, torch.stack(centers)).min(1).values ** 2
        idx = torch.multinomial(d2 / d2.sum(), 1, generator=g)
        centers.append(X[idx].squeeze(0))
    return torch.stack(centers)


def lloyd(X, centers, iters=10):
    for it in range(iters):
        assign = torch.cdist(X, centers).argmin(1)
        onehot = F.one_hot(assign, centers.shape[0]).float()
        counts = onehot.sum(0)
        new = (onehot.T @ X) / counts.clamp(min=1).unsqueeze(1)
        shift = (new - centers).norm(dim=1).max()
        centers = new
        inertia = ((X - centers[assign]) ** 2).sum()
        print(f"kmeans iter {it} inertia {inertia:.4f} shift {shift:.5f}")
        if shift < 1e-4:
            break
    return centers, assign


g = torch.Generator().manual_seed(3)
init = kmeans_pp(X, 3, g)
print("init", init)
centers, assign = lloyd(X, init)
order = centers[:, 0].argsort()
print("centers", centers[order])


def log_gauss(X, mu, Sigma):
    L = torch.linalg.cholesky(Sigma)
    diff = (X[None] - mu[:, None]).unsqueeze(-1)
    sol = torch.linalg.solve_triangular(L[:, None], diff, upper=False).squeeze(-1)
    maha = (sol ** 2).sum(-1)
    logdet = 2 * torch.log(torch.diagonal(L, dim1=-2, dim2=-1)).sum(-1)
    return -0.5 * (maha + logdet[:, None] + X.shape[1] * math.log(2 * math.pi))


mu = centers.clone()
Sigma = torch.eye(2).repeat(3, 1, 1)
pi = torch.full((3,), 1 / 3)
prev = -float("inf")
for it in range(30):
    log_p = log_gauss(X, mu, Sigma) + pi.log()[:, None]
    ll = torch.logsumexp(log_p, 0)
    resp = (log_p - ll).exp()
    Nk = resp.sum(1)
    mu = (resp @ X) / Nk[:, None]
    diff = X[None] - mu[:, None]
    Sigma = torch.einsum("kn,kni,knj->kij", resp, diff, diff) / Nk[:, None, None]
    Sigma = Sigma + 1e-6 * torch.eye(2)
    pi = Nk / Nk.sum()
    total = ll.sum().item()
    if it % 5 == 0 or total - prev < 1e-4:
        print(f"em iter {it} loglik {total:.4f} weights {pi}")
    if total - prev < 1e-4:
        break
    prev = total
order = mu[:, 0].argsort()
print(mu[order])
print(Sigma[order])
labels = log_gauss(X, mu, Sigma).argmax(0)
agree = (labels[:, None] == labels[None, :]) == (comp[:, None] == comp[None, :])
print(f"pair agreement {agree.float().mean():.4f}")
