"""LoRA fine-tuning written two ways as minLoRA and peft do: a low-rank update registered with
torch.nn.utils.parametrize on a frozen pretrained Linear (B zero-initialised, A kaiming_uniform_
with a=sqrt(5), scale alpha/r, dropout on the update path), and a LoRALinear wrapper computing
F.linear(x, W) + dropout(x) @ A.T @ B.T * scale; only lora_ parameters trained (name filtering,
requires_grad_), parametrize.cached() for repeated use, merging by remove_parametrizations
with leave_parametrized=True, and a check that both forms and the merged layer agree."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.utils.parametrize as parametrize

torch.manual_seed(19)


class LoRAParametrization(nn.Module):
    def __init__(self, fan_in, fan_out, rank=4, alpha=8, dropout=0.0):
        super().__init__()
        self.lora_A = nn.Parameter(torch.zeros(rank, fan_in))
        self.lora_B = nn.Parameter(torch.zeros(fan_out, rank))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.scaling = alpha / rank
        self.lora_dropout = nn.Dropout(p=dropout) if dropout > 0 else lambda x: x
        self.enabled = True

    def forward(self, X):
        if not self.enabled:
            return X
        delta = torch.matmul(self.lora_B, self.lora_dropout(self.lora_A)).view(X.shape)
        return X + delta * self.scaling


class LoRALinear(nn.Module):
    def __init__(self, base: nn.Linear, rank=4, alpha=8):
        super().__init__()
        self.base = base
        self.lora_A = nn.Parameter(torch.zeros(rank, base.in_features))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, rank))
        self.scaling = alpha / rank

    def forward(self, x):
        return self.base(x) + (x @ self.lora_A.T @ self.lora_B.T) * self.scaling


def make_model():
    return nn.Sequential(nn.Linear(10, 16), nn.GELU(), nn.Linear(16, 16), nn.GELU(),
                         nn.Linear(16, 3))


pretrained = make_model()
x = torch.randn(32, 10)
y = (x[:, 0] > 0).long() + (x[:, 1] > 0.5).long()

model = make_model()
model.load_state_dict(pretrained.state_dict())
for p in model.parameters():
    p.requires_grad_(False)
for idx in (0, 2):
    layer = model[idx]
    parametrize.register_parametrization(
        layer, "weight", LoRAParametrization(layer.in_features, layer.out_features))
lora_params = [p for n, p in model.named_parameters() if "lora_" in n]
print([n for n, p in model.named_parameters() if p.requires_grad])
print(model[0])
opt = torch.optim.Adam(lora_params, lr=1e-2)
for step in range(5):
    loss = F.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    b_norm = model[0].parametrizations.weight[0].lora_B.norm().item()
    print(f"step {step} loss {loss.item():.5f} B-norm {b_norm:.5f}")

wrapped = make_model()
wrapped.load_state_dict(pretrained.state_dict())
for idx in (0, 2):
    w = LoRALinear(wrapped[idx])
    src = model[idx].parametrizations.weight[0]
    w.lora_A.data.copy_(src.lora_A.data)
    w.lora_B.data.copy_(src.lora_B.data)
    wrapped[idx] = w
with torch.no_grad(), parametrize.cached():
    a, b = model(x), model(x)
    c = wrapped(x)
print(torch.equal(a, b), torch.allclose(a, c, atol=1e-5))

for idx in (0, 2):
    model[idx].parametrizations.weight[0].enabled = False
with torch.no_grad():
    print(torch.allclose(model(x), pretrained(x)))
for idx in (0, 2):
    model[idx].parametrizations.weight[0].enabled = True
    parametrize.remove_parametrizations(model[idx], "weight", leave_parametrized=True)
print(parametrize.is_parametrized(model[0]), sorted(model.state_dict().keys())[:3])
with torch.no_grad():
    merged = model(x)
    drift = (model[0].weight - pretrained[0].weight).abs().max()
    print(torch.allclose(merged, a, atol=1e-5), drift)
