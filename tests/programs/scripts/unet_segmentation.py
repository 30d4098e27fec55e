"""A tiny U-Net for binary segmentation of synthetic blobs: double convolutions, max-pool down,
ConvTranspose2d up with skip connections by torch.cat, BCEWithLogitsLoss(pos_weight=) plus a
soft Dice loss, RMSprop, and IoU of the thresholded prediction."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(8)
yy, xx = torch.meshgrid(torch.arange(16.0), torch.arange(16.0), indexing="ij")
centers = torch.randint(4, 12, (6, 2)).float()
masks = torch.stack([((yy - c[0]) ** 2 + (xx - c[1]) ** 2 < 9).float() for c in centers])
images = (masks + 0.3 * torch.randn_like(masks)).unsqueeze(1)
masks = masks.unsqueeze(1)


def double_conv(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout),
                         nn.ReLU(inplace=True), nn.Conv2d(cout, cout, 3, padding=1),
                         nn.ReLU(inplace=True))


class UNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inc = double_conv(1, 4)
        self.down = nn.Sequential(nn.MaxPool2d(2), double_conv(4, 8))
        self.up = nn.ConvTranspose2d(8, 4, kernel_size=2, stride=2)
        self.conv = double_conv(8, 4)
        self.outc = nn.Conv2d(4, 1, kernel_size=1)

    def forward(self, x):
        x1 = self.inc(x)
        x2 = self.down(x1)
        x = self.up(x2)
        diff_y, diff_x = x1.size()[2] - x.size()[2], x1.size()[3] - x.size()[3]
        x = F.pad(x, [diff_x // 2, diff_x - diff_x // 2, diff_y // 2, diff_y - diff_y // 2])
        return self.outc(self.conv(torch.cat([x1, x], dim=1)))


def dice_loss(logits, target, eps=1.0):
    probs = torch.sigmoid(logits)
    inter = (probs * target).sum(dim=(2, 3))
    union = probs.sum(dim=(2, 3)) + target.sum(dim=(2, 3))
    return 1 - ((2 * inter + eps) / (union + eps)).mean()


net = UNet()
opt = torch.optim.RMSprop(net.parameters(), lr=1e-3, weight_decay=1e-8, momentum=0.9)
bce = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([2.0]))
for step in range(10):
    logits = net(images)
    loss = bce(logits, masks) + dice_loss(logits, masks)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    if step % 3 == 0:
        print(f"step {step} loss {loss.item():.4f}")
net.eval()
with torch.no_grad():
    pred = (torch.sigmoid(net(images)) > 0.5).float()
inter = (pred * masks).sum()
union = ((pred + masks) > 0).float().sum()
print(f"IoU {(inter / union).item():.4f}", pred.shape, pred.dtype)
