"""A PPO update with a Gaussian policy: Normal and Independent distributions, log_prob and
entropy, the clipped surrogate objective, generalized advantage estimation, minibatches by
randperm and the value loss; MultivariateNormal gives the same log-density."""
import torch
import torch.nn as nn
from torch.distributions import Independent, MultivariateNormal, Normal

torch.manual_seed(2)


class ActorCritic(nn.Module):
    def __init__(self, obs, act):
        super().__init__()
        self.mu = nn.Sequential(nn.Linear(obs, 32), nn.Tanh(), nn.Linear(32, act))
        self.log_std = nn.Parameter(torch.full((act,), -0.5))
        self.v = nn.Sequential(nn.Linear(obs, 32), nn.Tanh(), nn.Linear(32, 1))

    def dist(self, obs):
        return Independent(Normal(self.mu(obs), self.log_std.exp()), 1)


ac = ActorCritic(4, 2)
opt = torch.optim.Adam(ac.parameters(), lr=3e-3, eps=1e-5)
T = 64
obs = torch.randn(T, 4)
with torch.no_grad():
    d = ac.dist(obs)
    actions = d.sample()
    old_logp = d.log_prob(actions)
    values = ac.v(obs).squeeze(-1)
rewards = -(actions - obs[:, :2]).pow(2).sum(-1)
dones = torch.zeros(T)
dones[31] = 1.0
adv = torch.zeros(T)
last = 0.0
for t in reversed(range(T)):
    next_v = values[t + 1] if t + 1 < T else torch.tensor(0.0)
    delta = rewards[t] + 0.99 * next_v * (1 - dones[t]) - values[t]
    last = delta + 0.99 * 0.95 * (1 - dones[t]) * last
    adv[t] = last
returns = adv + values
adv = (adv - adv.mean()) / (adv.std() + 1e-8)
for epoch in range(4):
    perm = torch.randperm(T)
    for start in range(0, T, 16):
        idx = perm[start:start + 16]
        dist = ac.dist(obs[idx])
        logp = dist.log_prob(actions[idx])
        ratio = torch.exp(logp - old_logp[idx])
        s1 = ratio * adv[idx]
        s2 = torch.clamp(ratio, 0.8, 1.2) * adv[idx]
        pi_loss = -torch.min(s1, s2).mean()
        v_loss = 0.5 * (ac.v(obs[idx]).squeeze(-1) - returns[idx]).pow(2).mean()
        ent = dist.entropy().mean()
        loss = pi_loss + 0.5 * v_loss - 0.01 * ent
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(ac.parameters(), 0.5)
        opt.step()
    clipfrac = ((ratio - 1.0).abs() > 0.2).float().mean()
    print(f"epoch {epoch} pi {pi_loss.item():.4f} v {v_loss.item():.4f} ent {ent.item():.4f} "
          f"clip {clipfrac.item():.3f}")
mvn = MultivariateNormal(ac.mu(obs[:3]), scale_tril=torch.diag(ac.log_std.exp()))
print(torch.allclose(mvn.log_prob(actions[:3]), ac.dist(obs[:3]).log_prob(actions[:3]),
                     atol=1e-5), ac.dist(obs[:3]).batch_shape, ac.dist(obs[:3]).event_shape)
