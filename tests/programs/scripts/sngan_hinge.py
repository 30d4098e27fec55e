"""An SN-GAN on 2-D data: spectral_norm on every discriminator layer (parametrizations and the
classic hook version), the hinge loss for the discriminator and generator, two discriminator
steps per generator step, Adam with betas=(0.0, 0.9), and the singular values the power
iteration reports."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import spectral_norm
from torch.nn.utils.parametrizations import spectral_norm as sn_param

torch.manual_seed(173)
real = torch.randn(128, 2) * 0.3 + torch.tensor([1.0, -1.0])
G = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, 2))
D = nn.Sequential(sn_param(nn.Linear(2, 32)), nn.LeakyReLU(0.1), sn_param(nn.Linear(32, 32)),
                  nn.LeakyReLU(0.1), spectral_norm(nn.Linear(32, 1)))
opt_g = torch.optim.Adam(G.parameters(), lr=2e-3, betas=(0.0, 0.9))
opt_d = torch.optim.Adam(D.parameters(), lr=2e-3, betas=(0.0, 0.9))
for it in range(12):
    for _ in range(2):
        idx = torch.randint(0, 128, (32,))
        fake = G(torch.randn(32, 4)).detach()
        d_loss = F.relu(1.0 - D(real[idx])).mean() + F.relu(1.0 + D(fake)).mean()
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
    g_loss = -D(G(torch.randn(32, 4))).mean()
    opt_g.zero_grad()
    g_loss.backward()
    opt_g.step()
    if it % 4 == 3:
        print(f"it {it} d {d_loss.item():.4f} g {g_loss.item():.4f}")
G.eval()
D.eval()
with torch.no_grad():
    w = D[0].weight
    sigma = torch.linalg.matrix_norm(w, ord=2)
    w_last = D[4].weight
print(f"sigma {sigma.item():.4f} last {torch.linalg.svdvals(w_last)[0].item():.4f}",
      sorted(n for n, _ in D[4].named_parameters()), sorted(n for n, _ in D[0].named_buffers()))
print("fake mean", [round(v, 3) for v in G(torch.randn(256, 4)).mean(0).tolist()])
