"""Domain-adversarial training (DANN) with a gradient reversal layer written as a custom
autograd Function, image patches extracted with F.unfold and put back with F.fold (overlap
counts by folding ones), a per-patch MLP, and sequence statistics common in feature
engineering: diff, cummax, logcumsumexp, count_nonzero, nanmedian, block_diag,
cartesian_prod and combinations."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class GradReverse(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, lambd):
        ctx.lambd = lambd
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.neg() * ctx.lambd, None


def grad_reverse(x, lambd=1.0):
    return GradReverse.apply(x, lambd)


torch.manual_seed(0)
img = torch.randn(2, 3, 8, 8)
patches = F.unfold(img, kernel_size=4, stride=2)
print(patches.shape)
counts = F.fold(F.unfold(torch.ones_like(img), 4, stride=2), (8, 8), 4, stride=2)
recon = F.fold(patches, output_size=(8, 8), kernel_size=4, stride=2) / counts
print("fold(unfold)/counts == img:", torch.allclose(recon, img, atol=1e-6), counts[0, 0, :3, :3])
print(F.unfold(img, kernel_size=3, padding=1, dilation=1).shape,
      F.unfold(img, (2, 4), stride=(2, 4)).shape)


class PatchEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(3 * 16, 32), nn.ReLU(), nn.Linear(32, 16))

    def forward(self, x):
        p = F.unfold(x, 4, stride=4).transpose(1, 2)
        return self.mlp(p).mean(1)


def make_domain(n, shift):
    y = torch.randint(0, 2, (n,))
    x = torch.randn(n, 3, 8, 8) * 0.5
    x[:, 0, :4] += y[:, None, None] * 1.5
    return x + shift, y


xs, ys = make_domain(64, 0.0)
xt, yt = make_domain(64, 0.8)
enc = PatchEncoder()
cls = nn.Linear(16, 2)
dom = nn.Sequential(nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1))
opt = torch.optim.Adam([*enc.parameters(), *cls.parameters(), *dom.parameters()], lr=5e-3)
for step in range(30):
    p = step / 30
    lambd = 2.0 / (1.0 + torch.exp(torch.tensor(-10.0 * p)).item()) - 1
    fs, ft = enc(xs), enc(xt)
    cls_loss = F.cross_entropy(cls(fs), ys)
    feats = grad_reverse(torch.cat([fs, ft]), lambd)
    dom_labels = torch.cat([torch.zeros(64, 1), torch.ones(64, 1)])
    dom_loss = F.binary_cross_entropy_with_logits(dom(feats), dom_labels)
    opt.zero_grad()
    (cls_loss + dom_loss).backward()
    opt.step()
    if step % 10 == 0:
        print(f"step {step} cls {cls_loss.item():.4f} dom {dom_loss.item():.4f} lambda {lambd:.4f}")
with torch.no_grad():
    acc_s = (cls(enc(xs)).argmax(1) == ys).float().mean()
    acc_t = (cls(enc(xt)).argmax(1) == yt).float().mean()
print(f"source acc {acc_s:.4f} target acc {acc_t:.4f}")
x = torch.ones(3, requires_grad=True)
grad_reverse(x * 2, 0.5).sum().backward()
print(x.grad)

s = torch.tensor([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0])
print(torch.diff(s), torch.diff(s, n=2), torch.diff(s, prepend=torch.tensor([0.0])))
print(torch.cummax(s, 0), torch.cummin(s, dim=0).values)
print(torch.logcumsumexp(s, 0), torch.count_nonzero(torch.tensor([[0, 1], [2, 0]]), dim=0))
print(torch.nanmedian(torch.tensor([1.0, float("nan"), 3.0, 2.0])),
      torch.tensor([4.0, 1.0, 3.0, 2.0]).median())
print(torch.block_diag(torch.ones(2, 2), torch.tensor([[5.0]])))
print(torch.cartesian_prod(torch.tensor([1, 2]), torch.tensor([3, 4, 5])))
print(torch.combinations(torch.tensor([1, 2, 3]), r=2),
      torch.combinations(torch.arange(3), with_replacement=True).shape)
