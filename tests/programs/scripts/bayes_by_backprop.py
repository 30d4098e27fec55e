"""Bayes by backprop: a Bayesian linear layer with reparameterised weight samples
(mu + softplus(rho) * eps from randn_like), a Normal prior and its closed-form KL through
torch.distributions.kl_divergence, the ELBO over several samples, and predictive uncertainty
from Monte-Carlo forward passes."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Normal, kl_divergence

torch.manual_seed(61)
x = torch.linspace(-2, 2, 40).unsqueeze(1)
y = x.pow(3) * 0.5 + 0.2 * torch.randn_like(x)


class BayesLinear(nn.Module):
    def __init__(self, fin, fout):
        super().__init__()
        self.w_mu = nn.Parameter(torch.empty(fout, fin).normal_(0, 0.1))
        self.w_rho = nn.Parameter(torch.full((fout, fin), -3.0))
        self.b_mu = nn.Parameter(torch.zeros(fout))
        self.b_rho = nn.Parameter(torch.full((fout,), -3.0))
        self.prior = Normal(0.0, 1.0)

    def forward(self, x):
        w_sigma, b_sigma = F.softplus(self.w_rho), F.softplus(self.b_rho)
        w = self.w_mu + w_sigma * torch.randn_like(w_sigma)
        b = self.b_mu + b_sigma * torch.randn_like(b_sigma)
        self.kl = kl_divergence(Normal(self.w_mu, w_sigma), self.prior).sum() \
            + kl_divergence(Normal(self.b_mu, b_sigma), self.prior).sum()
        return F.linear(x, w, b)


model = nn.Sequential(BayesLinear(1, 24), nn.ReLU(), BayesLinear(24, 1))
opt = torch.optim.Adam(model.parameters(), lr=0.03)
for step in range(30):
    nll, kl = 0.0, 0.0
    for _ in range(2):
        pred = model(x)
        nll = nll + F.gaussian_nll_loss(pred, y, torch.full_like(y, 0.04), reduction="sum")
        kl = kl + sum(m.kl for m in model if isinstance(m, BayesLinear))
    loss = (nll + kl / 10) / 2
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 10 == 0 or step == 29:
        print(f"step {step} elbo {loss.item():.3f} kl {kl.item() / 2:.3f}")
with torch.no_grad():
    preds = torch.stack([model(torch.tensor([[0.0], [3.0]])) for _ in range(20)])
print("mean", [round(v, 3) for v in preds.mean(0).squeeze(1).tolist()],
      "std", [round(v, 3) for v in preds.std(0).squeeze(1).tolist()])
