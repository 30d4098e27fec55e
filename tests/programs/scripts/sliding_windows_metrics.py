"""Time-series windows and evaluation metrics as written by hand: Tensor.unfold for sliding
windows, a 1-D CNN forecaster, then classification metrics from a confusion matrix built with
bincount, precision/recall/F1, ROC-AUC by ranking (argsort), unique with counts, and
histc of scores."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(131)
series = torch.sin(torch.arange(120) * 0.2) + 0.1 * torch.randn(120)
windows = series.unfold(0, 12, 2)
print("windows", tuple(windows.shape), windows[1, :3].tolist() == series[2:5].tolist())
x, y = windows[:, :-1].unsqueeze(1), windows[:, -1]
model = nn.Sequential(nn.Conv1d(1, 8, 3), nn.ReLU(), nn.Conv1d(8, 8, 3, dilation=2), nn.ReLU(),
                      nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(8, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
for step in range(25):
    pred = model(x).squeeze(1)
    loss = F.mse_loss(pred, y)
    opt.zero_grad(True)
    loss.backward()
    opt.step()
    if step % 8 == 0:
        print(f"step {step} mse {loss.item():.5f}")
patches = torch.arange(16.0).reshape(4, 4).unfold(0, 2, 2).unfold(1, 2, 2)
print("2d unfold", tuple(patches.shape), patches[1, 0].tolist())

scores = torch.rand(40)
labels = (scores + 0.3 * torch.randn(40) > 0.5).long()
preds = (scores > 0.5).long()
cm = torch.bincount(labels * 2 + preds, minlength=4).reshape(2, 2)
tp, fp, fn = cm[1, 1].item(), cm[0, 1].item(), cm[1, 0].item()
precision, recall = tp / (tp + fp), tp / (tp + fn)
f1 = 2 * precision * recall / (precision + recall)
print("confusion", cm.tolist(), f"p {precision:.4f} r {recall:.4f} f1 {f1:.4f}")
order = scores.argsort()
ranks = torch.empty_like(order)
ranks[order] = torch.arange(1, 41)
n_pos = labels.sum().item()
auc = (ranks[labels == 1].sum().item() - n_pos * (n_pos + 1) / 2) / (n_pos * (40 - n_pos))
vals, counts = torch.unique(labels, return_counts=True)
print(f"auc {auc:.4f}", vals.tolist(), counts.tolist(),
      torch.histc(scores, bins=4, min=0, max=1).tolist())
