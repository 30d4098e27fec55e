"""A spatial-transformer front end (the PyTorch tutorial's localization network, affine_grid
and grid_sample, starting at the identity transform) before a small CRNN that reads strings of
glyphs: convolutions, a column-wise GRU and a CTC loss (blank 0, zero_infinity), trained with
SGD with momentum (as the tutorial; Adam would turn the near-zero first gradients of the
zero-initialized localization layer into full steps); a greedy CTC decode prints what it reads."""

import torch
import torch.nn as nn
import torch.nn.functional as F

GLYPHS = 4  # classes 1..4; 0 is the CTC blank


def synthetic_strings(n, width=32):
    """``n`` 1 x 12 x width images of 2 or 3 glyphs (vertical stripe patterns), with padded
    targets and their lengths."""
    images = torch.randn(n, 1, 12, width) * 0.1
    targets = torch.zeros(n, 3, dtype=torch.long)
    lengths = torch.randint(2, 4, (n,))
    for i in range(n):
        for j in range(int(lengths[i])):
            glyph = int(torch.randint(1, GLYPHS + 1, (1,)))
            targets[i, j] = glyph
            left = 2 + 10 * j
            for k in range(glyph):
                images[i, 0, 2:10, left + 2 * k] += 1.0
    return images, targets, lengths


class Reader(nn.Module):
    def __init__(self):
        super().__init__()
        self.localization = nn.Sequential(
            nn.Conv2d(1, 4, kernel_size=3), nn.MaxPool2d(2), nn.ReLU(), nn.Flatten(),
            nn.Linear(4 * 5 * 15, 6))
        # Start at the identity transform, as the tutorial does.
        self.localization[-1].weight.data.zero_()
        self.localization[-1].bias.data.copy_(torch.tensor([1, 0, 0, 0, 1, 0],
                                                           dtype=torch.float))
        self.conv = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d((1, 8)))
        self.rnn = nn.GRU(16, 16)
        self.classify = nn.Linear(16, GLYPHS + 1)

    def stn(self, x):
        theta = self.localization(x).view(-1, 2, 3)
        grid = F.affine_grid(theta, x.size(), align_corners=False)
        return F.grid_sample(x, grid, align_corners=False)

    def forward(self, x):
        features = self.conv(self.stn(x)).squeeze(2)  # (N, 16, 8)
        steps = features.permute(2, 0, 1)  # (T=8, N, 16)
        out, _ = self.rnn(steps)
        return F.log_softmax(self.classify(out), dim=2)  # (T, N, classes)


def greedy_decode(log_probs):
    best = log_probs.argmax(2).t().tolist()  # (N, T)
    words = []
    for row in best:
        word, prev = [], 0
        for k in row:
            if k != prev and k != 0:
                word.append(k)
            prev = k
        words.append(word)
    return words


def main():
    torch.manual_seed(3)
    images, targets, lengths = synthetic_strings(16)
    model = Reader()
    ctc = nn.CTCLoss(blank=0, zero_infinity=True)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    input_lengths = torch.full((8,), 8, dtype=torch.long)
    for step in range(8):
        batch = slice(8 * (step % 2), 8 * (step % 2) + 8)
        optimizer.zero_grad()
        log_probs = model(images[batch])
        loss = ctc(log_probs, targets[batch], input_lengths, lengths[batch])
        loss.backward()
        optimizer.step()
        print(f"step {step} ctc loss {loss.item():.5f}")
    model.eval()
    with torch.no_grad():
        log_probs = model(images[:4])
        theta = model.localization(images[:4]).view(-1, 2, 3)
    print("theta[0]:", theta[0])
    print("per-string loss:", F.ctc_loss(log_probs, targets[:4], input_lengths[:4],
                                         lengths[:4], reduction="none"))
    print("read:", greedy_decode(log_probs))
    print("true:", [targets[i, :int(lengths[i])].tolist() for i in range(4)])


if __name__ == "__main__":
    main()
