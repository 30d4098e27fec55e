"""Forward-mode AD as the PyTorch tutorial teaches it: dual tensors at a dual level, the
Jacobian-vector product of a function, of a module with respect to its parameters (the
parameters swapped for dual tensors), a directional derivative checked against a finite
difference, and a Hessian-vector product by forward-over-reverse."""
import torch
import torch.autograd.forward_ad as fwAD
import torch.nn as nn

torch.manual_seed(5)

primal = torch.randn(4, 4)
tangent = torch.randn(4, 4)


def fn(x, y):
    return x ** 2 + y ** 2


with fwAD.dual_level():
    dual_input = fwAD.make_dual(primal, tangent)
    plain_tensor = torch.randn(4, 4)
    dual_output = fn(dual_input, plain_tensor)
    jvp = fwAD.unpack_dual(dual_output).tangent
    print(jvp.sum().item(), (2 * primal * tangent).sum().item())
print(fwAD.unpack_dual(dual_output).tangent is None)

model = nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 3))
inputs = torch.randn(16, 5)
params = {name: p for name, p in model.named_parameters()}
tangents = {name: torch.rand_like(p) for name, p in params.items()}
with fwAD.dual_level():
    for name, p in params.items():
        module_name, _, attr = name.rpartition(".")
        owner = model.get_submodule(module_name)
        delattr(owner, attr)
        setattr(owner, attr, fwAD.make_dual(p.detach(), tangents[name]))
    out = model(inputs)
    jvp = fwAD.unpack_dual(out).tangent
print(out.shape, jvp.shape, round(jvp.abs().mean().item(), 5))

# a directional derivative of a loss, against a central finite difference in float64
w = torch.randn(5, dtype=torch.float64)
v = torch.randn(5, dtype=torch.float64)
x = torch.randn(32, 5, dtype=torch.float64)
y = torch.randn(32, dtype=torch.float64)


def loss_of(w):
    return ((x @ w - y) ** 2).mean() + 0.1 * torch.log1p(w.exp()).sum()


with fwAD.dual_level():
    directional = fwAD.unpack_dual(loss_of(fwAD.make_dual(w, v))).tangent.item()
eps = 1e-6
finite_difference = (loss_of(w + eps * v) - loss_of(w - eps * v)) / (2 * eps)
print(round(directional, 6), round(finite_difference.item(), 6))

# forward over reverse: the tangent of the gradient is a Hessian-vector product
wg = w.clone().requires_grad_()
with fwAD.dual_level():
    dual_w = fwAD.make_dual(wg, v)
    loss_tangent = fwAD.unpack_dual(loss_of(dual_w)).tangent
(hv,) = torch.autograd.grad(loss_tangent, wg)
print([round(t, 5) for t in hv.tolist()])
