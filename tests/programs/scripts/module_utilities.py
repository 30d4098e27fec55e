"""Module-level utilities that training scripts lean on: apply() with an init function over
modules(), extra_repr in a custom module's printout, named_parameters prefixes, children
versus modules, requires_grad_ and train/eval propagation, zero_grad(set_to_none), the no_grad
decorator, get_rng_state/set_rng_state for repeatable draws, and half/double conversions."""
import torch
import torch.nn as nn

torch.manual_seed(79)


class Scale(nn.Module):
    def __init__(self, factor):
        super().__init__()
        self.factor = factor
        self.gain = nn.Parameter(torch.ones(1))

    def forward(self, x):
        return x * self.factor * self.gain

    def extra_repr(self):
        return f"factor={self.factor}"


def init_weights(m):
    if isinstance(m, nn.Linear):
        torch.nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        m.bias.data.fill_(0.01)


net = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Sequential(Scale(2.0), nn.Linear(5, 2)))
net.apply(init_weights)
print(net)
print([n for n, _ in net.named_parameters(prefix="model")])
print(len(list(net.children())), len(list(net.modules())),
      [type(m).__name__ for m in net.modules()])
print([n for n, _ in net.named_modules()])
net.eval()
print(net[2].training, net[2][0].training)
net.train()
net[0].requires_grad_(False)
print([p.requires_grad for p in net.parameters()])
x = torch.randn(4, 3)
net(x).sum().backward()
print(net[0].weight.grad, net[2][1].weight.grad.shape)
net.zero_grad(set_to_none=False)
print(net[2][1].weight.grad.abs().sum().item())
net.zero_grad()
print(net[2][1].weight.grad)


@torch.no_grad()
def predict(model, inp):
    return model(inp)


out = predict(net, x)
print(out.requires_grad, torch.is_grad_enabled(), f"{out.sum().item():.5f}")
state = torch.get_rng_state()
a = torch.rand(3)
torch.set_rng_state(state)
b = torch.rand(3)
print(torch.equal(a, b), state.dtype, state.shape)
print(net.double()[0].weight.dtype, net.float()[0].weight.dtype,
      sum(p.numel() for p in net.parameters()))
