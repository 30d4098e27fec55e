"""A Gaussian VAE with torch.distributions: rsample, log_prob, kl_divergence."""
import torch
import torch.distributions as D
from torch import nn
from torch.distributions import Bernoulli, Normal, Uniform, kl_divergence

torch.manual_seed(0)
x = (torch.rand(64, 20) > 0.5).float()


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(20, 32), nn.Tanh(), nn.Linear(32, 8))
        self.dec = nn.Sequential(nn.Linear(4, 32), nn.Tanh(), nn.Linear(32, 20))

    def forward(self, x):
        mu, log_sigma = self.enc(x).chunk(2, dim=-1)
        q = Normal(mu, log_sigma.exp())
        z = q.rsample()
        p = Normal(torch.zeros_like(mu), torch.ones_like(mu))
        logits = self.dec(z)
        rec = Bernoulli(logits=logits).log_prob(x).sum(-1)
        kl = kl_divergence(q, p).sum(-1)
        return -(rec - kl).mean()


model = VAE()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
for step in range(30):
    loss = model(x)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 5 == 0:
        print(f"step {step} elbo {-loss.item():.4f}")
n = D.Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0]))
print(n.mean, n.stddev, n.variance, n.entropy())
print(n.cdf(torch.tensor([0.5, 0.5])), n.icdf(torch.tensor([0.3, 0.9])))
u = Uniform(torch.tensor([0.0]), torch.tensor([2.0]))
print(u.sample((3,)), u.log_prob(torch.tensor([1.0])))
print(D.Independent(n, 1).log_prob(torch.tensor([0.1, 0.2])))
