"""The transfer-learning tutorial's fine-tuning loop on a small "pretrained" CNN: freezing the
backbone (requires_grad = False), replacing the head, optimising only the head's parameters,
a train/val phase loop with set_grad_enabled, StepLR, and keeping the best weights by
copy.deepcopy(state_dict()); then unfreezing with a second parameter group."""
import copy

import torch
import torch.nn as nn
import torch.optim as optim
from torch.optim import lr_scheduler

torch.manual_seed(19)


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8),
                                      nn.ReLU(inplace=True), nn.AdaptiveAvgPool2d((2, 2)))
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        return self.fc(torch.flatten(self.features(x), 1))


model = Backbone()
for param in model.parameters():
    param.requires_grad = False
num_ftrs = model.fc.in_features
model.fc = nn.Linear(num_ftrs, 2)
print(sum(p.numel() for p in model.parameters() if p.requires_grad), "trainable of",
      sum(p.numel() for p in model.parameters()))
x = {"train": torch.randn(32, 3, 8, 8), "val": torch.randn(16, 3, 8, 8)}
y = {k: (v[:, 0].mean((1, 2)) > 0).long() for k, v in x.items()}
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.fc.parameters(), lr=0.01, momentum=0.9)
scheduler = lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.1)
best_wts, best_acc = copy.deepcopy(model.state_dict()), 0.0
for epoch in range(4):
    for phase in ["train", "val"]:
        model.train() if phase == "train" else model.eval()
        running_loss, running_corrects = 0.0, 0
        for inputs, labels in zip(x[phase].split(8), y[phase].split(8), strict=True):
            optimizer.zero_grad()
            with torch.set_grad_enabled(phase == "train"):
                outputs = model(inputs)
                _, preds = torch.max(outputs, 1)
                loss = criterion(outputs, labels)
                if phase == "train":
                    loss.backward()
                    optimizer.step()
            running_loss += loss.item() * inputs.size(0)
            running_corrects += torch.sum(preds == labels.data)
        if phase == "train":
            scheduler.step()
        epoch_loss = running_loss / len(x[phase])
        epoch_acc = running_corrects.double() / len(x[phase])
        print(f"{epoch} {phase} Loss: {epoch_loss:.4f} Acc: {epoch_acc:.4f}")
        if phase == "val" and epoch_acc > best_acc:
            best_acc = epoch_acc
            best_wts = copy.deepcopy(model.state_dict())
print(f"Best val Acc: {best_acc:4f}", type(best_acc).__name__, best_acc.dtype)
model.load_state_dict(best_wts)
print("bn frozen stats", model.features[1].num_batches_tracked.item(),
      f"{model.features[1].running_mean.abs().sum().item():.5f}")
for p in model.features.parameters():
    p.requires_grad_(True)
opt2 = optim.Adam([{"params": model.features.parameters(), "lr": 1e-4},
                   {"params": model.fc.parameters()}], lr=1e-3)
model.train()
loss = criterion(model(x["train"]), y["train"])
opt2.zero_grad()
loss.backward()
opt2.step()
print([g["lr"] for g in opt2.param_groups], f"{loss.item():.5f}",
      model.features[0].weight.grad is not None)
