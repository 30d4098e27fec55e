"""Custom autograd Functions in the styles programs use: the classic ctx forward with
save_for_backward and needs_input_grad, the torch 2 style with a separate setup_context,
a straight-through sign estimator with once_differentiable, set_materialize_grads with a
None gradient, mark_non_differentiable outputs, and gradcheck in float64."""
import torch
from torch.autograd import Function, gradcheck
from torch.autograd.function import once_differentiable

torch.manual_seed(149)


class LinearFn(Function):
    @staticmethod
    def forward(ctx, input, weight, bias=None):
        ctx.save_for_backward(input, weight, bias)
        output = input.mm(weight.t())
        if bias is not None:
            output += bias.unsqueeze(0).expand_as(output)
        return output

    @staticmethod
    def backward(ctx, grad_output):
        input, weight, bias = ctx.saved_tensors
        grad_input = grad_weight = grad_bias = None
        if ctx.needs_input_grad[0]:
            grad_input = grad_output.mm(weight)
        if ctx.needs_input_grad[1]:
            grad_weight = grad_output.t().mm(input)
        if bias is not None and ctx.needs_input_grad[2]:
            grad_bias = grad_output.sum(0)
        return grad_input, grad_weight, grad_bias


class MulConst(Function):
    @staticmethod
    def forward(x, k):
        return x * k

    @staticmethod
    def setup_context(ctx, inputs, output):
        _, k = inputs
        ctx.k = k

    @staticmethod
    def backward(ctx, g):
        return g * ctx.k, None


class SignSTE(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.sign()

    @staticmethod
    @once_differentiable
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * (x.abs() <= 1).to(g.dtype)


class SortWithIndices(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        values, idx = x.sort()
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        return values, idx

    @staticmethod
    def backward(ctx, g_values, g_idx):
        (idx,) = ctx.saved_tensors
        if g_values is None:
            return None
        return torch.zeros_like(g_values).scatter(0, idx, g_values)


inp = torch.randn(4, 3, dtype=torch.double, requires_grad=True)
w = torch.randn(2, 3, dtype=torch.double, requires_grad=True)
b = torch.randn(2, dtype=torch.double, requires_grad=True)
print("gradcheck linear", gradcheck(LinearFn.apply, (inp, w, b), eps=1e-6, atol=1e-4))
print("gradcheck mulconst", gradcheck(lambda t: MulConst.apply(t, 3.0), (inp,)))
x = torch.randn(6, requires_grad=True)
y = SignSTE.apply(x * 2)
(y * torch.arange(6.0)).sum().backward()
print("ste", y.tolist(), [round(v, 1) for v in x.grad.tolist()])
z = torch.randn(4, requires_grad=True)
vals, idx = SortWithIndices.apply(z)
(vals * torch.arange(4.0)).sum().backward()
print("sort", idx.tolist(), idx.requires_grad, z.grad.tolist())
weight = torch.nn.Parameter(torch.randn(2, 3))
opt = torch.optim.SGD([weight], lr=0.1)
data = torch.randn(5, 3)
for step in range(3):
    loss = LinearFn.apply(data, weight).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"step {step} loss {loss.item():.5f}")
