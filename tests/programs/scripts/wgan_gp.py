"""WGAN-GP on a 2-D mixture of Gaussians: critic and generator MLPs, the gradient penalty
computed by torch.autograd.grad with create_graph and grad_outputs, five critic steps per generator
step, Adam with betas (0.5, 0.9), and the Wasserstein estimate printed as training goes."""

import torch
import torch.nn as nn

torch.manual_seed(0)
centers = torch.tensor([[2.0, 0.0], [-2.0, 0.0], [0.0, 2.0], [0.0, -2.0]])


def sample_real(n):
    return centers[torch.randint(0, 4, (n,))] + 0.1 * torch.randn(n, 2)


G = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 2))
D = nn.Sequential(nn.Linear(2, 32), nn.LeakyReLU(0.2), nn.Linear(32, 32), nn.LeakyReLU(0.2),
                  nn.Linear(32, 1))
opt_g = torch.optim.Adam(G.parameters(), lr=1e-3, betas=(0.5, 0.9))
opt_d = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.5, 0.9))


def gradient_penalty(critic, real, fake):
    alpha = torch.rand(real.size(0), 1).expand_as(real)
    inter = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    out = critic(inter)
    grads = torch.autograd.grad(outputs=out, inputs=inter, grad_outputs=torch.ones_like(out),
                                create_graph=True, retain_graph=True, only_inputs=True)[0]
    return ((grads.norm(2, dim=1) - 1) ** 2).mean()


for it in range(40):
    for _ in range(5):
        real = sample_real(64)
        fake = G(torch.randn(64, 4)).detach()
        d_loss = D(fake).mean() - D(real).mean()
        gp = gradient_penalty(D, real, fake)
        opt_d.zero_grad()
        (d_loss + 10.0 * gp).backward()
        opt_d.step()
    for p in D.parameters():
        p.requires_grad = False
    g_loss = -D(G(torch.randn(64, 4))).mean()
    opt_g.zero_grad()
    g_loss.backward()
    opt_g.step()
    for p in D.parameters():
        p.requires_grad = True
    if it % 10 == 0:
        print(f"iter {it} W {-d_loss.item():.4f} gp {gp.item():.4f} g {g_loss.item():.4f}")

with torch.no_grad():
    samples = G(torch.randn(200, 4))
    nearest = torch.cdist(samples, centers).argmin(1)
    print("mode counts", torch.bincount(nearest, minlength=4).tolist())
    print("mean", samples.mean(0), "std", samples.std(0))
