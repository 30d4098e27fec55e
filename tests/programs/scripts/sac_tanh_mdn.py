"""A SAC actor whose policy is torch.distributions' own squashed Gaussian
(TransformedDistribution(Independent(Normal), [TanhTransform(cache_size=1)]): rsample, then
log_prob of that very action through the cached inverse), trained against a fixed critic with
a learned temperature; then a mixture density network (MixtureSameFamily of Normals) fitted to
a two-branch regression by maximum likelihood, sampled and summarised."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import (
    Categorical,
    Independent,
    MixtureSameFamily,
    Normal,
    TanhTransform,
    TransformedDistribution,
)

torch.manual_seed(7)
S, A = 4, 2


class SquashedActor(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(S, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU())
        self.mu, self.log_std = nn.Linear(32, A), nn.Linear(32, A)

    def forward(self, s):
        h = self.body(s)
        log_std = torch.clamp(self.log_std(h), -5, 2)
        base = Independent(Normal(self.mu(h), log_std.exp()), 1)
        return TransformedDistribution(base, [TanhTransform(cache_size=1)])


actor = SquashedActor()
critic = nn.Sequential(nn.Linear(S + A, 32), nn.Tanh(), nn.Linear(32, 1))
for p in critic.parameters():
    p.requires_grad_(False)
log_alpha = torch.zeros(1, requires_grad=True)
pi_opt = torch.optim.Adam(actor.parameters(), lr=1e-2)
a_opt = torch.optim.Adam([log_alpha], lr=1e-2)
states = torch.randn(128, S)
for step in range(15):
    dist = actor(states)
    action = dist.rsample()
    logp = dist.log_prob(action)
    q = critic(torch.cat([states, action], -1)).squeeze(-1)
    pi_loss = (log_alpha.exp().detach() * logp - q).mean()
    pi_opt.zero_grad()
    pi_loss.backward()
    pi_opt.step()
    a_loss = -(log_alpha * (logp.detach() - A)).mean()
    a_opt.zero_grad()
    a_loss.backward()
    a_opt.step()
    if step % 5 == 0:
        print(f"step {step}: pi_loss {pi_loss.item():.5f} logp {logp.mean().item():.5f} "
              f"alpha {log_alpha.exp().item():.5f}")
print("event/batch", tuple(dist.batch_shape), tuple(dist.event_shape), dist.support)
print("|a| < 1:", bool((action.abs() < 1).all()), "has_rsample", dist.has_rsample)
with torch.no_grad():
    greedy = torch.tanh(actor(states[:3]).base_dist.mean)
print("greedy actions", greedy)

# A mixture density network on y = +-sqrt(x) + noise: two branches a mean model cannot fit.
K = 3
x = torch.rand(256, 1) * 4
branch = torch.randint(0, 2, (256, 1)).float() * 2 - 1
y = (branch * x.sqrt() + 0.1 * torch.randn(256, 1)).squeeze(-1)


class MDN(nn.Module):
    def __init__(self):
        super().__init__()
        self.h = nn.Sequential(nn.Linear(1, 32), nn.Tanh())
        self.logits, self.mu, self.log_sigma = (nn.Linear(32, K), nn.Linear(32, K),
                                                nn.Linear(32, K))

    def forward(self, x):
        h = self.h(x)
        return MixtureSameFamily(Categorical(logits=self.logits(h)),
                                 Normal(self.mu(h), F.softplus(self.log_sigma(h)) + 1e-3))


mdn = MDN()
opt = torch.optim.Adam(mdn.parameters(), lr=2e-2)
for epoch in range(60):
    nll = -mdn(x).log_prob(y).mean()
    opt.zero_grad()
    nll.backward()
    opt.step()
    if epoch % 20 == 0:
        print(f"epoch {epoch}: nll {nll.item():.5f}")
with torch.no_grad():
    grid = torch.tensor([[0.5], [2.0], [3.5]])
    d = mdn(grid)
    print("mean", d.mean, "variance", d.variance)
    print("samples", d.sample((4,)))
    print("cdf at 0", d.cdf(torch.zeros(3)))
    print("expanded", d.expand((2, 3)).batch_shape, "weights", d.mixture_distribution.probs)
print("final nll", round(-mdn(x).log_prob(y).mean().item(), 4), "pi", math.pi)
