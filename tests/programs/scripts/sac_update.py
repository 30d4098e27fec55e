"""One soft actor-critic update loop: a tanh-squashed Gaussian policy (rsample, the
log-det-Jacobian correction, clamp of log_std), twin Q networks with min targets, a learned
temperature log_alpha, and Polyak averaging of target networks with mul_/add_ under no_grad."""
import copy
import itertools

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Normal

torch.manual_seed(109)
S, A = 3, 2


def mlp(i, o):
    return nn.Sequential(nn.Linear(i, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                         nn.Linear(32, o))


class Actor(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = mlp(S, 2 * A)

    def forward(self, s):
        mu, log_std = self.net(s).chunk(2, dim=-1)
        log_std = torch.clamp(log_std, -20, 2)
        dist = Normal(mu, log_std.exp())
        u = dist.rsample()
        a = torch.tanh(u)
        logp = dist.log_prob(u).sum(-1) - (2 * (torch.log(torch.tensor(2.0)) - u
                                                - F.softplus(-2 * u))).sum(-1)
        return a, logp


actor, q1, q2 = Actor(), mlp(S + A, 1), mlp(S + A, 1)
q1_t, q2_t = copy.deepcopy(q1), copy.deepcopy(q2)
for p in itertools.chain(q1_t.parameters(), q2_t.parameters()):
    p.requires_grad = False
log_alpha = torch.zeros(1, requires_grad=True)
target_entropy = -float(A)
pi_opt = torch.optim.Adam(actor.parameters(), lr=3e-3)
q_opt = torch.optim.Adam(itertools.chain(q1.parameters(), q2.parameters()), lr=3e-3)
a_opt = torch.optim.Adam([log_alpha], lr=3e-3)
s, a = torch.randn(64, S), torch.rand(64, A) * 2 - 1
r, s2, d = -(a ** 2).sum(1), torch.randn(64, S), (torch.rand(64) < 0.1).float()
for step in range(10):
    alpha = log_alpha.exp().detach()
    with torch.no_grad():
        a2, logp2 = actor(s2)
        sa2 = torch.cat([s2, a2], 1)
        q_targ = torch.min(q1_t(sa2), q2_t(sa2)).squeeze(-1)
        backup = r + 0.99 * (1 - d) * (q_targ - alpha * logp2)
    sa = torch.cat([s, a], 1)
    q_loss = ((q1(sa).squeeze(-1) - backup) ** 2).mean() \
        + ((q2(sa).squeeze(-1) - backup) ** 2).mean()
    q_opt.zero_grad()
    q_loss.backward()
    q_opt.step()
    for p in itertools.chain(q1.parameters(), q2.parameters()):
        p.requires_grad = False
    pi, logp = actor(s)
    spi = torch.cat([s, pi], 1)
    pi_loss = (alpha * logp - torch.min(q1(spi), q2(spi)).squeeze(-1)).mean()
    pi_opt.zero_grad()
    pi_loss.backward()
    pi_opt.step()
    for p in itertools.chain(q1.parameters(), q2.parameters()):
        p.requires_grad = True
    alpha_loss = -(log_alpha * (logp.detach() + target_entropy)).mean()
    a_opt.zero_grad()
    alpha_loss.backward()
    a_opt.step()
    with torch.no_grad():
        for p, p_t in zip(itertools.chain(q1.parameters(), q2.parameters()),
                          itertools.chain(q1_t.parameters(), q2_t.parameters()), strict=True):
            p_t.data.mul_(0.995)
            p_t.data.add_((1 - 0.995) * p.data)
    if step % 3 == 0:
        print(f"step {step} q {q_loss.item():.4f} pi {pi_loss.item():.4f} "
              f"alpha {log_alpha.exp().item():.4f} ent {-logp.mean().item():.4f}")
