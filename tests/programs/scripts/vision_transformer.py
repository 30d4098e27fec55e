"""A small vision transformer in the manner of the usual PyTorch ViT scripts, on synthetic
16x16 images: patches cut with nn.Unfold and embedded by a Linear layer, a learned class token
and position embedding, nn.TransformerEncoder (batch_first, GELU, pre-norm), a LayerNorm + Linear
head on the class token; AdamW, a warmup-then-cosine LambdaLR, label smoothing, gradient
clipping, and stochastic weight averaging of the last epochs (AveragedModel, SWALR)."""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.optim.swa_utils import SWALR, AveragedModel


class PatchEmbedding(nn.Module):
    def __init__(self, patch=4, channels=3, dim=32):
        super().__init__()
        self.unfold = nn.Unfold(kernel_size=patch, stride=patch)
        self.proj = nn.Linear(channels * patch * patch, dim)

    def forward(self, x):
        patches = self.unfold(x).transpose(1, 2)  # (B, num_patches, C * p * p)
        return self.proj(patches)


class ViT(nn.Module):
    def __init__(self, image=16, patch=4, dim=32, depth=2, heads=4, classes=4):
        super().__init__()
        self.embed = PatchEmbedding(patch, 3, dim)
        num_patches = (image // patch) ** 2
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.randn(1, num_patches + 1, dim) * 0.02)
        layer = nn.TransformerEncoderLayer(dim, heads, dim_feedforward=2 * dim, dropout=0.1,
                                           activation="gelu", batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        x = self.embed(x)
        cls = self.cls_token.expand(x.shape[0], -1, -1)
        x = torch.cat([cls, x], dim=1) + self.pos_embed
        x = self.encoder(x)
        return self.head(self.norm(x[:, 0]))


torch.manual_seed(5)
labels = torch.randint(0, 4, (48,))
images = torch.rand(48, 3, 16, 16) * 0.5
for i, label in enumerate(labels.tolist()):
    row, col = divmod(label, 2)
    images[i, :, row * 8:row * 8 + 8, col * 8:col * 8 + 8] += 0.5  # the class is a quadrant

model = ViT()
print(f"parameters: {sum(p.numel() for p in model.parameters())}")
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.05)
warmup, total = 3, 12


def lr_lambda(step):
    if step < warmup:
        return (step + 1) / warmup
    return 0.5 * (1 + math.cos(math.pi * (step - warmup) / (total - warmup)))


scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda)
swa_model = AveragedModel(model)
swa_scheduler = SWALR(optimizer, swa_lr=1e-3, anneal_epochs=2)
swa_start = 4

for epoch in range(6):
    model.train()
    perm = torch.randperm(48)
    for start in range(0, 48, 16):
        idx = perm[start:start + 16]
        logits = model(images[idx])
        loss = F.cross_entropy(logits, labels[idx], label_smoothing=0.1)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        optimizer.step()
    if epoch >= swa_start:
        swa_model.update_parameters(model)
        swa_scheduler.step()
    else:
        scheduler.step()
    model.eval()
    with torch.no_grad():
        accuracy = (model(images).argmax(1) == labels).float().mean().item()
    print(f"epoch {epoch} loss {loss.item():.4f} accuracy {accuracy:.4f} "
          f"lr {optimizer.param_groups[0]['lr']:.6f}")

with torch.no_grad():
    swa_logits = swa_model(images)
print("swa averaged", int(swa_model.n_averaged), "models; accuracy",
      f"{(swa_logits.argmax(1) == labels).float().mean().item():.4f}")
