"""Audio-style features with torch.fft: rfft magnitudes of a two-tone signal and the peak
bins, an STFT with a Hann window (return_complex=True, abs, angle), a power spectrogram to
decibels, irfft round trip, and fftfreq/fftshift."""
import math

import torch

torch.manual_seed(53)
sr = 64
t = torch.arange(128) / sr
sig = torch.sin(2 * math.pi * 5 * t) + 0.5 * torch.sin(2 * math.pi * 12 * t) \
    + 0.05 * torch.randn(128)
spec = torch.fft.rfft(sig)
mag = spec.abs()
print("peaks", mag.topk(2).indices.sort().values.tolist(), spec.shape, spec.dtype)
freqs = torch.fft.rfftfreq(128, d=1 / sr)
print("freqs", freqs[mag.topk(2).indices].sort().values.tolist())
back = torch.fft.irfft(spec, n=128)
print("roundtrip", torch.allclose(back, sig, atol=1e-5))
window = torch.hann_window(32)
S = torch.stft(sig, n_fft=32, hop_length=8, window=window, return_complex=True)
power = S.abs() ** 2
db = 10 * torch.log10(torch.clamp(power, min=1e-10))
print("stft", tuple(S.shape), f"{db.max().item():.4f}", f"{S.angle()[3, 2].item():.4f}")
print("fftshift", torch.fft.fftshift(torch.fft.fftfreq(6)).tolist())
full = torch.fft.fft(sig[:8].to(torch.complex64))
print("fft", [round(v, 4) for v in full.real.tolist()], [round(v, 4) for v in full.imag.tolist()])
