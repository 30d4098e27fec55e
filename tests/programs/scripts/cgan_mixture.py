"""A conditional GAN on a 2-d Gaussian mixture as GAN tutorials write it: the label embedded
and concatenated to noise and to samples, BCELoss on sigmoid outputs with one-sided label
smoothing, instance noise that anneals, separate Adam optimizers with betas=(0.5, 0.999),
detach for the discriminator step, and per-class sample statistics."""
import torch
import torch.nn as nn

torch.manual_seed(0)
n_classes, zdim = 4, 4
angles = torch.arange(n_classes) * (2 * torch.pi / n_classes)
means = torch.stack([torch.cos(angles), torch.sin(angles)], 1) * 2


def real_batch(n):
    c = torch.randint(0, n_classes, (n,))
    return means[c] + 0.1 * torch.randn(n, 2), c


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.label_emb = nn.Embedding(n_classes, n_classes)
        self.model = nn.Sequential(nn.Linear(zdim + n_classes, 32), nn.LeakyReLU(0.2, inplace=True),
                                   nn.Linear(32, 32), nn.BatchNorm1d(32, 0.8),
                                   nn.LeakyReLU(0.2, inplace=True), nn.Linear(32, 2))

    def forward(self, noise, labels):
        return self.model(torch.cat((self.label_emb(labels), noise), -1))


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.label_embedding = nn.Embedding(n_classes, n_classes)
        self.model = nn.Sequential(nn.Linear(2 + n_classes, 32), nn.LeakyReLU(0.2, inplace=True),
                                   nn.Linear(32, 1), nn.Sigmoid())

    def forward(self, x, labels):
        return self.model(torch.cat((x, self.label_embedding(labels)), -1))


def weights_init_normal(m):
    classname = m.__class__.__name__
    if classname.find("Linear") != -1:
        torch.nn.init.normal_(m.weight.data, 0.0, 0.1)
    elif classname.find("BatchNorm") != -1:
        torch.nn.init.normal_(m.weight.data, 1.0, 0.02)
        torch.nn.init.constant_(m.bias.data, 0.0)


generator, discriminator = Generator(), Discriminator()
generator.apply(weights_init_normal)
discriminator.apply(weights_init_normal)
adversarial_loss = torch.nn.BCELoss()
optimizer_G = torch.optim.Adam(generator.parameters(), lr=2e-3, betas=(0.5, 0.999))
optimizer_D = torch.optim.Adam(discriminator.parameters(), lr=2e-3, betas=(0.5, 0.999))
batch = 64
for it in range(60):
    real, labels = real_batch(batch)
    valid = torch.full((batch, 1), 0.9, requires_grad=False)
    fake = torch.zeros(batch, 1)
    sigma = 0.2 * (1 - it / 60)
    optimizer_G.zero_grad()
    z = torch.randn(batch, zdim)
    gen_labels = torch.randint(0, n_classes, (batch,))
    gen = generator(z, gen_labels)
    g_loss = adversarial_loss(discriminator(gen + sigma * torch.randn_like(gen), gen_labels), valid)
    g_loss.backward()
    optimizer_G.step()
    optimizer_D.zero_grad()
    noisy_real = real + sigma * torch.randn_like(real)
    d_loss = (adversarial_loss(discriminator(noisy_real, labels), valid)
              + adversarial_loss(discriminator(gen.detach(), gen_labels), fake)) / 2
    d_loss.backward()
    optimizer_D.step()
    if it % 15 == 0:
        print(f"[{it}/60] [D loss: {d_loss.item():.4f}] [G loss: {g_loss.item():.4f}] "
              f"sigma {sigma:.3f}")

generator.eval()
with torch.no_grad():
    labels = torch.arange(n_classes).repeat_interleave(50)
    samples = generator(torch.randn(200, zdim), labels)
    centers = torch.stack([samples[labels == c].mean(0) for c in range(n_classes)])
    print(centers)
    print("dist to target", (centers - means).norm(dim=1))
    d_real = discriminator(*real_batch(8)).squeeze(1)
    print(d_real.shape, d_real.min() > 0, d_real.max() < 1)
print(generator.model[3], generator.model[3].momentum, generator.model[3].eps)
