"""Losses from label-noise and imbalance papers as Kaggle kernels write them: focal loss
(binary and multi-class, alpha weights gathered per target), class-balanced weights from the
effective number of samples, symmetric cross entropy, bootstrapping, generalized cross entropy,
and a training loop on noisy labels comparing them."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


class FocalLoss(nn.Module):
    def __init__(self, alpha=None, gamma=2.0, reduction="mean"):
        super().__init__()
        self.register_buffer("alpha", alpha if alpha is not None else None)
        self.gamma = gamma
        self.reduction = reduction

    def forward(self, logits, target):
        logp = F.log_softmax(logits, dim=-1)
        logpt = logp.gather(1, target.unsqueeze(1)).squeeze(1)
        pt = logpt.exp()
        loss = -((1 - pt) ** self.gamma) * logpt
        if self.alpha is not None:
            loss = loss * self.alpha[target]
        if self.reduction == "mean":
            return loss.mean()
        return loss.sum() if self.reduction == "sum" else loss


def binary_focal(logits, targets, alpha=0.25, gamma=2.0):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * ((1 - p_t) ** gamma)
    alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
    return (alpha_t * loss).mean()


def class_balanced_weights(counts, beta=0.99):
    effective = 1.0 - torch.pow(beta, counts.float())
    w = (1.0 - beta) / effective
    return w / w.sum() * counts.numel()


def symmetric_ce(logits, target, a=0.1, b=1.0, num_classes=4):
    ce = F.cross_entropy(logits, target)
    pred = F.softmax(logits, dim=1).clamp(min=1e-7, max=1.0)
    one_hot = F.one_hot(target, num_classes).float().clamp(min=1e-4, max=1.0)
    rce = -(pred * torch.log(one_hot)).sum(dim=1)
    return a * ce + b * rce.mean()


def bootstrap_hard(logits, target, beta=0.8):
    pred = logits.argmax(dim=1).detach()
    return beta * F.cross_entropy(logits, target) + (1 - beta) * F.cross_entropy(logits, pred)


def gce(logits, target, q=0.7):
    p = F.softmax(logits, dim=1)
    yg = torch.gather(p, 1, torch.unsqueeze(target, 1))
    return ((1 - yg ** q) / q).mean()


n = 400
counts = torch.tensor([200, 120, 60, 20])
y_clean = torch.cat([torch.full((int(c),), i) for i, c in enumerate(counts)])
centers = torch.randn(4, 6) * 1.5
x = centers[y_clean] + torch.randn(n, 6)
flip = torch.rand(n) < 0.3
y_noisy = torch.where(flip, torch.randint(0, 4, (n,)), y_clean)
print("noisy labels", flip.sum().item(), "changed", (y_noisy != y_clean).sum().item())
print("counts", torch.bincount(y_noisy, minlength=4))
w = class_balanced_weights(torch.bincount(y_noisy))
print("cb weights", w)

losses = {
    "ce": lambda lo, t: F.cross_entropy(lo, t),
    "weighted_ce": nn.CrossEntropyLoss(weight=w),
    "focal": FocalLoss(alpha=w, gamma=2.0),
    "sce": symmetric_ce,
    "bootstrap": bootstrap_hard,
    "gce": gce,
    "smooth": nn.CrossEntropyLoss(label_smoothing=0.1),
}
for name, criterion in losses.items():
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 4))
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
    for _epoch in range(20):
        loss = criterion(model(x), y_noisy)
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        pred = model(x).argmax(1)
        acc = (pred == y_clean).float().mean()
        per_class = torch.stack([(pred[y_clean == c] == c).float().mean() for c in range(4)])
    print(f"{name:12s} loss {loss.item():.4f} clean acc {acc:.4f} per class {per_class.tolist()}")

logits = torch.randn(8, 4)
t = torch.randint(0, 4, (8,))
fl = FocalLoss(gamma=0.0, reduction="none")(logits, t)
print("gamma 0 is CE:", torch.allclose(fl, F.cross_entropy(logits, t, reduction="none")))
bl = torch.randn(8)
bt = (torch.rand(8) > 0.5).float()
print(f"binary focal {binary_focal(bl, bt):.5f}")
print(F.cross_entropy(logits, t, ignore_index=2, reduction="sum"))
print(F.nll_loss(F.log_softmax(logits, 1), t, weight=w, reduction="mean"))
print(F.cross_entropy(logits, F.softmax(torch.randn(8, 4), 1)))
print(F.multi_margin_loss(logits, t),
      F.multilabel_soft_margin_loss(logits, F.one_hot(t, 4).float()))
