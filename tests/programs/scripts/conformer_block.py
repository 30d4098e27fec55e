"""A Conformer encoder block as speech repositories write it, on synthetic filterbank features:
SpecAugment-style time and frequency masks drawn with torch.randint and applied through
arange comparisons, a Conv2d subsampling front end, macaron half-step feed-forward modules
with Swish, multi-head self-attention with a key padding mask from lengths, the convolution
module (pointwise conv, GLU over channels, depthwise Conv1d, BatchNorm1d, SiLU), and a CTC
loss over the subsampled lengths; Adam with a Noam-style LambdaLR."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(12)
B, T, FEAT, D, V = 3, 32, 16, 24, 6


def spec_augment(x, lengths, F_max=4, T_max=5):
    b, t, f = x.shape
    f0 = torch.randint(0, f - F_max, (b, 1))
    fw = torch.randint(1, F_max + 1, (b, 1))
    t0 = torch.randint(0, t - T_max, (b, 1))
    tw = torch.randint(1, T_max + 1, (b, 1))
    freq = torch.arange(f)[None, :]
    time = torch.arange(t)[None, :]
    fmask = (freq >= f0) & (freq < f0 + fw)
    tmask = (time >= t0) & (time < t0 + tw) & (time < lengths[:, None])
    return x.masked_fill(fmask[:, None, :], 0.0).masked_fill(tmask[:, :, None], 0.0)


class Subsample(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(1, 4, 3, 2), nn.ReLU(), nn.Conv2d(4, 4, 3, 2),
                                  nn.ReLU())
        self.out = nn.Linear(4 * (((FEAT - 1) // 2 - 1) // 2), D)

    def forward(self, x, lengths):
        x = self.conv(x.unsqueeze(1))
        b, c, t, f = x.size()
        x = self.out(x.transpose(1, 2).contiguous().view(b, t, c * f))
        return x, ((lengths - 1) // 2 - 1) // 2


class FeedForward(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.LayerNorm(D), nn.Linear(D, 4 * D), nn.SiLU(),
                                 nn.Dropout(0.1),
                                 nn.Linear(4 * D, D), nn.Dropout(0.1))

    def forward(self, x):
        return self.net(x)


class ConvModule(nn.Module):
    def __init__(self, kernel_size=7):
        super().__init__()
        self.norm = nn.LayerNorm(D)
        self.pointwise1 = nn.Conv1d(D, 2 * D, 1)
        self.depthwise = nn.Conv1d(D, D, kernel_size, padding=(kernel_size - 1) // 2, groups=D,
                                   bias=False)  # BatchNorm follows
        self.bn = nn.BatchNorm1d(D)
        self.pointwise2 = nn.Conv1d(D, D, 1)

    def forward(self, x, pad_mask):
        x = self.norm(x).masked_fill(pad_mask.unsqueeze(-1), 0.0).transpose(1, 2)
        x = F.glu(self.pointwise1(x), dim=1)
        x = F.silu(self.bn(self.depthwise(x)))
        return self.pointwise2(x).transpose(1, 2)


class ConformerBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.ff1, self.ff2 = FeedForward(), FeedForward()
        self.attn_norm = nn.LayerNorm(D)
        self.attn = nn.MultiheadAttention(D, 4, dropout=0.1, batch_first=True)
        self.conv = ConvModule()
        self.final_norm = nn.LayerNorm(D)

    def forward(self, x, pad_mask):
        x = x + 0.5 * self.ff1(x)
        h = self.attn_norm(x)
        x = x + self.attn(h, h, h, key_padding_mask=pad_mask, need_weights=False)[0]
        x = x + self.conv(x, pad_mask)
        x = x + 0.5 * self.ff2(x)
        return self.final_norm(x)


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.sub = Subsample()
        self.blocks = nn.ModuleList([ConformerBlock(), ConformerBlock()])
        self.ctc = nn.Linear(D, V)

    def forward(self, feats, lengths):
        x, out_lens = self.sub(feats, lengths)
        pad_mask = torch.arange(x.size(1))[None, :] >= out_lens[:, None]
        for blk in self.blocks:
            x = blk(x, pad_mask)
        return self.ctc(x).log_softmax(-1), out_lens


feats = torch.randn(B, T, FEAT)
lengths = torch.tensor([32, 27, 20])
targets = torch.randint(1, V, (B, 3))
target_lengths = torch.tensor([3, 2, 2])
model = Model()
print(model.blocks[0].conv)
opt = torch.optim.Adam(model.parameters(), lr=1.0, betas=(0.9, 0.98), eps=1e-9)
warmup = 4
sched = torch.optim.lr_scheduler.LambdaLR(
    opt, lambda s: D ** -0.5 * min((s + 1) ** -0.5, (s + 1) * warmup ** -1.5))
ctc = nn.CTCLoss(blank=0, zero_infinity=True)
for step in range(5):
    model.train()
    x = spec_augment(feats, lengths)
    logp, out_lens = model(x, lengths)
    loss = ctc(logp.transpose(0, 1), targets, out_lens, target_lengths)
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    lr = sched.get_last_lr()[0]
    print(f"step {step} ctc {loss.item():.5f} lr {lr:.6f} lens {out_lens.tolist()}")
model.eval()
with torch.no_grad():
    logp, out_lens = model(feats, lengths)
best = logp.argmax(-1)
for b in range(B):
    path = best[b, : out_lens[b]].tolist()
    collapsed = [p for i, p in enumerate(path) if p != 0 and (i == 0 or p != path[i - 1])]
    print(b, path, collapsed)
print(model.blocks[1].conv.bn.running_mean[:4])
