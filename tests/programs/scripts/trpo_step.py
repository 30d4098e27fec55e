"""One trust-region policy optimisation (TRPO) update on a toy discrete-action task, as RL
code writes it: flat parameter vectors (parameters_to_vector / vector_to_parameters), the
policy gradient with torch.autograd.grad, Fisher-vector products through the KL's Hessian
(double backward), conjugate gradient, and a backtracking line search on the surrogate with
the KL constraint; a value function fitted with LBFGS."""

import torch
import torch.nn as nn
from torch.distributions import Categorical, kl_divergence
from torch.nn.utils import parameters_to_vector, vector_to_parameters

torch.manual_seed(0)
obs = torch.randn(256, 6)
actions = torch.randint(0, 3, (256,))
advantages = torch.randn(256)
advantages = (advantages - advantages.mean()) / (advantages.std() + 1e-8)
returns = torch.randn(256)

policy = nn.Sequential(nn.Linear(6, 32), nn.Tanh(), nn.Linear(32, 3))
value = nn.Sequential(nn.Linear(6, 32), nn.Tanh(), nn.Linear(32, 1))
with torch.no_grad():
    old_logits = policy(obs)
old_dist = Categorical(logits=old_logits)
old_logp = old_dist.log_prob(actions)


def surrogate():
    dist = Categorical(logits=policy(obs))
    return (torch.exp(dist.log_prob(actions) - old_logp) * advantages).mean()


def mean_kl():
    return kl_divergence(old_dist, Categorical(logits=policy(obs))).mean()


def fisher_vector_product(v, damping=0.1):
    kl = mean_kl()
    grads = torch.autograd.grad(kl, policy.parameters(), create_graph=True)
    flat = torch.cat([g.reshape(-1) for g in grads])
    kl_v = (flat * v).sum()
    hv = torch.autograd.grad(kl_v, policy.parameters())
    return torch.cat([g.contiguous().view(-1) for g in hv]) + damping * v


def conjugate_gradient(fvp, b, iters=10, tol=1e-10):
    x = torch.zeros_like(b)
    r, p = b.clone(), b.clone()
    rr = torch.dot(r, r)
    for _ in range(iters):
        Ap = fvp(p)
        alpha = rr / torch.dot(p, Ap)
        x += alpha * p
        r -= alpha * Ap
        new_rr = torch.dot(r, r)
        if new_rr < tol:
            break
        p = r + (new_rr / rr) * p
        rr = new_rr
    return x


loss = surrogate()
g = parameters_to_vector(torch.autograd.grad(loss, policy.parameters()))
print("surrogate", round(loss.item(), 6), "grad norm", round(g.norm().item(), 6))
step_dir = conjugate_gradient(fisher_vector_product, g)
shs = 0.5 * torch.dot(step_dir, fisher_vector_product(step_dir))
max_kl = 0.01
full_step = step_dir * torch.sqrt(2 * max_kl / shs)
print("shs", round(shs.item(), 6), "step norm", round(full_step.norm().item(), 6))
old_params = parameters_to_vector(policy.parameters()).detach().clone()
with torch.no_grad():
    for frac in 0.5 ** torch.arange(10).float():
        vector_to_parameters(old_params + frac * full_step, policy.parameters())
        new_loss, kl = surrogate(), mean_kl()
        print(f"frac {frac.item():.4f} improve {(new_loss - loss).item():.6f} kl {kl.item():.6f}")
        if kl <= max_kl and new_loss > loss:
            break
    else:
        vector_to_parameters(old_params, policy.parameters())

opt = torch.optim.LBFGS(value.parameters(), lr=0.5, max_iter=20)


def closure():
    opt.zero_grad()
    v_loss = (value(obs).squeeze(-1) - returns).pow(2).mean()
    v_loss.backward()
    return v_loss


for _ in range(2):
    print("value loss", round(opt.step(closure).item(), 6))
