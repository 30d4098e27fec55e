"""A small 3-D CNN classifying synthetic volumes (as for CT or video clips): Conv3d,
LazyBatchNorm3d, MaxPool3d, a weight-normalized Conv3d with padding="same", AvgPool3d,
AdaptiveAvgPool3d and a LazyLinear head that is spectrally normalized after the dry run which
materializes it (the optimizer is built after it, as PyTorch's documentation asks), trained
with Adam; the logits are sharpened by a temperature of 2 ** t (exp2)."""

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import parametrizations


def synthetic_volumes(n, size=12):
    """``n`` 1 x size^3 volumes of noise with a bright cube in one of four octant pairs (the
    label)."""
    labels = torch.randint(0, 4, (n,))
    volumes = torch.randn(n, 1, size, size, size) * 0.3
    half = size // 2
    for i in range(n):
        d, h = divmod(int(labels[i]), 2)
        volumes[i, 0, d * half:d * half + 4, h * half:h * half + 4, 2:6] += 1.5
    return volumes, labels


class VolumeNet(nn.Module):
    def __init__(self, classes=4):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv3d(1, 6, 3, padding=1, bias=False),  # the batch norm centres it
            nn.LazyBatchNorm3d(),
            nn.ReLU(),
            nn.MaxPool3d(2),
            parametrizations.weight_norm(nn.Conv3d(6, 8, 3, padding="same")),
            nn.ReLU(),
            nn.AvgPool3d(2, stride=1),
            nn.AdaptiveAvgPool3d((2, 2, 1)),
            nn.Flatten(),
        )
        self.head = nn.LazyLinear(classes)
        self.log_temperature = nn.Parameter(torch.zeros(()))

    def forward(self, x):
        return self.head(self.features(x)) * torch.exp2(self.log_temperature)


def main():
    torch.manual_seed(0)
    train_x, train_y = synthetic_volumes(24)
    test_x, test_y = synthetic_volumes(8)
    model = VolumeNet()
    print("before the dry run:", model.head)
    model(train_x[:2])  # materializes the lazy layers
    parametrizations.spectral_norm(model.head)
    print(model)
    print("parameters:", sum(p.numel() for p in model.parameters()))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for epoch in range(3):
        model.train()
        for start in range(0, 24, 8):
            x, y = train_x[start:start + 8], train_y[start:start + 8]
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            print(f"epoch {epoch} batch {start // 8} loss {loss.item():.5f}")
        model.eval()
        with torch.no_grad():
            logits = model(test_x)
            correct = (logits.argmax(1) == test_y).sum().item()
        print(f"epoch {epoch} test loss {F.cross_entropy(logits, test_y).item():.5f} "
              f"correct {correct}/8")
    print("temperature", torch.exp2(model.log_temperature).item())
    print("sigma estimate u:", model.head.parametrizations.weight[0]._u)


if __name__ == "__main__":
    main()
