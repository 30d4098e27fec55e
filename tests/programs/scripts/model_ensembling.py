"""The model-ensembling tutorial of torch.func: several copies of one MLP (with a BatchNorm
buffer) evaluated at once with stack_module_state + vmap(functional_call), on different
minibatches and on one shared minibatch, then trained together: the stacked parameters are
leaves an optimizer steps, the per-model losses come from vmap, and the result is checked
against training each model in a Python loop."""
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import functional_call, stack_module_state, vmap

torch.manual_seed(0)
num_models, batch_size, n_classes = 4, 16, 5


class SimpleMLP(nn.Module):
    """Linear, BatchNorm and ReLU blocks, then a classifier: the tutorial's MLP, smaller."""

    def __init__(self, sizes=(36, 24, 24)):
        super().__init__()
        blocks = [(nn.Linear(a, b), nn.BatchNorm1d(b), nn.ReLU())
                  for a, b in zip(sizes, sizes[1:], strict=False)]
        self.features = nn.Sequential(*[layer for block in blocks for layer in block])
        self.classifier = nn.Linear(sizes[-1], n_classes)

    def forward(self, x):
        return self.classifier(self.features(x.flatten(1)))


data = torch.randn(num_models, batch_size, 1, 6, 6)
targets = torch.randint(n_classes, (num_models, batch_size))
models = [SimpleMLP().eval() for _ in range(num_models)]

minibatches = data[:num_models]
predictions_diff_minibatch_loop = [model(mb) for model, mb in zip(models, minibatches, strict=True)]
minibatch = data[0]
predictions2 = [model(minibatch) for model in models]

params, buffers = stack_module_state(models)
print("stacked", {k: tuple(v.shape) for k, v in params.items()})
print("buffers", {k: (tuple(v.shape), str(v.dtype)) for k, v in buffers.items()})
print("leaves", all(p.is_leaf and p.requires_grad for p in params.values()))

# The tutorial moves this copy to the 'meta' device; it only lends its structure.
base_model = copy.deepcopy(models[0])


def fmodel(params, buffers, x):
    return functional_call(base_model, (params, buffers), (x,))


predictions1_vmap = vmap(fmodel)(params, buffers, minibatches)
print("different minibatches", tuple(predictions1_vmap.shape),
      torch.allclose(predictions1_vmap, torch.stack(predictions_diff_minibatch_loop),
                     atol=1e-3, rtol=1e-5))
predictions2_vmap = vmap(fmodel, in_dims=(0, 0, None))(params, buffers, minibatch)
print("same minibatch", tuple(predictions2_vmap.shape),
      torch.allclose(predictions2_vmap, torch.stack(predictions2), atol=1e-3, rtol=1e-5))
print("base untouched", torch.equal(base_model.features[0].weight, models[0].features[0].weight))

# Train the ensemble as one: each model on its own minibatch, one optimizer over the stacks.
loop_models = [copy.deepcopy(m) for m in models]
opt = torch.optim.SGD(params.values(), lr=0.2, momentum=0.9)
loop_opts = [torch.optim.SGD(m.parameters(), lr=0.2, momentum=0.9) for m in loop_models]


def per_model_loss(params, buffers, x, y):
    return F.cross_entropy(fmodel(params, buffers, x), y)


for step in range(5):
    losses = vmap(per_model_loss)(params, buffers, minibatches, targets)
    opt.zero_grad()
    losses.sum().backward()
    opt.step()
    loop_losses = []
    for m, o, x, y in zip(loop_models, loop_opts, minibatches, targets,
                          strict=True):
        o.zero_grad()
        loss = F.cross_entropy(m(x), y)
        loss.backward()
        o.step()
        loop_losses.append(loss.item())
    print(f"step {step}", [f"{v:.4f}" for v in losses.tolist()],
          torch.allclose(losses, torch.tensor(loop_losses), atol=1e-5))

with torch.no_grad():
    logits = vmap(fmodel, in_dims=(0, 0, None))(params, buffers, data.flatten(0, 1))
    votes = logits.argmax(-1)
    mean_probs = logits.softmax(-1).mean(0)
    agree = (votes == votes.mode(0).values).float().mean(1)
    acc = (mean_probs.argmax(-1) == targets.flatten()).float().mean()
print("agreement", [f"{a:.3f}" for a in agree.tolist()], f"ensemble accuracy {acc.item():.4f}")
for name in ("features.0.weight", "classifier.bias"):
    stacked = torch.stack([dict(m.named_parameters())[name] for m in loop_models])
    print(name, torch.allclose(params[name], stacked, atol=1e-5),
          f"{params[name].detach().abs().sum().item():.4f}")
