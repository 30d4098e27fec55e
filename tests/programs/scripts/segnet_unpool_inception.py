"""A SegNet-style encoder-decoder for toy segmentation (bright squares on noise): the encoder's
max pooling remembers where each maximum was (return_indices) and the decoder puts values back
there with MaxUnpool2d. The bottleneck is an Inception-like block whose pooling branch uses
ceil_mode average pooling, a grouped convolution followed by ChannelShuffle (ShuffleNet), and
SELU with AlphaDropout; the classifier head sees an LPPool2d and an adaptive max pool with its
indices. Trained with Adam on pixel-wise cross-entropy; prints losses, pixel accuracy and
the foreground probability inside and outside the squares."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(11)


def make_batch(n, size=16):
    images = torch.randn(n, 1, size, size) * 0.3
    masks = torch.zeros(n, size, size, dtype=torch.long)
    corners = torch.randint(0, size - 6, (n, 2))
    sides = torch.randint(3, 7, (n,))
    for i in range(n):
        r, c, s = corners[i, 0].item(), corners[i, 1].item(), sides[i].item()
        images[i, 0, r:r + s, c:c + s] += 1.5
        masks[i, r:r + s, c:c + s] = 1
    return images, masks


class InceptionBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.branch1 = nn.Conv2d(channels, 8, 1)
        self.branch3 = nn.Conv2d(channels, 8, 3, padding="same", groups=2)
        self.shuffle = nn.ChannelShuffle(2)
        self.pool = nn.AvgPool2d(3, stride=1, padding=1, ceil_mode=True, count_include_pad=False)
        self.pool_proj = nn.Conv2d(channels, 8, 1)
        self.act = nn.SELU()
        self.drop = nn.AlphaDropout(0.1)

    def forward(self, x):
        b1 = self.branch1(x)
        b3 = self.shuffle(self.branch3(x))
        bp = self.pool_proj(self.pool(x))
        return self.drop(self.act(torch.cat([b1, b3, bp], dim=1)))


class SegNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc1 = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1),
                                  nn.InstanceNorm2d(8, affine=True), nn.ReLU())
        self.enc2 = nn.Sequential(nn.Conv2d(8, 16, 3, padding=1),
                                  nn.InstanceNorm2d(16, affine=True), nn.RReLU())
        self.pool = nn.MaxPool2d(2, 2, return_indices=True)
        self.unpool = nn.MaxUnpool2d(2, 2)
        self.middle = InceptionBlock(16)
        self.squeeze = nn.Conv2d(24, 16, 1)
        self.dec2 = nn.Sequential(nn.Conv2d(16, 8, 3, padding=1),
                                  nn.InstanceNorm2d(8, affine=True), nn.ReLU())
        self.dec1 = nn.Conv2d(8, 2, 3, padding=1)
        self.lp = nn.LPPool2d(2, 2)
        self.presence = nn.Linear(16 * 2, 1)

    def forward(self, x):
        size1 = x.size()
        x, idx1 = self.pool(self.enc1(x))
        size2 = x.size()
        x, idx2 = self.pool(self.enc2(x))
        x = self.squeeze(self.middle(x))
        summary, where = F.adaptive_max_pool2d(self.lp(x), 1, return_indices=True)
        presence = self.presence(torch.cat([summary.flatten(1),
                                            F.lp_pool2d(x.abs(), 1.5, 4).flatten(1)],
                                           dim=1))
        x = self.unpool(x, idx2, output_size=size2)
        x = self.dec2(x)
        x = self.unpool(x, idx1, output_size=size1[:1] + (8,) + size1[2:])
        return self.dec1(x), presence.squeeze(1), where


model = SegNet()
optimizer = torch.optim.Adam(model.parameters(), lr=0.03)
images, masks = make_batch(16)
present = torch.ones(16)


def train_step():
    model.train()
    optimizer.zero_grad()
    logits, presence, _ = model(images)
    loss = F.cross_entropy(logits, masks) + F.binary_cross_entropy_with_logits(presence, present)
    loss.backward()
    optimizer.step()
    return loss.item()


losses = [train_step() for _ in range(6)]
print("losses", " ".join(f"{value:.4f}" for value in losses))

model.eval()
with torch.no_grad():
    test_images, test_masks = make_batch(6)
    logits, presence, where = model(test_images)
    pred = logits.argmax(dim=1)
    accuracy = (pred == test_masks).float().mean().item()
    fg = F.softmax(logits, dim=1)[:, 1]
    inside = fg[test_masks == 1].mean().item()
    outside = fg[test_masks == 0].mean().item()
    print(f"pixel accuracy {accuracy:.4f}  p(square) inside {inside:.4f} outside {outside:.4f}")
    print("presence", [round(v, 3) for v in torch.sigmoid(presence).tolist()])
    print("argmax cells", where.flatten()[:6].tolist())
    print("unpool keeps", int((model.unpool(torch.ones(1, 1, 2, 2), torch.tensor(
        [[[[0, 3], [9, 15]]]])) != 0).sum()), "of 16 cells")
