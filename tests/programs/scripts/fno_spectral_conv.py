"""A Fourier Neural Operator in one dimension, in the style of the neuraloperator reference
code: SpectralConv1d keeps the lowest Fourier modes of torch.fft.rfft, mixes channels with a
complex einsum ("bix,iox->box") into a complex out_ft buffer by slice assignment, and returns
with torch.fft.irfft(n=...); weights are real pairs viewed as complex (view_as_complex).
Trained a few Adam steps on the antiderivative operator of random smooth functions."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
N, MODES, WIDTH = 32, 6, 8


class SpectralConv1d(nn.Module):
    def __init__(self, in_channels, out_channels, modes1):
        super().__init__()
        self.in_channels, self.out_channels, self.modes1 = in_channels, out_channels, modes1
        self.scale = 1 / (in_channels * out_channels)
        self.weights1 = nn.Parameter(self.scale * torch.rand(in_channels, out_channels,
                                                             self.modes1, 2))

    def compl_mul1d(self, input, weights):
        return torch.einsum("bix,iox->box", input, weights)

    def forward(self, x):
        batchsize = x.shape[0]
        x_ft = torch.fft.rfft(x)
        out_ft = torch.zeros(batchsize, self.out_channels, x.size(-1) // 2 + 1,
                             dtype=torch.cfloat)
        out_ft[:, :, :self.modes1] = self.compl_mul1d(x_ft[:, :, :self.modes1],
                                                      torch.view_as_complex(self.weights1))
        return torch.fft.irfft(out_ft, n=x.size(-1))


class FNO1d(nn.Module):
    def __init__(self, modes, width):
        super().__init__()
        self.fc0 = nn.Linear(2, width)
        self.conv0 = SpectralConv1d(width, width, modes)
        self.conv1 = SpectralConv1d(width, width, modes)
        self.w0 = nn.Conv1d(width, width, 1)
        self.w1 = nn.Conv1d(width, width, 1)
        self.fc1 = nn.Linear(width, 32)
        self.fc2 = nn.Linear(32, 1)

    def forward(self, x):
        grid = torch.linspace(0, 1, x.shape[1]).reshape(1, -1, 1).repeat(x.shape[0], 1, 1)
        x = self.fc0(torch.cat((x, grid), dim=-1)).permute(0, 2, 1)
        x = F.gelu(self.conv0(x) + self.w0(x))
        x = self.conv1(x) + self.w1(x)
        x = x.permute(0, 2, 1)
        return self.fc2(F.gelu(self.fc1(x)))


def make_batch(b):
    t = torch.linspace(0, 2 * math.pi, N + 1)[:-1]
    k = torch.arange(1, 4).float()
    a = torch.randn(b, 3) / k
    u = (a[:, :, None] * torch.sin(k[None, :, None] * t)).sum(1)
    v = (-a[:, :, None] / k[None, :, None] * torch.cos(k[None, :, None] * t)).sum(1)
    return u[..., None], (v - v.mean(-1, keepdim=True))[..., None]


# the spectral layer on a pure sine keeps only that mode
layer = SpectralConv1d(1, 1, 3)
wave = torch.sin(2 * math.pi * 2 * torch.arange(N) / N)[None, None]
spectrum = torch.fft.rfft(layer(wave))
print("dominant mode:", spectrum.abs()[0, 0].argmax().item())
print("modes of the wave:", torch.fft.rfft(wave).abs()[0, 0, :4] > 1e-3,
      torch.fft.rfft(wave)[0, 0, 2].imag.item())
print("round trip:", torch.allclose(torch.fft.irfft(torch.fft.rfft(wave), n=N), wave,
                                    atol=1e-6))

model = FNO1d(MODES, WIDTH)
print("parameters:", sum(p.numel() for p in model.parameters()))
opt = torch.optim.Adam(model.parameters(), lr=5e-3)
for step in range(25):
    u, v = make_batch(16)
    opt.zero_grad()
    loss = F.mse_loss(model(u), v)
    loss.backward()
    opt.step()
    if step % 8 == 0 or step == 24:
        print(f"step {step:2d} mse {loss.item():.5f}")
print("spectral weight grad norm:", round(model.conv0.weights1.grad.norm().item(), 5))
