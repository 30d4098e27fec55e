"""PCA three ways on a correlated Gaussian cloud: eigen-decomposition of torch.cov, a thin
SVD (full_matrices=False) of the centred data, and torch.pca_lowrank / svd_lowrank; explained
variance ratios, corrcoef, reconstruction error, whitening and a sign-fixed projection."""

import torch

torch.manual_seed(11)
n, d = 300, 5
A = torch.randn(d, d, dtype=torch.float64)
cov_true = A @ A.T + 0.1 * torch.eye(d, dtype=torch.float64)
L = torch.linalg.cholesky(cov_true)
X = torch.randn(n, d, dtype=torch.float64) @ L.T + torch.tensor(
    [1.0, -2.0, 0.5, 0.0, 3.0], dtype=torch.float64
)

C = torch.cov(X.T)
print("cov matches manual:", torch.allclose(C, (X - X.mean(0)).T @ (X - X.mean(0)) / (n - 1)))
print("cov diag", C.diagonal())
R = torch.corrcoef(X.T)
print("corrcoef[0]", R[0])
w = torch.ones(n, dtype=torch.long)
w[:50] = 2
print(
    "weighted cov[0,0]",
    round(torch.cov(X.T, fweights=w)[0, 0].item(), 6),
    "correction=0",
    round(torch.cov(X.T, correction=0)[0, 0].item(), 6),
)

evals, evecs = torch.linalg.eigh(C)
evals, evecs = evals.flip(0), evecs.flip(1)
ratio = evals / evals.sum()
print("explained ratio", ratio)
print("cumulative", torch.cumsum(ratio, 0))

Xc = X - X.mean(0, keepdim=True)
U, S, Vh = torch.linalg.svd(Xc, full_matrices=False)
print("svd shapes", tuple(U.shape), tuple(S.shape), tuple(Vh.shape))
print("sv^2/(n-1) == eig:", torch.allclose(S**2 / (n - 1), evals))


def fix_signs(V):
    # make the largest-magnitude entry of each component positive (sklearn's svd_flip idea)
    idx = V.abs().argmax(0)
    signs = torch.sign(V[idx, torch.arange(V.shape[1])])
    return V * signs


V1 = fix_signs(evecs[:, :2])
V2 = fix_signs(Vh[:2].T)
print("eig vs svd components agree:", torch.allclose(V1, V2, atol=1e-8))
Z = Xc @ V2
Xr = Z @ V2.T + X.mean(0)
print("rank-2 reconstruction mse", round(torch.mean((X - Xr) ** 2).item(), 6))
white = Xc @ evecs / evals.sqrt()
print(
    "whitened cov ~ I:",
    torch.allclose(torch.cov(white.T), torch.eye(d, dtype=torch.float64), atol=1e-8),
)

U3, S3, V3 = torch.pca_lowrank(X, q=3, center=True, niter=4)
print("pca_lowrank S", S3)
print("lowrank ~ exact:", torch.allclose(S3, S[:3], rtol=1e-6))
U4, S4, V4 = torch.svd_lowrank(Xc, q=2, niter=3)
print("svd_lowrank S", S4, torch.allclose(fix_signs(V4), V2, atol=1e-6))
print("projected sample", fix_signs(V3)[:, :2].T @ Xc[0])
