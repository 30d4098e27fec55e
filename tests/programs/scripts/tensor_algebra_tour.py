"""Multilinear algebra as physics and statistics code writes it: tensordot contractions,
Kronecker products (a 2D Laplacian from 1D ones, solved and checked against its
eigenvalues), block_diag for a block covariance, cartesian_prod and combinations for pairwise
terms, cdist with several p and pdist, logcumsumexp for a stable running log-sum, dist and
einsum traces."""

import itertools

import torch

torch.manual_seed(8)
torch.set_printoptions(precision=5)

A = torch.randn(3, 4, 5)
B = torch.randn(4, 5, 2)
C1 = torch.tensordot(A, B, dims=2)
C2 = torch.tensordot(A, B, dims=([1, 2], [0, 1]))
print(
    "tensordot",
    C1.shape,
    torch.allclose(C1, C2, atol=1e-6),
    torch.allclose(C1, torch.einsum("ijk,jkl->il", A, B), atol=1e-6),
)
print("tensordot dims=0", torch.tensordot(torch.ones(2), torch.arange(3.0), dims=0))
print("tensordot list dims", torch.tensordot(A, A, dims=[[0, 1, 2], [0, 1, 2]]), (A * A).sum())

n = 5
h = 1.0 / (n + 1)
D1 = (
    torch.diag(torch.full((n,), 2.0))
    - torch.diag(torch.ones(n - 1), 1)
    - torch.diag(torch.ones(n - 1), -1)
) / h**2
I = torch.eye(n)
L2 = torch.kron(D1, I) + torch.kron(I, D1)
print("laplacian", L2.shape, L2[0, :7])
f = torch.ones(n * n, dtype=torch.float64)
u = torch.linalg.solve(L2.double(), f)
print("poisson max", u.max().item())
ev = torch.linalg.eigvalsh(L2.double())
ev1 = torch.linalg.eigvalsh(D1.double())
ev_sum = (ev1[:, None] + ev1[None, :]).flatten().sort().values
print("kron eigen identity", torch.allclose(ev, ev_sum))
print("kron int", torch.kron(torch.tensor([[1, 2], [3, 4]]), torch.tensor([[0, 1], [1, 0]])))

blocks = [torch.tensor([[2.0, 0.5], [0.5, 1.0]]), torch.tensor([[3.0]]), torch.eye(2) * 0.5]
S = torch.block_diag(*blocks)
print("block_diag\n", S)
print("block_diag logdet", torch.logdet(S).item(), sum(torch.logdet(b).item() for b in blocks))
print("block_diag mixed", torch.block_diag(torch.tensor([1, 2]), torch.tensor([[3], [4]])))

a = torch.tensor([1, 2, 3])
b = torch.tensor([4, 5])
print("cartesian_prod", torch.cartesian_prod(a, b).T)
print("combinations", torch.combinations(torch.tensor([10, 20, 30, 40]), r=2).T)
print(
    "combinations r=3",
    torch.combinations(a, r=3),
    "with replacement",
    torch.combinations(a, r=2, with_replacement=True).shape,
)
pts = torch.randn(6, 3)
pairs = torch.combinations(torch.arange(6), r=2)
d_pairs = (pts[pairs[:, 0]] - pts[pairs[:, 1]]).norm(dim=1)
print("pdist", torch.pdist(pts))
print("pdist == combinations", torch.allclose(torch.pdist(pts), d_pairs, atol=1e-6))
print("pdist p=1", torch.pdist(pts, p=1)[:4])
print(
    "itertools agrees",
    [tuple(p) for p in pairs.tolist()][:3] == list(itertools.combinations(range(6), 2))[:3],
)
Q = torch.randn(4, 3)
for p in [0.0, 1.0, 2.0, 3.0, float("inf")]:
    print(f"cdist p={p}", torch.cdist(Q, pts, p=p)[0])
print("cdist batched", torch.cdist(torch.randn(2, 3, 4), torch.randn(2, 5, 4)).shape)
print(
    "dist",
    torch.dist(Q[0], Q[1]),
    torch.dist(Q[0], Q[1], p=1),
    torch.dist(Q[0], Q[1], p=float("inf")),
)

logits = torch.tensor([0.5, 1000.0, -5.0, 999.0])
print("logcumsumexp", torch.logcumsumexp(logits, dim=0))
print("naive would overflow", torch.log(torch.cumsum(torch.exp(logits), 0)))
M = torch.randn(3, 4)
print("logcumsumexp dim=1", torch.logcumsumexp(M, dim=1)[:, -1], torch.logsumexp(M, dim=1))
print(
    "logaddexp",
    torch.logaddexp(torch.tensor([0.0, 1000.0]), torch.tensor([0.0, 1000.0])),
    torch.logaddexp2(torch.tensor([1.0]), torch.tensor([1.0])),
)
T = torch.randn(3, 3, 3)
print("einsum trace", torch.einsum("iii->", T), T.diagonal(dim1=0, dim2=1).diagonal().sum())
print("einsum outer batch", torch.einsum("bi,bj->bij", M[:, :2], M[:, 2:]).shape)
print(
    "einsum ellipsis",
    torch.einsum("...ij,...jk->...ik", torch.randn(2, 2, 3), torch.randn(2, 3, 1)).shape,
)
print(
    "diagflat",
    torch.diagflat(torch.tensor([1, 2])),
    torch.diag_embed(torch.tensor([[1, 2], [3, 4]])).shape,
)
print("ravel", torch.arange(6).view(2, 3).T.ravel())
