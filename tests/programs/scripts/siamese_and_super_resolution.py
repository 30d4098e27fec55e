"""Siamese embeddings with triplet and contrastive losses, and an ESPCN-style super-resolution
network (bicubic downsampling, PixelShuffle, orthogonal init, PSNR)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.init as init

torch.manual_seed(4)
emb = nn.Sequential(nn.Linear(10, 16), nn.ReLU(), nn.Linear(16, 8))
opt = torch.optim.SGD(emb.parameters(), lr=0.05, momentum=0.9)
a, p, n = torch.randn(32, 10), torch.randn(32, 10), torch.randn(32, 10)
for step in range(10):
    ea, ep, en = emb(a), emb(p), emb(n)
    loss = F.triplet_margin_loss(ea, ep, en, margin=1.0)
    d = F.pairwise_distance(ea, ep)
    closs = torch.mean((1 - 0) * torch.pow(d, 2) + 0 * torch.pow(torch.clamp(1.0 - d, min=0.0), 2))
    cs = F.cosine_similarity(ea, en).mean()
    total = loss + 0.1 * closs + 0.01 * cs
    opt.zero_grad()
    total.backward()
    opt.step()
    print(f"step {step} triplet {loss.item():.4f} contrastive {closs.item():.4f} "
          f"cos {cs.item():.4f}")


class ESPCN(nn.Module):
    def __init__(self, upscale_factor=2):
        super().__init__()
        self.relu = nn.ReLU()
        self.conv1 = nn.Conv2d(1, 16, (5, 5), (1, 1), (2, 2))
        self.conv2 = nn.Conv2d(16, 8, (3, 3), (1, 1), (1, 1))
        self.conv3 = nn.Conv2d(8, upscale_factor ** 2, (3, 3), (1, 1), (1, 1))
        self.pixel_shuffle = nn.PixelShuffle(upscale_factor)
        init.orthogonal_(self.conv1.weight, init.calculate_gain("relu"))
        init.orthogonal_(self.conv2.weight, init.calculate_gain("relu"))
        init.orthogonal_(self.conv3.weight)

    def forward(self, x):
        x = self.relu(self.conv1(x))
        x = self.relu(self.conv2(x))
        return self.pixel_shuffle(self.conv3(x))


net = ESPCN()
hr = torch.rand(4, 1, 16, 16)
lr_img = F.interpolate(hr, scale_factor=0.5, mode="bicubic", align_corners=False)
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
for step in range(5):
    out = net(lr_img)
    mse = nn.MSELoss()(out, hr)
    opt.zero_grad()
    mse.backward()
    opt.step()
    psnr = 10 * torch.log10(1 / mse.detach())
    print(f"sr step {step} mse {mse.item():.5f} psnr {psnr.item():.3f}")
print(F.pixel_unshuffle(hr, 2).shape, nn.PixelUnshuffle(2)(hr).shape)
