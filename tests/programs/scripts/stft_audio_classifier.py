"""An audio classifier on spectrograms, in the style of torchaudio tutorials written with
torch alone: synthetic tones (three pitch classes, random phase, noise), a log-magnitude STFT
front end (torch.stft with a Hann window and return_complex=True, .abs(), log1p), a small
Conv1d network over frequency bins, trained a few Adam steps; then an istft round trip and a
Griffin-Lim-style phase estimate."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(3)
SR, N, N_FFT, HOP = 800, 400, 64, 16
FREQS = [50.0, 120.0, 260.0]
window = torch.hann_window(N_FFT)


def tones(batch):
    labels = torch.randint(0, len(FREQS), (batch,))
    t = torch.arange(N) / SR
    f = torch.tensor(FREQS)[labels]
    phase = torch.rand(batch) * 2 * math.pi
    wave = torch.sin(2 * math.pi * f[:, None] * t + phase[:, None])
    return wave + 0.1 * torch.randn(batch, N), labels


def log_spectrogram(wave):
    spec = torch.stft(wave, N_FFT, hop_length=HOP, window=window, return_complex=True)
    return torch.log1p(spec.abs())  # (batch, freq, frames)


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(N_FFT // 2 + 1, 16, 3, padding=1)
        self.head = nn.Linear(16, len(FREQS))

    def forward(self, wave):
        h = F.relu(self.conv(log_spectrogram(wave)))
        return self.head(h.mean(-1))


signal, labels = tones(4)
spec = torch.stft(signal, N_FFT, hop_length=HOP, window=window, return_complex=True)
print("spectrogram", spec.dtype, tuple(spec.shape))
bin_width = SR / N_FFT
peaks = spec.abs().mean(-1).argmax(-1)
print("peak bins:", peaks.tolist(), "labels:", labels.tolist())
print("peak Hz:", [round(p * bin_width, 1) for p in peaks.tolist()])

model = Classifier()
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
losses = []
for _ in range(30):
    wave, labels = tones(16)
    opt.zero_grad(set_to_none=True)
    loss = F.cross_entropy(model(wave), labels)
    loss.backward()
    opt.step()
    losses.append(loss.item())
print("losses:", [round(losses[i], 4) for i in (0, 10, 20, 29)])
with torch.no_grad():
    wave, labels = tones(64)
    accuracy = (model(wave).argmax(-1) == labels).float().mean()
print("accuracy", accuracy.item())

# istft inverts stft; a magnitude-only estimate recovers the signal's energy
back = torch.istft(spec, N_FFT, hop_length=HOP, window=window, length=N)
print("round trip error < 1e-5:", (back - signal).abs().max().item() < 1e-5)
magnitude = spec.abs()
phase = torch.polar(torch.ones_like(magnitude), torch.zeros_like(magnitude))
for _ in range(5):
    estimate = torch.istft(magnitude * phase, N_FFT, hop_length=HOP, window=window, length=N)
    rebuilt = torch.stft(estimate, N_FFT, hop_length=HOP, window=window, return_complex=True)
    phase = torch.exp(1j * rebuilt.angle())
error = (rebuilt.abs() - magnitude).norm() / magnitude.norm()
print("griffin-lim spectral error:", round(error.item(), 4))
