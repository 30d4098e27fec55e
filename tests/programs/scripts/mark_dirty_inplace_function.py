"""A custom Function that works in place (ctx.mark_dirty), as the autograd docs show it, and
the graph it leaves behind walked through grad_fn.next_functions as the autograd tutorial
does: the node class names, the AccumulateGrad nodes of the leaves, hooks on the nodes."""
import torch
from torch.autograd import Function

torch.manual_seed(7)


class AddOneInplace(Function):
    @staticmethod
    def forward(ctx, x):
        x.add_(1)
        ctx.mark_dirty(x)
        return x

    @staticmethod
    def backward(ctx, g):
        return g


class ScaleInplace(Function):
    @staticmethod
    def forward(ctx, x, k):
        x.mul_(k)
        ctx.mark_dirty(x)
        ctx.k = k
        return x

    @staticmethod
    def backward(ctx, g):
        return g * ctx.k, None


z = torch.randn(3, requires_grad=True)
a = z.clone()
out = AddOneInplace.apply(a)
print(a is out, out.grad_fn.name() if out.grad_fn else None, a._version)
out.sum().backward()
print(z.grad.tolist())


def walk(fn, depth=0):
    """Print the backward graph below ``fn``, one node a line."""
    if fn is None:
        return
    extra = f" variable={tuple(fn.variable.shape)}" if hasattr(fn, "variable") else ""
    print("  " * depth + type(fn).__name__ + extra)
    for child, _ in fn.next_functions:
        walk(child, depth + 1)


w = torch.randn(3, 2, requires_grad=True)
b = torch.zeros(2, requires_grad=True)
# tanh's node saves its output: changing it in place first is an error at backward
t = torch.tanh(z.unsqueeze(0) @ w + b)
try:
    (ScaleInplace.apply(t, 2.0) ** 2).mean().backward()
except RuntimeError as e:
    print("RuntimeError:", e)
h = ScaleInplace.apply(torch.tanh(z.unsqueeze(0) @ w + b).clone(), 2.0)
loss = (h ** 2).sum()
walk(loss.grad_fn)

seen = []
loss.grad_fn.register_prehook(lambda go: seen.append(round(go[0].item(), 4)))
loss.grad_fn.metadata["name"] = "loss"
w.register_post_accumulate_grad_hook(lambda p: seen.append(round(p.grad.abs().sum().item(), 4)))
loss.backward()
print(seen, loss.grad_fn.metadata)
print(w.grad.sum().item(), b.grad.tolist())
unused = torch.ones(2, requires_grad=True)
grads = torch.autograd.grad((w * 2).sum(), [w, unused], materialize_grads=True)
print([g.tolist() for g in grads])
