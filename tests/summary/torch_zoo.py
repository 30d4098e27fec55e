"""The zoo's models written in PyTorch (same class names, layers, registration order and
forward), so torchinfo can summarise them; shapes only matter, weights are torch's own."""

from __future__ import annotations

import math

import torch
from torch import nn


class SimpleNet(nn.Module):
    """fc1, an activation, fc2: ``sizes`` are (in, hidden, out)."""

    sizes, activation = (10, 5, 1), staticmethod(torch.sigmoid)

    def __init__(self):
        super().__init__()
        n_in, hidden, n_out = self.sizes
        self.fc1, self.fc2 = nn.Linear(n_in, hidden), nn.Linear(hidden, n_out)

    def forward(self, x):
        return self.fc2(self.activation(self.fc1(x)))


class MLP(SimpleNet):
    """mlp_digits: SimpleNet's two layers, wider, with a ReLU."""

    sizes, activation = (64, 32, 10), staticmethod(torch.relu)


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        return self.fc(self.pool(torch.relu(self.conv(x))).reshape(-1, 64))


class GRUClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.cell, self.head = nn.GRUCell(3, 8), nn.Linear(8, 2)

    def forward(self, x):
        h = None
        for t in range(x.shape[1]):
            h = self.cell(x[:, t, :], h)
        return self.head(h)


class SelfAttention(nn.Module):
    def __init__(self, dim=8, heads=2):
        super().__init__()
        self.heads, self.head_dim = heads, dim // heads
        self.qkv, self.out = nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)

    def forward(self, x):
        _, t, d = x.shape
        qkv = self.qkv(x).reshape(-1, t, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_dim)
        mixed = torch.softmax(scores, -1) @ v
        return self.out(mixed.permute(0, 2, 1, 3).reshape(-1, t, d))


class EncoderBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = SelfAttention()
        self.norm1 = nn.LayerNorm(8)
        self.fc1, self.fc2 = nn.Linear(8, 16), nn.Linear(16, 8)
        self.norm2 = nn.LayerNorm(8)
        self.head = nn.Linear(8, 2)

    def forward(self, x):
        x = self.norm1(x + self.attn(x))
        x = self.norm2(x + self.fc2(torch.nn.functional.gelu(self.fc1(x))))
        return self.head(x.mean(1))


TORCH_ZOO = {"simplenet": SimpleNet, "mlp_digits": MLP, "cnn_digits": SmallCNN,
             "gru_seq": GRUClassifier, "transformer": EncoderBlock}
