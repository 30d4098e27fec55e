"""Time-series forecasting as Kaggle notebooks write it in plain PyTorch: min-max scaling fit
on the training split, sliding windows from Tensor.unfold, a TensorDataset and DataLoader, an
N-BEATS model (generic and trend blocks with a polynomial basis from linspace, backcast and
forecast residual stacking), sMAPE/MASE metrics, and a recursive multi-step forecast."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
t = torch.arange(0, 240, dtype=torch.float32)
series = 10 + 0.05 * t + 2 * torch.sin(2 * torch.pi * t / 24) + 0.3 * torch.randn(240)
train, test = series[:200], series[200:]
lo, hi = train.min(), train.max()


def scale(s):
    return (s - lo) / (hi - lo)


def unscale(s):
    return s * (hi - lo) + lo


backcast_len, horizon = 36, 6
windows = scale(train).unfold(0, backcast_len + horizon, 1)
print("windows", windows.shape)
X, Y = windows[:, :backcast_len], windows[:, backcast_len:]
loader = DataLoader(TensorDataset(X, Y), batch_size=32, shuffle=True,
                    generator=torch.Generator().manual_seed(1))


class Block(nn.Module):
    def __init__(self, theta_dim, basis=None, hidden=64):
        super().__init__()
        self.fc = nn.Sequential(nn.Linear(backcast_len, hidden), nn.ReLU(),
                                nn.Linear(hidden, hidden), nn.ReLU())
        self.theta = nn.Linear(hidden, theta_dim, bias=False)
        if basis is None:
            self.back = nn.Linear(theta_dim, backcast_len)
            self.fore = nn.Linear(theta_dim, horizon)
            self.basis = None
        else:
            self.register_buffer("back_basis", basis(backcast_len))
            self.register_buffer("fore_basis", basis(horizon))
            self.basis = True

    def forward(self, x):
        theta = self.theta(self.fc(x))
        if self.basis is None:
            return self.back(theta), self.fore(theta)
        return theta @ self.back_basis, theta @ self.fore_basis


def trend_basis(degree):
    def make(length):
        grid = torch.linspace(0, 1, length)
        return torch.stack([grid ** i for i in range(degree + 1)])
    return make


class NBeats(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([Block(4, trend_basis(3)), Block(16), Block(16)])

    def forward(self, x):
        residual, forecast = x.flip(dims=(1,)).flip(dims=(1,)), 0
        for block in self.blocks:
            b, f = block(residual)
            residual = residual - b
            forecast = forecast + f
        return forecast


def smape(y, yhat):
    return (200 * (y - yhat).abs() / (y.abs() + yhat.abs())).mean()


def mase(y, yhat, insample, m=24):
    naive = (insample[m:] - insample[:-m]).abs().mean()
    return (y - yhat).abs().mean() / naive


model = NBeats()
print(model.blocks[0].back_basis.shape, model.blocks[0].fore_basis[:, -1])
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.95)
loss_fn = nn.L1Loss()
for epoch in range(12):
    total = 0.0
    for xb, yb in loader:
        loss = loss_fn(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_value_(model.parameters(), 1.0)
        opt.step()
        total += loss.item() * xb.shape[0]
    sched.step()
    if epoch % 3 == 2:
        mae = total / len(loader.dataset)
        print(f"epoch {epoch} mae {mae:.5f} lr {sched.get_last_lr()[0]:.6f}")

model.eval()
with torch.no_grad():
    history = scale(train)[-backcast_len:].clone()
    preds = []
    while len(preds) < test.numel():
        step = model(history[None])[0]
        preds.extend(step.tolist())
        history = torch.cat([history[horizon:], step])
    preds = unscale(torch.tensor(preds[:test.numel()]))
print(preds[:6])
print(f"sMAPE {smape(test, preds):.4f} MASE {mase(test, preds, train):.4f}")
print(torch.stack([test[:3], preds[:3]], 1))
