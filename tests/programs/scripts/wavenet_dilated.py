"""A WaveNet-style autoregressive model on a quantised sine: causal dilated Conv1d stacks (left
padding with F.pad), gated tanh*sigmoid activations, residual and skip 1x1 convolutions,
mu-law companding with sign/log1p, cross entropy over 16 classes, and greedy generation."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(59)
Q = 16


def mu_law(x, mu=Q - 1):
    y = torch.sign(x) * torch.log1p(mu * x.abs()) / math.log1p(mu)
    return ((y + 1) / 2 * mu + 0.5).long()


wave = torch.sin(torch.arange(200) * 0.3) * 0.8
codes = mu_law(wave)


class Block(nn.Module):
    def __init__(self, ch, dilation):
        super().__init__()
        self.dilation = dilation
        self.conv = nn.Conv1d(ch, 2 * ch, 2, dilation=dilation)
        self.res = nn.Conv1d(ch, ch, 1)
        self.skip = nn.Conv1d(ch, ch, 1)

    def forward(self, x):
        h = self.conv(F.pad(x, (self.dilation, 0)))
        filt, gate = h.chunk(2, dim=1)
        z = torch.tanh(filt) * torch.sigmoid(gate)
        return x + self.res(z), self.skip(z)


class WaveNet(nn.Module):
    def __init__(self, ch=16):
        super().__init__()
        self.embed = nn.Embedding(Q, ch)
        self.blocks = nn.ModuleList([Block(ch, d) for d in (1, 2, 4, 8)])
        self.out = nn.Sequential(nn.ReLU(), nn.Conv1d(ch, ch, 1), nn.ReLU(), nn.Conv1d(ch, Q, 1))

    def forward(self, x):
        h = self.embed(x).transpose(1, 2)
        skips = 0
        for block in self.blocks:
            h, s = block(h)
            skips = skips + s
        return self.out(skips)


net = WaveNet()
opt = torch.optim.Adam(net.parameters(), lr=3e-3)
inp, tgt = codes[:-1].unsqueeze(0), codes[1:].unsqueeze(0)
for step in range(15):
    logits = net(inp)
    loss = F.cross_entropy(logits, tgt)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 5 == 0:
        print(f"step {step} loss {loss.item():.4f}")
rf = 1 + sum(b.dilation for b in net.blocks)
gen = codes[:rf].tolist()
with torch.no_grad():
    for _ in range(12):
        logits = net(torch.tensor(gen[-rf:]).unsqueeze(0))
        gen.append(int(logits[0, :, -1].argmax()))
print("receptive field", rf, "generated", gen[rf:])
