"""MADE (masked autoencoder for distribution estimation) as in Karpathy's pytorch-made:
a MaskedLinear keeping its mask in a registered buffer and multiplying it into the weight in
F.linear, connectivity drawn from a seeded RNG, order-agnostic training over several input
orderings, binarized data with a summed BCE-with-logits likelihood, and ancestral sampling."""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


class MaskedLinear(nn.Linear):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__(in_features, out_features, bias)
        self.register_buffer("mask", torch.ones(out_features, in_features))

    def set_mask(self, mask):
        self.mask.data.copy_(torch.from_numpy(mask.astype(np.uint8).T))

    def forward(self, input):
        return F.linear(input, self.mask * self.weight, self.bias)


class MADE(nn.Module):
    def __init__(self, nin, hidden_sizes, nout, num_masks=1, natural_ordering=False):
        super().__init__()
        self.nin, self.nout, self.hidden_sizes = nin, nout, hidden_sizes
        self.net = []
        hs = [nin] + hidden_sizes + [nout]
        for h0, h1 in zip(hs, hs[1:], strict=False):
            self.net.extend([MaskedLinear(h0, h1), nn.ReLU()])
        self.net.pop()
        self.net = nn.Sequential(*self.net)
        self.natural_ordering = natural_ordering
        self.num_masks = num_masks
        self.seed = 0
        self.m = {}
        self.update_masks()

    def update_masks(self):
        if self.m and self.num_masks == 1:
            return
        L = len(self.hidden_sizes)
        rng = np.random.RandomState(self.seed)
        self.seed = (self.seed + 1) % self.num_masks
        self.m[-1] = np.arange(self.nin) if self.natural_ordering else rng.permutation(self.nin)
        for l in range(L):
            self.m[l] = rng.randint(self.m[l - 1].min(), self.nin - 1, size=self.hidden_sizes[l])
        masks = [self.m[l - 1][:, None] <= self.m[l][None, :] for l in range(L)]
        masks.append(self.m[L - 1][:, None] < self.m[-1][None, :])
        layers = [l for l in self.net.modules() if isinstance(l, MaskedLinear)]
        for l, m in zip(layers, masks, strict=True):
            l.set_mask(m)

    def forward(self, x):
        return self.net(x)


D = 8
protos = (torch.rand(3, D) > 0.5).float()
which = torch.randint(0, 3, (300,))
flip = (torch.rand(300, D) < 0.05).float()
data = (protos[which] + flip) % 2
print(data[:3], data.mean(0))
model = MADE(D, [32, 32], D, num_masks=2)
print(model)
print(model.net[0].mask.shape, model.net[0].mask.dtype, int(model.net[0].mask.sum()))
print(list(model.state_dict())[:4])
opt = torch.optim.Adam(model.parameters(), lr=1e-2, weight_decay=1e-4)
for epoch in range(12):
    perm = torch.randperm(300)
    total = 0.0
    for i in range(0, 300, 50):
        xb = data[perm[i:i + 50]]
        model.update_masks()
        logits = model(xb)
        loss = F.binary_cross_entropy_with_logits(logits, xb, reduction="sum") / xb.shape[0]
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item()
    if epoch % 3 == 0:
        print(f"epoch {epoch} nll {total / 6:.4f} seed {model.seed}")

model.eval()
with torch.no_grad():
    nlls = []
    for _ in range(model.num_masks):
        model.update_masks()
        nlls.append(F.binary_cross_entropy_with_logits(model(data), data, reduction="none").sum(1))
    ensemble = -torch.logsumexp(-torch.stack(nlls), 0) + np.log(model.num_masks)
    per_mask = [round(n.mean().item(), 4) for n in nlls]
    print(f"ensemble nll {ensemble.mean():.4f} per-mask {per_mask}")
    order = torch.from_numpy(model.m[-1]).argsort()
    x = torch.zeros(5, D)
    g = torch.Generator().manual_seed(7)
    for d in order.tolist():
        p = torch.sigmoid(model(x))[:, d]
        x[:, d] = torch.bernoulli(p, generator=g)
    print(x)
    dist = (x[:, None, :] != protos[None]).sum(-1).min(1).values
    print("hamming to nearest prototype", dist)
