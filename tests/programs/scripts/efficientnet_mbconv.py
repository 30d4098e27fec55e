"""EfficientNet-style MBConv blocks as timm/torchvision write them: SiLU expansion convs,
depthwise convolutions with "same" padding, squeeze-and-excitation (adaptive_avg_pool2d, two
1x1 convs, sigmoid gate), stochastic depth with torchvision-style row mode (bernoulli_ on an
empty tensor then div_), BatchNorm with momentum=0.01 and eps=1e-3, RMSprop with eps and
momentum, an ExponentialLR schedule, and parameter counts per block."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(4)


def stochastic_depth(input, p, mode, training=True):
    if not training or p == 0.0:
        return input
    survival_rate = 1.0 - p
    size = [input.shape[0]] + [1] * (input.ndim - 1) if mode == "row" else [1] * input.ndim
    noise = torch.empty(size, dtype=input.dtype, device=input.device)
    noise = noise.bernoulli_(survival_rate)
    if survival_rate > 0.0:
        noise.div_(survival_rate)
    return input * noise


class SqueezeExcitation(nn.Module):
    def __init__(self, input_channels, squeeze_channels):
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(input_channels, squeeze_channels, 1)
        self.fc2 = nn.Conv2d(squeeze_channels, input_channels, 1)
        self.activation = nn.SiLU()
        self.scale_activation = nn.Sigmoid()

    def forward(self, x):
        scale = self.fc2(self.activation(self.fc1(self.avgpool(x))))
        return self.scale_activation(scale) * x


def conv_bn_act(cin, cout, k, stride=1, groups=1, act=True):
    layers = [nn.Conv2d(cin, cout, k, stride, padding=(k - 1) // 2, groups=groups, bias=False),
              nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01)]
    if act:
        layers.append(nn.SiLU(inplace=True))
    return nn.Sequential(*layers)


class MBConv(nn.Module):
    def __init__(self, cin, cout, expand, k, stride, sd_prob):
        super().__init__()
        self.use_res = stride == 1 and cin == cout
        hidden = cin * expand
        layers = []
        if expand != 1:
            layers.append(conv_bn_act(cin, hidden, 1))
        layers.append(conv_bn_act(hidden, hidden, k, stride, groups=hidden))
        layers.append(SqueezeExcitation(hidden, max(1, cin // 4)))
        layers.append(conv_bn_act(hidden, cout, 1, act=False))
        self.block = nn.Sequential(*layers)
        self.sd_prob = sd_prob

    def forward(self, x):
        result = self.block(x)
        if self.use_res:
            result = stochastic_depth(result, self.sd_prob, "row", self.training)
            result += x
        return result


class TinyEfficientNet(nn.Module):
    def __init__(self, classes=3, width=1.0, depth=1.0):
        super().__init__()
        cfg = [(1, 8, 8, 3, 1, 1), (4, 8, 12, 3, 2, 2), (4, 12, 16, 5, 2, 1)]
        total = sum(math.ceil(n * depth) for *_, n in cfg)
        self.stem = conv_bn_act(3, 8, 3, 2)
        blocks, idx = [], 0
        for expand, cin, cout, k, stride, n in cfg:
            for i in range(math.ceil(n * depth)):
                blocks.append(MBConv(cin if i == 0 else cout, cout, expand, k,
                                     stride if i == 0 else 1, 0.2 * idx / total))
                idx += 1
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Sequential(conv_bn_act(16, 32, 1), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                                  nn.Dropout(0.2, inplace=True), nn.Linear(32, classes))
        for m in self.modules():
            if isinstance(m, nn.Linear):
                init_range = 1.0 / math.sqrt(m.out_features)
                nn.init.uniform_(m.weight, -init_range, init_range)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        return self.head(self.blocks(self.stem(x)))


model = TinyEfficientNet()
for i, b in enumerate(model.blocks):
    print(i, b.use_res, round(b.sd_prob, 4), sum(p.numel() for p in b.parameters()))
print(model.blocks[2].block[2])
x = torch.randn(6, 3, 24, 24)
y = torch.randint(0, 3, (6,))
opt = torch.optim.RMSprop(model.parameters(), lr=0.01, alpha=0.9, eps=1e-3, momentum=0.9,
                          weight_decay=1e-5)
sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.97)


def closure():
    opt.zero_grad()
    objective = F.cross_entropy(model(x), y, label_smoothing=0.1)
    objective.backward()
    return objective


model.train()
for step in range(4):
    loss = opt.step(closure)
    sched.step()
    print(f"step {step} loss {loss.item():.5f} lr {sched.get_last_lr()[0]:.6f}")
with torch.inference_mode():
    print(model.eval()(x), model.stem[1].running_var[:4])
