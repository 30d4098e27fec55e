"""Fine-tuning plumbing as timm / Hugging Face-style training scripts write it around a small
modern encoder: loading a checkpoint with strict=False and reading missing/unexpected keys,
resizing a classifier head, get_submodule/set_submodule-free surgery by setattr on the parent,
layer-wise learning-rate decay groups built from parameter names, freezing by requires_grad_,
a forward pre-hook with kwargs, optimizer-in-backward with register_post_accumulate_grad_hook,
parameters_to_vector, clip_grad_value_, and a final parameter census."""
import re

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(18)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.fc1, self.fc2 = nn.Linear(d, 2 * d), nn.Linear(2 * d, d)

    def forward(self, x, scale=1.0):
        return x + scale * self.fc2(F.gelu(self.fc1(self.norm(x))))


class Encoder(nn.Module):
    def __init__(self, d=12, depth=3, classes=5):
        super().__init__()
        self.embed = nn.Linear(6, d)
        self.blocks = nn.ModuleList(Block(d) for _ in range(depth))
        self.head = nn.Linear(d, classes)

    def forward(self, x):
        x = self.embed(x)
        for blk in self.blocks:
            x = blk(x, scale=0.5)
        return self.head(x.mean(1))


pretrained = Encoder(classes=5)
ckpt = {k: v for k, v in pretrained.state_dict().items() if not k.startswith("head")}
ckpt["pos_embed"] = torch.zeros(1, 4, 12)
model = Encoder(classes=3)
result = model.load_state_dict(ckpt, strict=False)
print(sorted(result.missing_keys), result.unexpected_keys)
print(torch.equal(model.blocks[1].fc1.weight, pretrained.blocks[1].fc1.weight))

parent = model.get_submodule("blocks.2")
parent.fc2 = nn.Linear(24, 12)
nn.init.zeros_(parent.fc2.weight)
nn.init.zeros_(parent.fc2.bias)
print(model.get_submodule("blocks.2.fc2"))


def layer_id(name, depth=3):
    if name.startswith("embed"):
        return 0
    m = re.match(r"blocks\.(\d+)\.", name)
    return int(m.group(1)) + 1 if m else depth + 1


model.embed.requires_grad_(False)
groups = {}
for name, p in model.named_parameters():
    if not p.requires_grad:
        continue
    lid = layer_id(name)
    decay = 0.0 if p.ndim == 1 else 0.05
    g = groups.setdefault((lid, decay), {"params": [], "weight_decay": decay,
                                         "lr_scale": 0.75 ** (4 - lid), "names": []})
    g["params"].append(p)
    g["names"].append(name)
for (lid, decay), g in sorted(groups.items()):
    print(lid, decay, round(g["lr_scale"], 4), g["names"])
param_groups = [{k: v for k, v in g.items() if k != "names"} for _, g in sorted(groups.items())]
opt = torch.optim.AdamW(param_groups, lr=1e-2)
for g in opt.param_groups:
    g["lr"] = 1e-2 * g["lr_scale"]

seen = []


def pre_hook(module, args, kwargs):
    seen.append((type(module).__name__, kwargs.get("scale")))
    return args, {"scale": kwargs.get("scale", 1.0) * 2}


handle = model.blocks[0].register_forward_pre_hook(pre_hook, with_kwargs=True)

head_opts = {p: torch.optim.SGD([p], lr=0.1) for p in model.head.parameters()}


def step_in_backward(p):
    head_opts[p].step()
    head_opts[p].zero_grad()


hooks = [p.register_post_accumulate_grad_hook(step_in_backward) for p in model.head.parameters()]
x = torch.randn(8, 4, 6)
y = torch.randint(0, 3, (8,))
for step in range(3):
    before = torch.nn.utils.parameters_to_vector(model.head.parameters()).clone()
    loss = F.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    moved = (torch.nn.utils.parameters_to_vector(model.head.parameters()) - before).norm()
    torch.nn.utils.clip_grad_value_(model.parameters(), 0.05)
    opt.step()
    print(f"step {step} loss {loss.item():.5f} head-moved {moved.item():.5f} "
          f"head-grad {model.head.weight.grad}")
handle.remove()
for h in hooks:
    h.remove()
print(seen[:2], len(seen))
trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
frozen = sum(p.numel() for p in model.parameters() if not p.requires_grad)
print(trainable, frozen, model.embed.weight.grad is None)
