"""torch.autograd.functional: jacobian, hessian, vjp, jvp and hvp of small functions, compared
with gradients computed by hand through backward and autograd.grad(create_graph=True)."""
import torch
from torch.autograd.functional import hessian, hvp, jacobian, jvp, vjp

torch.manual_seed(5)


def f(x, y):
    return torch.stack([(x * y).sum(), (x ** 2).sum() * y[0], torch.tanh(x).prod()])


x, y = torch.randn(3), torch.randn(3)
jx, jy = jacobian(f, (x, y))
print("jacobian", tuple(jx.shape), [round(v, 4) for v in jx.flatten().tolist()])
print("jacobian y", [round(v, 4) for v in jy.flatten().tolist()])


def energy(z):
    return (z.exp() * z.roll(1)).sum() + z.pow(2).sum() / 2


z = torch.randn(4)
H = hessian(energy, z)
v = torch.randn(4)
_, hv = hvp(energy, z, v)
print("hessian", [round(t, 4) for t in H.diagonal().tolist()], torch.allclose(H @ v, hv, atol=1e-5))
out, vj = vjp(energy, z)
zz = z.clone().requires_grad_(True)
g, = torch.autograd.grad(energy(zz), zz, create_graph=True)
(g * v).sum().backward()
print("vjp", round(out.item(), 4), torch.allclose(vj, g.detach(), atol=1e-6),
      torch.allclose(zz.grad, hv, atol=1e-5))
_, jv = jvp(lambda a: a.sin() * 2, (z,), (v,))
print("jvp", [round(t, 4) for t in jv.tolist()])
J = jacobian(lambda a: a.sin() * 2, z, create_graph=False, strict=False, vectorize=False)
print("diag", torch.allclose(J.diagonal(), 2 * z.cos()), J.requires_grad)
