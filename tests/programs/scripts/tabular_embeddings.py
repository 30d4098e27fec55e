"""A tabular classifier in the fastai / entity-embedding style: one nn.Embedding per
categorical column in a ModuleList, BatchNorm1d over continuous features, dropout, class
weights and label smoothing in cross_entropy, a OneCycleLR schedule, SWA weight averaging
and a confusion matrix from bincount."""

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.optim.swa_utils import SWALR, AveragedModel
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
n = 256
cats = torch.stack([torch.randint(0, c, (n,)) for c in (5, 7, 3)], dim=1)
conts = torch.randn(n, 4)
logit = conts[:, 0] * 1.5 - conts[:, 1] + (cats[:, 0] == 2).float() * 2 - (cats[:, 2] == 1).float()
y = (logit > 0.3).long() + (logit > 1.5).long()
print("class counts", torch.bincount(y).tolist())


class TabularNet(nn.Module):
    def __init__(self, cards, n_cont, n_out):
        super().__init__()
        self.embeds = nn.ModuleList([nn.Embedding(c, min(50, (c + 1) // 2)) for c in cards])
        n_emb = sum(e.embedding_dim for e in self.embeds)
        self.bn_cont = nn.BatchNorm1d(n_cont)
        self.emb_drop = nn.Dropout(0.1)
        self.layers = nn.Sequential(
            nn.Linear(n_emb + n_cont, 32), nn.ReLU(inplace=True), nn.BatchNorm1d(32),
            nn.Dropout(0.2), nn.Linear(32, 16), nn.ReLU(inplace=True), nn.BatchNorm1d(16),
            nn.Linear(16, n_out))

    def forward(self, x_cat, x_cont=None):
        if x_cont is None:  # one float tensor: the categorical codes, then the continuous
            x_cat, x_cont = x_cat[:, :3].long(), x_cat[:, 3:]
        x = torch.cat([e(x_cat[:, i]) for i, e in enumerate(self.embeds)], 1)
        x = torch.cat([self.emb_drop(x), self.bn_cont(x_cont)], 1)
        return self.layers(x)


model = TabularNet([5, 7, 3], 4, 3)
print(model)
weights = 1.0 / torch.bincount(y).float()
weights = weights / weights.sum() * 3
loader = DataLoader(TensorDataset(cats, conts, y), batch_size=32, shuffle=True, drop_last=True)
opt = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=1e-2)
epochs = 8
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-2, total_steps=epochs * len(loader))
swa = AveragedModel(model)
swa_sched = SWALR(opt, swa_lr=5e-3, anneal_epochs=2)
for epoch in range(epochs + 3):
    model.train()
    tot = 0.0
    for xc, xn, yb in loader:
        out = model(xc, xn)
        loss = F.cross_entropy(out, yb, weight=weights, label_smoothing=0.1)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if epoch < epochs:
            sched.step()
        tot += loss.item()
    if epoch >= epochs:
        swa.update_parameters(model)
        swa_sched.step()
    print(f"epoch {epoch} loss {tot / len(loader):.4f} lr {opt.param_groups[0]['lr']:.5f}")

torch.optim.swa_utils.update_bn((torch.cat([xc.float(), xn], 1) for xc, xn, _ in loader), swa)
for name, m in (("model", model), ("swa", swa)):
    m.eval()
    with torch.no_grad():
        pred = m(cats, conts).argmax(1)
    cm = torch.bincount(y * 3 + pred, minlength=9).reshape(3, 3)
    print(name, "accuracy", (pred == y).float().mean().item())
    print(cm)
