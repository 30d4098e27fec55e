"""The deployment step of many tutorials: train a small classifier briefly, then
torch.jit.trace it (the traced module gives the model's outputs on other batch sizes),
torch.jit.script it, save the traced module with torch.jit.save and load it back for
inference, and use the TorchScript helpers (jit.ignore, is_scripting,
is_tracing, a scripted function) as eager programs meet them."""
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(5)


@torch.jit.script
def swish(x):
    return x * torch.sigmoid(x)


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(6, 16)
        self.fc2 = nn.Linear(16, 3)
        self.traced_calls = 0

    def forward(self, x):
        if torch.jit.is_tracing():
            self.traced_calls += 1
        return self.fc2(swish(self.fc1(x)))

    @torch.jit.ignore
    def describe(self):
        return f"{sum(p.numel() for p in self.parameters())} parameters"


x = torch.randn(64, 6)
y = (x[:, 0] > 0).long() + (x[:, 1] > 0.5).long()
model = Classifier()
opt = torch.optim.Adam(model.parameters(), lr=0.01)


def train_step():
    opt.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    return loss.item()


losses = [train_step() for _ in range(30)]
print("losses at epochs 10, 20, 30:", [round(v, 4) for v in losses[9::10]])
print(model.describe(), torch.jit.is_scripting())

model.eval()
example = torch.randn(1, 6)
traced = torch.jit.trace(model, example)
print(model.traced_calls > 0, torch.jit.is_tracing())
print(traced)
test = torch.randn(5, 6)
with torch.no_grad():
    print(torch.allclose(traced(test), model(test), atol=1e-6), traced(test).shape)
    print([round(v, 4) for v in traced(test)[0].tolist()])
scripted = torch.jit.script(model)
with torch.no_grad():
    print(torch.allclose(scripted(test), model(test)), scripted(test).argmax(dim=1).tolist())
print(list(traced.state_dict().keys()))

with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "classifier.pt")
    torch.jit.save(traced, path)
    loaded = torch.jit.load(path)
    print(loaded)
    with torch.no_grad():
        out = loaded(torch.randn(8, 6))
        print(out.shape, torch.allclose(loaded(test), model(test), atol=1e-6))
    print(sorted(loaded.state_dict().keys()))
