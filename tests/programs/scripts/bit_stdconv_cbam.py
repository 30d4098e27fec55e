"""Big Transfer (BiT) ResNetV2 pieces as timm and the BiT repository write them: a weight
standardized Conv2d (torch.var_mean over the fan-in, F.conv2d with the standardized weight),
GroupNorm(32-style groups) pre-activation bottlenecks with a projection shortcut, plus a CBAM
attention module (channel attention from shared-MLP avg- and max-pooled descriptors, spatial
attention from the channel mean and max cat-ed into a 7x7 conv); SGD with a step warmup,
BiT-HyperRule-style MultiStepLR, and a zero-initialized last GroupNorm weight per block."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(14)


class StdConv2d(nn.Conv2d):
    def forward(self, x):
        w = self.weight
        v, m = torch.var_mean(w, dim=[1, 2, 3], keepdim=True, unbiased=False)
        w = (w - m) / torch.sqrt(v + 1e-10)
        return F.conv2d(x, w, self.bias, self.stride, self.padding, self.dilation, self.groups)


class ChannelAttention(nn.Module):
    def __init__(self, ch, reduction=4):
        super().__init__()
        self.mlp = nn.Sequential(nn.Flatten(), nn.Linear(ch, ch // reduction), nn.ReLU(),
                                 nn.Linear(ch // reduction, ch))

    def forward(self, x):
        avg = self.mlp(F.avg_pool2d(x, (x.size(2), x.size(3)), stride=(x.size(2), x.size(3))))
        mx = self.mlp(F.max_pool2d(x, (x.size(2), x.size(3)), stride=(x.size(2), x.size(3))))
        scale = torch.sigmoid(avg + mx).unsqueeze(2).unsqueeze(3).expand_as(x)
        return x * scale


class SpatialAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 1, 7, padding=3, bias=False)
        self.bn = nn.BatchNorm2d(1, eps=1e-5, momentum=0.01)

    def forward(self, x):
        pooled = torch.cat((torch.max(x, 1)[0].unsqueeze(1), torch.mean(x, 1).unsqueeze(1)), dim=1)
        return x * torch.sigmoid(self.bn(self.conv(pooled)))


class PreActBottleneck(nn.Module):
    def __init__(self, cin, cout, cmid, stride=1, groups=4):
        super().__init__()
        self.gn1 = nn.GroupNorm(groups, cin)
        self.conv1 = StdConv2d(cin, cmid, 1, bias=False)
        self.gn2 = nn.GroupNorm(groups, cmid)
        self.conv2 = StdConv2d(cmid, cmid, 3, stride=stride, padding=1, bias=False)
        self.gn3 = nn.GroupNorm(groups, cmid)
        self.conv3 = StdConv2d(cmid, cout, 1, bias=False)
        self.cbam = nn.Sequential(ChannelAttention(cout), SpatialAttention())
        if stride != 1 or cin != cout:
            self.downsample = StdConv2d(cin, cout, 1, stride=stride, bias=False)

    def forward(self, x):
        out = F.relu(self.gn1(x))
        residual = x
        if hasattr(self, "downsample"):
            residual = self.downsample(out)
        out = self.conv1(out)
        out = self.conv2(F.relu(self.gn2(out)))
        out = self.conv3(F.relu(self.gn3(out)))
        return self.cbam(out) + residual


class BiT(nn.Module):
    def __init__(self, classes=3):
        super().__init__()
        self.root = nn.Sequential(StdConv2d(3, 16, 3, stride=1, padding=1, bias=False),
                                  nn.ConstantPad2d(1, 0), nn.MaxPool2d(3, stride=2))
        self.body = nn.Sequential(PreActBottleneck(16, 32, 8, stride=1),
                                  PreActBottleneck(32, 32, 8, stride=2))
        self.head = nn.Sequential(nn.GroupNorm(4, 32), nn.ReLU(inplace=True),
                                  nn.AdaptiveAvgPool2d(1), nn.Conv2d(32, classes, 1))
        nn.init.zeros_(self.head[-1].weight)
        nn.init.zeros_(self.head[-1].bias)

    def forward(self, x):
        return self.head(self.body(self.root(x)))[..., 0, 0]


model = BiT()
print(model.body[0].downsample, model.root)
x = torch.randn(4, 3, 16, 16)
y = torch.tensor([0, 2, 1, 2])
opt = torch.optim.SGD(model.parameters(), lr=0.003, momentum=0.9)
sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[3, 5], gamma=0.1)
warmup = 2
for step in range(6):
    if step < warmup:
        for g in opt.param_groups:
            g["lr"] = 0.003 * (step + 1) / warmup
    loss = F.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    w = model.body[0].conv2.weight
    print(f"step {step} loss {loss.item():.5f} lr {opt.param_groups[0]['lr']:.6f} "
          f"w-grad {w.grad.norm().item():.6f}")
model.eval()
with torch.no_grad():
    print(model(x))
    v, m = torch.var_mean(model.body[1].conv1.weight, dim=[1, 2, 3])
print(v[:3], m[:3])
