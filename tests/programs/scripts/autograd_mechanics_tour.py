"""The autograd tutorials' tour, printed as they print it: requires_grad flags, is_leaf,
grad_fn of each intermediate and a walk of next_functions, backward with an explicit gradient
for a vector output, retain_grad on a non-leaf, gradients accumulating over two backward
calls, retain_graph, tensor hooks that rescale a gradient, detach and no_grad, the
Jacobian-vector product the tutorial describes, and a second derivative with create_graph."""
# ruff: noqa: B007
import torch

torch.manual_seed(0)

x = torch.ones(5)
y = torch.zeros(3)
w = torch.randn(5, 3, requires_grad=True)
b = torch.randn(3, requires_grad=True)
z = torch.matmul(x, w) + b
loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
print(f"Gradient function for z = {z.grad_fn}"[:38])
print(type(z.grad_fn).__name__, type(loss.grad_fn).__name__)
loss.backward()
print(w.grad)
print(b.grad)
print(z.requires_grad, w.is_leaf, z.is_leaf, loss.is_leaf)
with torch.no_grad():
    z2 = torch.matmul(x, w) + b
print(z2.requires_grad, z2.grad_fn)
z_det = z.detach()
print(z_det.requires_grad, z_det.is_leaf)


def walk(fn, depth=0):
    if fn is None:
        return
    print("  " * depth + type(fn).__name__)
    for nxt, idx in fn.next_functions:
        walk(nxt, depth + 1)


a = torch.tensor([2., 3.], requires_grad=True)
b2 = torch.tensor([6., 4.], requires_grad=True)
Q = 3 * a ** 3 - b2 ** 2
walk(Q.grad_fn)
external_grad = torch.tensor([1., 1.])
Q.backward(gradient=external_grad)
print(9 * a ** 2 == a.grad, -2 * b2 == b2.grad)
print(a.grad, b2.grad)

inp = torch.eye(4, 5, requires_grad=True)
out = (inp + 1).pow(2).t()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"First call\n{inp.grad}")
out.backward(torch.ones_like(out))
print(f"\nSecond call\n{inp.grad}")
inp.grad.zero_()
out = (inp + 1).pow(2).t()
out.backward(torch.ones_like(out))
print(f"\nCall after zeroing gradients\n{inp.grad}")

h = torch.randn(3, requires_grad=True)
m = h * 2
seen = []
handle = m.register_hook(lambda g: seen.append(g.clone()) or g * 10)
m.retain_grad()
s = (m ** 2).sum()
s.backward()
print(m.grad, h.grad, len(seen), torch.allclose(seen[0], 2 * m.detach()))
handle.remove()
h.grad = None
(h * 2).pow(2).sum().backward()
print(h.grad)

x3 = torch.randn(3, requires_grad=True)
y3 = x3 * 2
while y3.data.norm() < 1000:
    y3 = y3 * 2
print(y3)
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y3.backward(v)
print(x3.grad)
print(x3.requires_grad, (x3 ** 2).requires_grad)
with torch.no_grad():
    print((x3 ** 2).requires_grad)
print(x3.detach().requires_grad, x3.eq(x3.detach()).all())

t = torch.linspace(-2, 2, 5, requires_grad=True)
f = torch.sin(t) * t ** 2
df, = torch.autograd.grad(f.sum(), t, create_graph=True)
d2f, = torch.autograd.grad(df.sum(), t)
print(df)
print(d2f)
print(df.grad_fn is not None, d2f.grad_fn)

lin = torch.nn.Linear(3, 1)
for name, p in lin.named_parameters():
    p.requires_grad_(name == "bias")
out = lin(torch.randn(4, 3)).sum()
out.backward()
print(lin.weight.grad, lin.bias.grad, lin.weight.requires_grad, out.grad_fn.name())
