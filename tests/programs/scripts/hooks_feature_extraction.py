"""Feature extraction and gradient inspection with hooks: forward hooks over named_modules,
forward-pre hooks (one returning a replacement input), tensor hooks on an activation
(retain_grad, register_hook), handle removal, and a parameters_to_vector round trip."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import parameters_to_vector, vector_to_parameters

torch.manual_seed(9)


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3)
        self.conv2 = nn.Conv2d(4, 8, 3)
        self.fc1 = nn.Linear(8 * 2 * 2, 16)
        self.fc2 = nn.Linear(16, 3)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.relu(self.conv2(x))
        x = x.view(-1, int(x.nelement() / x.shape[0]))
        return self.fc2(F.relu(self.fc1(x)))


model = LeNet()
x = torch.randn(2, 1, 10, 10)
features, seen = {}, []


def save_output(name):
    def hook(mod, inp, out):
        features[name] = out.detach()
    return hook


handles = [m.register_forward_hook(save_output(n)) for n, m in model.named_modules()
           if isinstance(m, nn.Conv2d)]
handles.append(model.fc1.register_forward_pre_hook(
    lambda mod, inp: seen.append(tuple(inp[0].shape))))
handles.append(model.fc2.register_forward_pre_hook(lambda mod, inp: (inp[0] * 0.5,)))
out = model(x)
act = F.relu(model.conv1(x))
act.retain_grad()
scaled = []
act.register_hook(lambda g: scaled.append(g.abs().sum().item()))
(out.sum() + act.mean()).backward()
print("features", {k: tuple(v.shape) for k, v in features.items()}, seen)
print("act grad", f"{act.grad.sum().item():.6f}", f"{scaled[0]:.6f}")
print("conv1 grad", f"{model.conv1.weight.grad.norm().item():.5f}")
for h in handles:
    h.remove()
seen.clear()
print("after remove", f"{model(x).sum().item():.5f}", seen)
vec = parameters_to_vector(model.parameters())
print("vector", vec.numel(), f"{vec.norm().item():.5f}")
vector_to_parameters(vec * 0.5, model.parameters())
print("halved", f"{parameters_to_vector(model.parameters()).norm().item():.5f}")
