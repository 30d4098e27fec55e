"""Activation (gradient) checkpointing as training scripts switch it on: blocks wrapped with
torch.utils.checkpoint.checkpoint(..., use_reentrant=False) behind a gradient_checkpointing
flag (dropout inside, so the recomputation must replay the same RNG), checkpoint_sequential
over an nn.Sequential in segments, keyword arguments and non-tensor inputs passed through, and
gradients compared with the plain run; then a few optimizer steps in both modes."""

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint, checkpoint_sequential

torch.manual_seed(42)


class MLPBlock(nn.Module):
    def __init__(self, d, p=0.2):
        super().__init__()
        self.ln = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, 4 * d)
        self.fc2 = nn.Linear(4 * d, d)
        self.drop = nn.Dropout(p)

    def forward(self, x, scale=1.0, tag=None):
        h = self.fc2(self.drop(F.gelu(self.fc1(self.ln(x)))))
        return x + scale * h


class Net(nn.Module):
    def __init__(self, d=16, n=4):
        super().__init__()
        self.blocks = nn.ModuleList(MLPBlock(d) for _ in range(n))
        self.head = nn.Linear(d, 3)
        self.gradient_checkpointing = False

    def forward(self, x):
        for i, blk in enumerate(self.blocks):
            if self.gradient_checkpointing and self.training:
                x = checkpoint(blk, x, use_reentrant=False, scale=0.5, tag=f"b{i}")
            else:
                x = blk(x, scale=0.5, tag=f"b{i}")
        return self.head(x)


def grads(model):
    return torch.cat([p.grad.flatten() for p in model.parameters()])


x = torch.randn(8, 16)
y = torch.randint(0, 3, (8,))
net = Net()
for flag in (False, True):
    net.gradient_checkpointing = flag
    net.zero_grad()
    torch.manual_seed(7)
    out = net(x)
    loss = F.cross_entropy(out, y)
    loss.backward()
    print(f"checkpointing={flag}: loss {loss.item():.6f}, grad norm {grads(net).norm().item():.6f}")
    if not flag:
        ref = grads(net).clone()
print("same gradients:", torch.allclose(ref, grads(net), atol=1e-6))
print("output requires grad:", out.requires_grad, out.grad_fn is not None)

seq = nn.Sequential(
    *[nn.Sequential(nn.Linear(16, 16), nn.Tanh(), nn.Dropout(0.1)) for _ in range(6)]
)
inp = torch.randn(4, 16, requires_grad=True)
torch.manual_seed(3)
plain = seq(inp).pow(2).sum()
plain.backward()
g_plain = inp.grad.clone()
inp.grad = None
torch.manual_seed(3)
chk = checkpoint_sequential(seq, 3, inp, use_reentrant=False).pow(2).sum()
chk.backward()
print(
    f"checkpoint_sequential: {chk.item():.5f} vs {plain.item():.5f}, input grads match",
    torch.allclose(g_plain, inp.grad, atol=1e-6),
)


def attention_fn(q, k, v, causal):
    s = q @ k.transpose(-1, -2) / q.size(-1) ** 0.5
    if causal:
        s = s.masked_fill(torch.ones(s.shape[-2:], dtype=torch.bool).triu(1), float("-inf"))
    return s.softmax(-1) @ v


q, k, v = (torch.randn(2, 5, 8, requires_grad=True) for _ in range(3))
o = checkpoint(attention_fn, q, k, v, True, use_reentrant=False)
o.sum().backward()
print("function checkpoint grads", q.grad.abs().sum().item() > 0, round(v.grad.sum().item(), 4))

net.train()
opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
for step in range(12):
    net.gradient_checkpointing = step % 2 == 0
    loss = F.cross_entropy(net(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 3 == 0:
        print(f"step {step}: loss {loss.item():.5f}, checkpointed {net.gradient_checkpointing}")
net.eval()
print("eval logits", net(x)[:2].detach())
