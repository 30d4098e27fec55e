"""Least squares and small linear algebra, in the way notebooks use torch.linalg."""
import torch

torch.manual_seed(1)
A = torch.randn(20, 3)
w_true = torch.tensor([[1.5], [-2.0], [0.5]])
b = A @ w_true + 0.01 * torch.randn(20, 1)
w = torch.linalg.lstsq(A, b).solution
print("lstsq", w.squeeze())
G = A.T @ A
print("solve", torch.linalg.solve(G, A.T @ b).squeeze())
print("inv", torch.linalg.inv(G).diagonal())
print("det", torch.linalg.det(G), torch.det(G))
print("slogdet", torch.linalg.slogdet(G))
L = torch.linalg.cholesky(G)
print("chol", L)
evals, evecs = torch.linalg.eigh(G)
print("eigh", evals)
U, S, Vh = torch.linalg.svd(A, full_matrices=False)
print("svd", S)
Q, R = torch.linalg.qr(A)
print("qr", R.diagonal().abs())
print("norms", torch.linalg.norm(A), torch.linalg.vector_norm(A, ord=1),
      torch.linalg.matrix_norm(A, ord="fro"))
print("pinv", torch.linalg.pinv(A).shape, torch.trace(G), torch.inverse(G).sum())
X = torch.randn(3, 3, requires_grad=True)
(torch.linalg.det(X) + torch.linalg.inv(X @ X.T + torch.eye(3)).sum()).backward()
print("grad", X.grad)
print(torch.cross(torch.tensor([1.0, 0, 0]), torch.tensor([0.0, 1, 0]), dim=0))
