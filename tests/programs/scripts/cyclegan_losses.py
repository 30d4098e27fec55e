"""CycleGAN's training step on tiny images: ResNet-style generators with ReflectionPad2d and
InstanceNorm2d, PatchGAN discriminators with LeakyReLU, LSGAN (MSE) adversarial losses, cycle
and identity L1 losses, an image pool drawing from Python's random, itertools.chain over two
generators' parameters, and LambdaLR linear decay."""
import itertools
import random

import torch
import torch.nn as nn

torch.manual_seed(113)
random.seed(113)


class ResBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.block = nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(c, c, 3), nn.InstanceNorm2d(c),
                                   nn.ReLU(True), nn.ReflectionPad2d(1), nn.Conv2d(c, c, 3),
                                   nn.InstanceNorm2d(c))

    def forward(self, x):
        return x + self.block(x)


def generator():
    return nn.Sequential(nn.ReflectionPad2d(3), nn.Conv2d(3, 8, 7), nn.InstanceNorm2d(8),
                         nn.ReLU(True), nn.Conv2d(8, 16, 3, stride=2, padding=1),
                         nn.InstanceNorm2d(16), nn.ReLU(True),
                         ResBlock(16),
                         nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1),
                         nn.InstanceNorm2d(8), nn.ReLU(True), nn.ReflectionPad2d(3),
                         nn.Conv2d(8, 3, 7), nn.Tanh())


def discriminator():
    return nn.Sequential(nn.Conv2d(3, 8, 4, stride=2, padding=1), nn.LeakyReLU(0.2, True),
                         nn.Conv2d(8, 16, 4, stride=1, padding=1), nn.InstanceNorm2d(16),
                         nn.LeakyReLU(0.2, True), nn.Conv2d(16, 1, 4, padding=1))


class ImagePool:
    def __init__(self, size):
        self.size, self.images = size, []

    def query(self, images):
        out = []
        for image in images:
            image = torch.unsqueeze(image.data, 0)
            if len(self.images) < self.size:
                self.images.append(image)
                out.append(image)
            elif random.uniform(0, 1) > 0.5:
                idx = random.randint(0, self.size - 1)
                tmp = self.images[idx].clone()
                self.images[idx] = image
                out.append(tmp)
            else:
                out.append(image)
        return torch.cat(out, 0)


G_AB, G_BA, D_A, D_B = generator(), generator(), discriminator(), discriminator()
opt_G = torch.optim.Adam(itertools.chain(G_AB.parameters(), G_BA.parameters()), lr=2e-4,
                         betas=(0.5, 0.999))
opt_D = torch.optim.Adam(itertools.chain(D_A.parameters(), D_B.parameters()), lr=2e-4,
                         betas=(0.5, 0.999))
n_epochs, decay_start = 4, 2
lambda_rule = lambda epoch: 1.0 - max(0, epoch - decay_start) / float(n_epochs - decay_start + 1)  # noqa: E731
sched_G = torch.optim.lr_scheduler.LambdaLR(opt_G, lr_lambda=lambda_rule)
mse, l1 = nn.MSELoss(), nn.L1Loss()
pool_A, pool_B = ImagePool(3), ImagePool(3)
real_A, real_B = torch.rand(2, 3, 8, 8) * 2 - 1, torch.rand(2, 3, 8, 8) * 2 - 1


def set_requires_grad(nets, requires_grad):
    for net in nets:
        for p in net.parameters():
            p.requires_grad = requires_grad


for epoch in range(n_epochs):
    fake_B, fake_A = G_AB(real_A), G_BA(real_B)
    set_requires_grad([D_A, D_B], False)
    pred = D_B(fake_B)
    loss_gan = mse(pred, torch.ones_like(pred)) + mse(D_A(fake_A), torch.ones_like(pred))
    loss_cycle = l1(G_BA(fake_B), real_A) + l1(G_AB(fake_A), real_B)
    loss_idt = l1(G_AB(real_B), real_B) + l1(G_BA(real_A), real_A)
    loss_G = loss_gan + 10.0 * loss_cycle + 5.0 * loss_idt
    opt_G.zero_grad()
    loss_G.backward()
    opt_G.step()
    set_requires_grad([D_A, D_B], True)
    fB, fA = pool_B.query(fake_B), pool_A.query(fake_A)
    ones, zeros = torch.ones_like(pred), torch.zeros_like(pred)
    loss_D = 0.5 * (mse(D_B(real_B), ones) + mse(D_B(fB.detach()), zeros)) \
        + 0.5 * (mse(D_A(real_A), ones) + mse(D_A(fA.detach()), zeros))
    opt_D.zero_grad()
    loss_D.backward()
    opt_D.step()
    sched_G.step()
    print(f"epoch {epoch} G {loss_G.item():.4f} cycle {loss_cycle.item():.4f} "
          f"D {loss_D.item():.4f} lr {opt_G.param_groups[0]['lr']:.6f} patch {tuple(pred.shape)}")
