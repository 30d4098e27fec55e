"""Parameter surgery under torch.no_grad() as research code writes it: a hand-written SGD with
momentum buffers (add_ with alpha, mul_), a max-norm constraint via renorm_, weight clipping
with clamp_, Polyak averaging of a target network with mul_/add_ and copy_, weight
standardisation in a Conv2d subclass, parameters_to_vector and vector_to_parameters, and
re-initialising a layer in place with nn.init."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import parameters_to_vector, vector_to_parameters

torch.manual_seed(0)


class WSConv2d(nn.Conv2d):
    def forward(self, x):
        w = self.weight
        mean = w.mean(dim=(1, 2, 3), keepdim=True)
        std = w.std(dim=(1, 2, 3), keepdim=True, unbiased=False) + 1e-5
        return F.conv2d(x, (w - mean) / std, self.bias, self.stride, self.padding)


net = nn.Sequential(WSConv2d(1, 4, 3, padding=1), nn.GroupNorm(2, 4), nn.ReLU(),
                    nn.Flatten(), nn.Linear(4 * 6 * 6, 3))
target = nn.Sequential(WSConv2d(1, 4, 3, padding=1), nn.GroupNorm(2, 4), nn.ReLU(),
                       nn.Flatten(), nn.Linear(4 * 6 * 6, 3))
target.load_state_dict(net.state_dict())
for p in target.parameters():
    p.requires_grad = False
x = torch.randn(32, 1, 6, 6)
y = torch.randint(0, 3, (32,))
momenta = [torch.zeros_like(p) for p in net.parameters()]
lr, beta, tau = 0.1, 0.9, 0.05
for step in range(15):
    loss = F.cross_entropy(net(x), y)
    net.zero_grad()
    loss.backward()
    with torch.no_grad():
        for p, m in zip(net.parameters(), momenta, strict=True):
            m.mul_(beta).add_(p.grad, alpha=1 - beta)
            p.add_(m, alpha=-lr)
        net[4].weight.renorm_(p=2, dim=0, maxnorm=1.0)
        net[0].bias.clamp_(-0.05, 0.05)
        for tp, p in zip(target.parameters(), net.parameters(), strict=True):
            tp.mul_(1 - tau).add_(tau * p)
    if step % 5 == 0:
        print(f"step {step} loss {loss.item():.4f} row norms {net[4].weight.norm(dim=1)}")
print("bias", net[0].bias, "leaf:", net[0].bias.is_leaf, net[0].bias.grad_fn)
pairs = zip(target.parameters(), net.parameters(), strict=True)
print("target drift", sum((a - b).abs().sum() for a, b in pairs).item() > 0)
with torch.no_grad():
    print(f"target loss {F.cross_entropy(target(x), y).item():.4f}")

vec = parameters_to_vector(net.parameters())
print(vec.shape, f"{vec.norm():.4f}")
vector_to_parameters(vec * 0.5, target.parameters())
print(torch.allclose(target[4].weight, net[4].weight * 0.5))
with torch.no_grad():
    target[4].weight.copy_(net[4].weight)
    target[4].bias.zero_()
    target[0].weight.fill_(0.1)
    target[0].weight[0].normal_(0, 0.01)
print(target[4].bias, target[0].weight[1, 0, 0])
nn.init.kaiming_normal_(target[0].weight, mode="fan_out", nonlinearity="relu")
nn.init.orthogonal_(target[4].weight)
w = target[4].weight
print(f"{target[0].weight.std():.4f}", torch.allclose(w @ w.T, torch.eye(3), atol=1e-5))
with torch.no_grad():
    h = torch.ones(3, requires_grad=True) * 2
    h.add_(1)
print(h, h.requires_grad)
z = torch.ones(2, requires_grad=True)
try:
    z.add_(1)
except RuntimeError as e:
    print("leaf in-place:", str(e).split(".")[0])
a = torch.randn(3, requires_grad=True)
b = a.exp()
b.add_(1)
print(a._version if hasattr(a, "_version") else None, b._version)
