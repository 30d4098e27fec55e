"""The pruning tutorial and the hooks idioms: l1/random unstructured and ln-structured pruning
(weight_orig and weight_mask), global pruning, prune.remove; forward, forward-pre and full
backward hooks collecting features and gradients; parameters_to_vector round trip."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.utils.prune as prune
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
module = model.conv1
prune.random_unstructured(module, name="weight", amount=0.3)
print([n for n, _ in module.named_parameters()], [n for n, _ in module.named_buffers()])
print("zeros", int((module.weight == 0).sum()), list(module._forward_pre_hooks.values())[0].__class__.__name__)
prune.l1_unstructured(module, name="bias", amount=2)
print("bias mask", module.bias_mask.tolist())
prune.ln_structured(model.conv2, name="weight", amount=0.5, n=2, dim=0)
print("conv2 kept channels", int(model.conv2.weight_mask.sum(dim=(1, 2, 3)).ne(0).sum()))
prune.remove(module, "weight")
print([n for n, _ in module.named_parameters()], prune.is_pruned(model))
parameters_to_prune = ((model.fc1, "weight"), (model.fc2, "weight"))
prune.global_unstructured(parameters_to_prune, pruning_method=prune.L1Unstructured, amount=0.4)
total = model.fc1.weight.nelement() + model.fc2.weight.nelement()
zeros = float(torch.sum(model.fc1.weight == 0) + torch.sum(model.fc2.weight == 0))
print("global sparsity: {:.2f}%".format(100. * zeros / total))

features, grads, seen = {}, {}, []


def save_output(name):
    def hook(mod, inp, out):
        features[name] = out.detach()
    return hook


h1 = model.conv2.register_forward_hook(save_output("conv2"))
h2 = model.fc1.register_forward_pre_hook(lambda mod, inp: seen.append(tuple(inp[0].shape)))
h3 = model.fc2.register_full_backward_hook(
    lambda mod, gin, gout: grads.__setitem__("fc2", gout[0].detach().clone()))
out = model(x)
out.sum().backward()
print("hooks", tuple(features["conv2"].shape), seen, grads["fc2"].tolist())
for h in (h1, h2, h3):
    h.remove()
model(x)
print("after remove", seen)
vec = parameters_to_vector(model.parameters())
print("vector", vec.numel(), f"{vec.norm().item():.5f}")
vector_to_parameters(vec * 0.5, model.parameters())
print("halved", f"{parameters_to_vector(model.parameters()).norm().item():.5f}")
