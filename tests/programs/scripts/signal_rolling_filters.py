"""Time-series signal processing without FFTs, as an analytics notebook does it: rolling mean,
std, min/max and median with Tensor.unfold, exponential moving averages by a loop and by a
cumulative-product closed form, FIR low-pass and Savitzky-Golay smoothing as conv1d with
computed kernels (reflect padding), autocorrelation by conv1d, peak detection with max_pool1d,
z-score anomaly flags, and linear-trend removal by lstsq."""

import math

import torch
import torch.nn.functional as F

torch.manual_seed(14)
t = torch.arange(240, dtype=torch.float32)
season = torch.sin(2 * math.pi * t / 24)
signal = 0.01 * t + season + 0.3 * torch.randn(240)
signal[[50, 130, 200]] += torch.tensor([3.0, -2.5, 4.0])

w = 12
win = signal.unfold(0, w, 1)
print("windows", tuple(win.shape))
roll_mean, roll_std = win.mean(1), win.std(1)
print("rolling mean", roll_mean[:4], "std", roll_std[:4])
print("rolling min/max", win.min(1).values[:3], win.amax(1)[:3])
print("rolling median", win.median(1).values[:4])
csum = torch.cumsum(torch.cat([torch.zeros(1), signal]), 0)
print(
    "cumsum rolling mean agrees", torch.allclose((csum[w:] - csum[:-w]) / w, roll_mean, atol=1e-5)
)

alpha = 0.2
ema = torch.empty_like(signal)
ema[0] = signal[0]
for i in range(1, len(signal)):
    ema[i] = alpha * signal[i] + (1 - alpha) * ema[i - 1]
k = torch.arange(len(signal), dtype=torch.float64)
decay = (1 - alpha) ** k
closed = decay * (
    signal[0].double()
    + alpha * torch.cumsum(signal.double()[:] / decay, 0)
    - alpha * signal[0].double()
)
print(
    "ema",
    ema[-3:],
    "closed form agrees",
    torch.allclose(closed[-50:].float(), ema[-50:], atol=1e-4),
)

taps = 15
n = torch.arange(taps) - (taps - 1) / 2
cutoff = 0.08
sinc = torch.where(
    n == 0, torch.tensor(2 * cutoff), torch.sin(2 * math.pi * cutoff * n) / (math.pi * n)
)
hamming = 0.54 - 0.46 * torch.cos(2 * math.pi * torch.arange(taps) / (taps - 1))
fir = sinc * hamming
fir = fir / fir.sum()
x = signal.view(1, 1, -1)
low = F.conv1d(F.pad(x, (taps // 2, taps // 2), mode="reflect"), fir.view(1, 1, -1)).view(-1)
print("fir", fir[:3], "smoothed std", low.std().item(), "raw std", signal.std().item())

half, order = 5, 2
pos = torch.arange(-half, half + 1, dtype=torch.float64)
V = torch.stack([pos**j for j in range(order + 1)], 1)
sg = torch.linalg.pinv(V)[0].float()
print("savgol coefficients", sg, sg.sum().item())
sg_out = F.conv1d(F.pad(x, (half, half), mode="reflect"), sg.flip(0).view(1, 1, -1)).view(-1)
print("savgol residual std", (signal - sg_out).std().item())

centred = (signal - signal.mean()).view(1, 1, -1)
# cross-correlation of the series with itself: conv1d is a correlation in torch
ac = F.conv1d(F.pad(centred, (0, 48)), centred).view(-1)
ac = ac / ac[0]
print("autocorrelation lags 1, 12, 24", ac[1].item(), ac[12].item(), ac[24].item())
print("best seasonal lag", (ac[6:].argmax() + 6).item())

pooled, idx = F.max_pool1d(
    low.view(1, 1, -1), kernel_size=9, stride=1, padding=4, return_indices=True
)
peaks = torch.nonzero((idx.view(-1) == torch.arange(240)) & (low > low.mean())).view(-1)
print("peaks", peaks.tolist()[:8], "count", peaks.numel())

design = torch.stack([torch.ones(240), t / 240], 1)
coef = torch.linalg.lstsq(design, signal.unsqueeze(1)).solution.view(-1)
detrended = signal - design @ coef
resid = detrended - F.conv1d(
    F.pad(detrended.view(1, 1, -1), (12, 11), mode="replicate"), torch.full((1, 1, 24), 1 / 24)
).view(-1)
z = (resid - resid.mean()) / resid.std()
print("trend", coef, "anomalies", torch.nonzero(z.abs() > 3).view(-1).tolist())
print("quantile band", torch.quantile(z, torch.tensor([0.01, 0.99])))
