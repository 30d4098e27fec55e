"""StyleGAN2 building blocks as the popular rosinality-style PyTorch port writes them: a
mapping network with equalized-learning-rate linear layers (weights scaled at run time by
1/sqrt(fan_in), lr_mul), PixelNorm, modulated convolution with weight demodulation done as one
grouped conv2d (the batch folded into groups), noise injection with a learned per-channel
weight, fused leaky ReLU scaled by sqrt(2), the minibatch standard deviation layer, and the
non-saturating logistic loss with an R1 penalty from autograd.grad; Adam with betas=(0.0, 0.99)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(10)


class PixelNorm(nn.Module):
    def forward(self, x):
        return x * torch.rsqrt(torch.mean(x ** 2, dim=1, keepdim=True) + 1e-8)


class EqualLinear(nn.Module):
    def __init__(self, in_dim, out_dim, bias_init=0.0, lr_mul=1.0, activation=False):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_dim, in_dim).div_(lr_mul))
        self.bias = nn.Parameter(torch.zeros(out_dim).fill_(bias_init))
        self.scale = (1 / math.sqrt(in_dim)) * lr_mul
        self.lr_mul, self.activation = lr_mul, activation

    def forward(self, x):
        out = F.linear(x, self.weight * self.scale, bias=self.bias * self.lr_mul)
        if self.activation:
            out = F.leaky_relu(out, 0.2) * math.sqrt(2)
        return out

    def __repr__(self):
        return f"{self.__class__.__name__}({self.weight.shape[1]}, {self.weight.shape[0]})"


class ModulatedConv2d(nn.Module):
    def __init__(self, in_ch, out_ch, kernel, style_dim, demodulate=True):
        super().__init__()
        self.eps, self.kernel, self.in_ch, self.out_ch = 1e-8, kernel, in_ch, out_ch
        self.scale = 1 / math.sqrt(in_ch * kernel ** 2)
        self.padding = kernel // 2
        self.weight = nn.Parameter(torch.randn(1, out_ch, in_ch, kernel, kernel))
        self.modulation = EqualLinear(style_dim, in_ch, bias_init=1)
        self.demodulate = demodulate

    def forward(self, input, style):
        batch, in_ch, height, width = input.shape
        style = self.modulation(style).view(batch, 1, in_ch, 1, 1)
        weight = self.scale * self.weight * style
        if self.demodulate:
            demod = torch.rsqrt(weight.pow(2).sum([2, 3, 4]) + 1e-8)
            weight = weight * demod.view(batch, self.out_ch, 1, 1, 1)
        weight = weight.view(batch * self.out_ch, in_ch, self.kernel, self.kernel)
        input = input.view(1, batch * in_ch, height, width)
        out = F.conv2d(input, weight, padding=self.padding, groups=batch)
        _, _, height, width = out.shape
        return out.view(batch, self.out_ch, height, width)


class NoiseInjection(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(1))

    def forward(self, image, noise=None):
        if noise is None:
            batch, _, height, width = image.shape
            noise = image.new_empty(batch, 1, height, width).normal_()
        return image + self.weight * noise


class Generator(nn.Module):
    def __init__(self, style_dim=8, ch=6):
        super().__init__()
        self.style = nn.Sequential(PixelNorm(), *[EqualLinear(style_dim, style_dim, lr_mul=0.01,
                                                              activation=True) for _ in range(2)])
        self.input = nn.Parameter(torch.randn(1, ch, 4, 4))
        self.conv1 = ModulatedConv2d(ch, ch, 3, style_dim)
        self.noise1 = NoiseInjection()
        self.conv2 = ModulatedConv2d(ch, ch, 3, style_dim)
        self.to_rgb = ModulatedConv2d(ch, 3, 1, style_dim, demodulate=False)
        self.act_bias = nn.Parameter(torch.zeros(1, ch, 1, 1))

    def forward(self, z):
        w = self.style(z)
        x = self.input.repeat(z.shape[0], 1, 1, 1)
        x = F.leaky_relu(self.noise1(self.conv1(x, w)) + self.act_bias, 0.2) * math.sqrt(2)
        x = F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)
        x = F.leaky_relu(self.conv2(x, w), 0.2) * math.sqrt(2)
        return self.to_rgb(x, w)


class Discriminator(nn.Module):
    def __init__(self, ch=8, group=2):
        super().__init__()
        self.group = group
        self.conv = nn.Sequential(nn.Conv2d(3, ch, 3, padding=1), nn.LeakyReLU(0.2),
                                  nn.Conv2d(ch, ch, 3, stride=2, padding=1), nn.LeakyReLU(0.2))
        self.final = nn.Sequential(nn.Flatten(), nn.Linear((ch + 1) * 16, 1))

    def forward(self, x):
        out = self.conv(x)
        batch, channel, height, width = out.shape
        group = min(batch, self.group)
        stddev = out.view(group, -1, 1, channel, height, width)
        stddev = torch.sqrt(stddev.var(0, unbiased=False) + 1e-8)
        stddev = stddev.mean([2, 3, 4], keepdims=True).squeeze(2)
        stddev = stddev.repeat(group, 1, height, width)
        out = torch.cat([out, stddev], 1)
        return self.final(out)


G, D = Generator(), Discriminator()
print(G.style)
g_opt = torch.optim.Adam(G.parameters(), lr=2e-3, betas=(0.0, 0.99))
d_opt = torch.optim.Adam(D.parameters(), lr=2e-3, betas=(0.0, 0.99))
real = torch.tanh(torch.randn(4, 3, 8, 8))
for step in range(3):
    z = torch.randn(4, 8)
    fake = G(z)
    d_loss = F.softplus(D(fake.detach())).mean() + F.softplus(-D(real)).mean()
    d_opt.zero_grad()
    d_loss.backward()
    d_opt.step()
    real_img = real.detach().requires_grad_(True)
    real_pred = D(real_img)
    (grad_real,) = torch.autograd.grad(outputs=real_pred.sum(), inputs=real_img, create_graph=True)
    r1 = grad_real.pow(2).reshape(grad_real.shape[0], -1).sum(1).mean()
    d_opt.zero_grad()
    (10 / 2 * r1 * 16 + 0 * real_pred[0]).sum().backward()
    d_opt.step()
    g_loss = F.softplus(-D(G(torch.randn(4, 8)))).mean()
    g_opt.zero_grad()
    g_loss.backward()
    g_opt.step()
    print(f"step {step} d {d_loss.item():.5f} r1 {r1.item():.5f} g {g_loss.item():.5f} "
          f"noise-w {G.noise1.weight.item():.6f}")
with torch.no_grad():
    img = G(torch.randn(2, 8))
print(img.shape, img.mean().item(), img.std().item())
