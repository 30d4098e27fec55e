"""The pruning tutorial on a small convolutional net: random and L1 unstructured pruning
(weight_orig, weight_mask, the forward pre-hook), ln-structured pruning of whole channels,
pruning the same weight twice (a PruningContainer), prune.remove, global pruning over several
layers, the pruned state_dict's keys, and a full backward hook on a pruned layer seeing the
gradients that reach it while training keeps the pruned weights at zero."""
import torch
import torch.nn as nn
import torch.nn.utils.prune as prune

torch.manual_seed(9)

model = nn.Sequential(
    nn.Conv2d(1, 4, 3), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(4, 8, 3), nn.ReLU(), nn.Flatten(),
    nn.Linear(8 * 2 * 2, 16), nn.ReLU(), nn.Linear(16, 3),
)
conv1, conv2, fc1, fc2 = model[0], model[3], model[6], model[8]
x = torch.randn(2, 1, 10, 10)

prune.random_unstructured(conv1, name="weight", amount=0.3)
print([n for n, _ in conv1.named_parameters()], [n for n, _ in conv1.named_buffers()])
print("zeros", int((conv1.weight == 0).sum()),
      type(list(conv1._forward_pre_hooks.values())[0]).__name__)
prune.l1_unstructured(conv1, name="bias", amount=2)
print("bias mask", conv1.bias_mask.tolist())
prune.ln_structured(conv2, name="weight", amount=0.5, n=2, dim=0)
print("conv2 kept channels", int(conv2.weight_mask.sum(dim=(1, 2, 3)).ne(0).sum()))
prune.l1_unstructured(conv2, name="weight", amount=10)
hook = next(iter(conv2._forward_pre_hooks.values()))
print(type(hook).__name__, [type(m).__name__ for m in hook], int(conv2.weight_mask.sum()))
prune.remove(conv1, "weight")
print([n for n, _ in conv1.named_parameters()], prune.is_pruned(model))

prune.global_unstructured(((fc1, "weight"), (fc2, "weight")),
                          pruning_method=prune.L1Unstructured, amount=0.4)
total = fc1.weight.nelement() + fc2.weight.nelement()
zeros = float(torch.sum(fc1.weight == 0) + torch.sum(fc2.weight == 0))
print(f"global sparsity: {100. * zeros / total:.2f}%")
print(list(model.state_dict().keys()))

seen = []
handle = fc2.register_full_backward_hook(
    lambda mod, gin, gout: seen.append((tuple(gin[0].shape), round(gout[0].abs().sum().item(), 4))))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(3):
    optimizer.zero_grad()
    loss = model(x).pow(2).mean()
    loss.backward()
    optimizer.step()
    print(step, f"{loss.item():.5f}", int((fc1.weight == 0).sum()))
handle.remove()
print("hook saw", seen)
