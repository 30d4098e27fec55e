"""A capsule network layer with dynamic routing: primary capsules from a Conv2d reshaped into
vectors, the squash nonlinearity, prediction vectors by a batched matmul with broadcast
weights, three routing iterations with softmax over output capsules, and the margin loss on
capsule lengths."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(127)


def squash(s, dim=-1):
    sq = (s ** 2).sum(dim=dim, keepdim=True)
    return sq / (1 + sq) * s / torch.sqrt(sq + 1e-8)


class CapsNet(nn.Module):
    def __init__(self, n_classes=3):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 3)
        self.primary = nn.Conv2d(8, 4 * 4, 3, stride=2)
        self.W = nn.Parameter(0.1 * torch.randn(1, 16, n_classes, 6, 4))

    def forward(self, x, iters=3):
        h = F.relu(self.conv(x))
        u = self.primary(h)
        B = u.shape[0]
        u = u.view(B, 4, 4, -1).permute(0, 3, 2, 1).reshape(B, -1, 4)
        u = squash(u[:, :16])
        u_hat = (self.W @ u[:, :, None, :, None]).squeeze(-1)
        b = torch.zeros(B, u_hat.shape[1], u_hat.shape[2])
        for i in range(iters):
            c = F.softmax(b, dim=2)
            v = squash((c.unsqueeze(-1) * u_hat).sum(dim=1))
            if i < iters - 1:
                b = b + (u_hat * v.unsqueeze(1)).sum(-1)
        return v


def margin_loss(lengths, labels, m_pos=0.9, m_neg=0.1, lam=0.5):
    t = F.one_hot(labels, lengths.shape[1]).float()
    loss = t * F.relu(m_pos - lengths) ** 2 + lam * (1 - t) * F.relu(lengths - m_neg) ** 2
    return loss.sum(1).mean()


net = CapsNet()
x = torch.rand(12, 1, 10, 10)
y = torch.arange(12) % 3
x[y == 1, :, :5] += 1.0
x[y == 2, :, :, :5] += 1.0
opt = torch.optim.Adam(net.parameters(), lr=5e-3)
for step in range(10):
    v = net(x)
    lengths = v.norm(dim=-1)
    loss = margin_loss(lengths, y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 3 == 0:
        acc = (lengths.argmax(1) == y).float().mean().item()
        print(f"step {step} loss {loss.item():.5f} acc {acc:.3f}")
print(tuple(v.shape), [round(t, 4) for t in lengths[0].tolist()])
