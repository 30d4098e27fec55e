"""MLP-Mixer as the lucidrains/Google-style PyTorch ports write it: patch embedding by a
strided Conv2d, token mixing by transposing (B, tokens, C) to mix across tokens, channel mixing
with an expansion MLP, PreNorm residual wrappers, functools.partial for nn.Linear vs Conv1d
as dense layers, a global average and a head; Adam with a StepLR and a state_dict round trip."""
import copy
import io
from functools import partial

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(3)


class PreNormResidual(nn.Module):
    def __init__(self, dim, fn):
        super().__init__()
        self.fn = fn
        self.norm = nn.LayerNorm(dim)

    def forward(self, x):
        return self.fn(self.norm(x)) + x


def FeedForward(dim, expansion_factor=4, dropout=0.0, dense=nn.Linear):
    inner_dim = int(dim * expansion_factor)
    return nn.Sequential(dense(dim, inner_dim), nn.GELU(), nn.Dropout(dropout),
                         dense(inner_dim, dim), nn.Dropout(dropout))


class Mixer(nn.Module):
    def __init__(self, image_size=16, channels=3, patch_size=4, dim=24, depth=2, num_classes=4,
                 expansion_factor=4, expansion_factor_token=0.5, dropout=0.1):
        super().__init__()
        num_patches = (image_size // patch_size) ** 2
        chan_first, chan_last = partial(nn.Conv1d, kernel_size=1), nn.Linear
        self.stem = nn.Conv2d(channels, dim, patch_size, patch_size)
        layers = []
        for _ in range(depth):
            layers.append(nn.Sequential(
                PreNormResidual(dim, FeedForward(num_patches, expansion_factor, dropout,
                                                 chan_first)),
                PreNormResidual(dim, FeedForward(dim, expansion_factor_token, dropout, chan_last))))
        self.layers = nn.Sequential(*layers)
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)

    def forward(self, img):
        x = self.stem(img)                 # B, C, h, w
        x = x.flatten(2).transpose(1, 2)   # B, tokens, C
        x = self.layers(x)
        x = self.norm(x).mean(dim=1)
        return self.head(x)


model = Mixer()
print(model.layers[0][0].fn[0])
print(model.layers[0][1].fn)
imgs = torch.randn(10, 3, 16, 16)
labels = torch.randint(0, 4, (10,))
opt = torch.optim.Adam(model.parameters(), lr=3e-3, betas=(0.9, 0.99))
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
best, best_state = float("inf"), None
for epoch in range(5):
    model.train()
    for i in range(0, 10, 5):
        loss = F.cross_entropy(model(imgs[i:i + 5]), labels[i:i + 5])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    sched.step()
    model.eval()
    with torch.no_grad():
        val = F.cross_entropy(model(imgs), labels).item()
    if val < best:
        best, best_state = val, copy.deepcopy(model.state_dict())
    print(f"epoch {epoch} train {loss.item():.5f} val {val:.5f} lr {opt.param_groups[0]['lr']:.5f}")

buf = io.BytesIO()
torch.save(best_state, buf)
buf.seek(0)
fresh = Mixer()
print(fresh.load_state_dict(torch.load(buf, weights_only=True)))
fresh.eval()
with torch.no_grad():
    print(f"best {best:.5f} reloaded {F.cross_entropy(fresh(imgs), labels).item():.5f}")
    print(fresh(imgs[:2]).softmax(-1))
