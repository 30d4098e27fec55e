"""The tensors tutorial's arithmetic "three ways" with out=, then the idioms of code that
preallocates: results written into buffers and views of them, an exponential moving average
updated through out=, reductions and sorting into (values, indices) buffers, factories filling
a buffer of another dtype, and torch.linalg / torch.special functions with out=."""
import torch

torch.manual_seed(0)
tensor = torch.ones(4, 4)
tensor[:, 1] = 0

# arithmetic three ways (the tensors tutorial)
y1 = tensor @ tensor.T
y2 = tensor.matmul(tensor.T)
y3 = torch.rand_like(y1)
torch.matmul(tensor, tensor.T, out=y3)
print(y1, y2, y3, sep="\n")
z1 = tensor * tensor
z2 = tensor.mul(tensor)
z3 = torch.rand_like(tensor)
result = torch.mul(tensor, tensor, out=z3)
print(z3, result is z3)

# a preallocated buffer and views of it
buffer = torch.zeros(3, 8)
x = torch.randn(3, 4)
torch.cat([x, x.exp()], dim=1, out=buffer)
torch.tanh(x, out=buffer[:, :4])
torch.sum(x, 1, out=buffer[:, 7])
print(buffer)
print(buffer._version)

# an exponential moving average of a parameter, written through out=
weight = torch.randn(5)
ema = weight.clone()
for step in range(5):
    weight = weight - 0.1 * torch.sin(weight)
    torch.add(ema.mul_(0.9), weight, alpha=0.1, out=ema)
    print(f"step {step} ema {ema.sum().item():.6f}")

# reductions and sorting into (values, indices) buffers
scores = torch.randn(4, 6)
values, indices = torch.empty(0), torch.empty(0, dtype=torch.long)
out = torch.max(scores, dim=1, out=(values, indices))
print(out)
print(torch.topk(scores, 2, out=(torch.empty(0), torch.empty(0, dtype=torch.long))))
top = torch.sort(scores[0], descending=True, out=(torch.empty(6), torch.empty(6, dtype=torch.long)))
print(top.values, top.indices)
print(torch.cumsum(scores, 1, out=torch.empty(4, 6, dtype=torch.float64)))

# factories fill a buffer of its own dtype
print(torch.arange(6, out=torch.empty(0, dtype=torch.int32)))
print(torch.linspace(0, 1, 5, out=torch.empty(5, dtype=torch.float64)))
print(torch.zeros(2, 3, out=torch.empty(0, dtype=torch.long)))
print(torch.randn(2, 3, out=torch.empty(0, dtype=torch.float64)))

# torch.linalg and torch.special with out=
A = torch.randn(3, 3) + 3 * torch.eye(3)
inverse = torch.empty(3, 3)
torch.linalg.inv(A, out=inverse)
print(inverse, torch.allclose(inverse @ A, torch.eye(3), atol=1e-5))
print(torch.linalg.vector_norm(A, dim=1, out=torch.empty(3)))
print(torch.special.expit(scores[0], out=torch.empty(6)))

# autograd: out= is refused when an input requires grad
w = torch.randn(3, requires_grad=True)
try:
    torch.mul(w, 2, out=torch.empty(3))
except RuntimeError as error:
    print(error)
with torch.no_grad():
    print(torch.mul(w, 2, out=torch.empty(3)))
