"""Fitting distributions by maximum likelihood as a statistics notebook does: Gamma, Beta,
StudentT, Poisson and NegativeBinomial fits with constrained parameters (softplus and
transform_to(constraints)), mixture densities with MixtureSameFamily, Independent for
diagonal models, entropy/KL/cdf/icdf/mean/variance summaries, sample shapes, and the
probability integral transform as a calibration check."""

import torch
import torch.nn.functional as F
from torch.distributions import (
    Beta,
    Categorical,
    Gamma,
    Independent,
    MixtureSameFamily,
    NegativeBinomial,
    Normal,
    Poisson,
    StudentT,
    constraints,
    kl_divergence,
    transform_to,
)

torch.manual_seed(17)
torch.set_printoptions(precision=4)


def fit(make, raw, data, steps=150, lr=0.05):
    opt = torch.optim.Adam(raw, lr=lr)
    for _ in range(steps):
        nll = -make(*raw).log_prob(data).mean()
        opt.zero_grad()
        nll.backward()
        opt.step()
    return make(*raw), nll.item()


g_data = Gamma(torch.tensor(3.0), torch.tensor(2.0)).sample((400,))
g, nll = fit(
    lambda a, b: Gamma(F.softplus(a), F.softplus(b)),
    [torch.zeros((), requires_grad=True), torch.zeros((), requires_grad=True)],
    g_data,
)
print(f"gamma conc {g.concentration.item():.4f} rate {g.rate.item():.4f} nll {nll:.4f}")
print("gamma mean/var", g.mean.item(), g.variance.item(), "entropy", g.entropy().item())

b_data = Beta(torch.tensor(2.0), torch.tensor(5.0)).sample((400,)).clamp(1e-6, 1 - 1e-6)
pos = transform_to(constraints.positive)
b, nll = fit(
    lambda a, c: Beta(pos(a), pos(c)),
    [torch.zeros((), requires_grad=True), torch.zeros((), requires_grad=True)],
    b_data,
)
print(f"beta a {b.concentration1.item():.4f} b {b.concentration0.item():.4f} nll {nll:.4f}")

t_data = StudentT(torch.tensor(3.0), torch.tensor(1.0), torch.tensor(2.0)).sample((400,))
t, nll = fit(
    lambda df, loc, s: StudentT(2 + F.softplus(df), loc, F.softplus(s)),
    [torch.zeros((), requires_grad=True) for _ in range(3)],
    t_data,
    steps=200,
)
print(
    f"student df {t.df.item():.4f} loc {t.loc.item():.4f} scale {t.scale.item():.4f} nll {nll:.4f}"
)

counts = Poisson(torch.tensor(4.5)).sample((300,))
print(
    "poisson mle (closed form)",
    counts.mean().item(),
    "log_prob[:3]",
    Poisson(counts.mean()).log_prob(counts[:3]),
)
nb_data = NegativeBinomial(total_count=torch.tensor(3.0), probs=torch.tensor(0.4)).sample((300,))
nb, nll = fit(
    lambda rc, lg: NegativeBinomial(F.softplus(rc), logits=lg),
    [torch.zeros((), requires_grad=True), torch.zeros((), requires_grad=True)],
    nb_data,
    steps=200,
)
print(
    f"negbin r {nb.total_count.item():.4f} p {nb.probs.item():.4f} "
    f"mean {nb.mean.item():.4f} nll {nll:.4f}"
)

mix_data = torch.cat([Normal(-2.0, 0.5).sample((200,)), Normal(1.5, 1.0).sample((300,))])
logits = torch.zeros(2, requires_grad=True)
locs = torch.tensor([-1.0, 1.0], requires_grad=True)
log_scales = torch.zeros(2, requires_grad=True)
opt = torch.optim.Adam([logits, locs, log_scales], lr=0.05)
for step in range(200):
    mix = MixtureSameFamily(Categorical(logits=logits), Normal(locs, log_scales.exp()))
    nll = -mix.log_prob(mix_data).mean()
    opt.zero_grad()
    nll.backward()
    opt.step()
    if step % 50 == 0:
        print(f"mixture step {step} nll {nll.item():.4f}")
print(
    "mixture weights",
    torch.softmax(logits, 0).detach(),
    "locs",
    locs.detach(),
    "scales",
    log_scales.exp().detach(),
)
print(
    "mixture mean/var",
    mix.mean.item(),
    mix.variance.item(),
    "cdf(0)",
    mix.cdf(torch.tensor(0.0)).item(),
)
print("mixture sample shape", mix.sample((3, 2)).shape)

diag = Independent(Normal(torch.zeros(3), torch.tensor([1.0, 2.0, 0.5])), 1)
print(
    "independent",
    diag.batch_shape,
    diag.event_shape,
    diag.log_prob(torch.ones(3)).item(),
    diag.entropy().item(),
)
other = Independent(Normal(torch.ones(3), torch.ones(3)), 1)
print("kl independent", kl_divergence(diag, other).item())
print("kl gamma", kl_divergence(g, Gamma(torch.tensor(3.0), torch.tensor(2.0))).item())
print("kl beta", kl_divergence(b, Beta(torch.tensor(2.0), torch.tensor(5.0))).item())
n = Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 3.0]))
print("normal icdf/cdf", n.icdf(torch.tensor([0.1, 0.9])), n.cdf(torch.tensor([0.5, 0.5])))
print("sample shapes", n.sample().shape, n.sample((4,)).shape, n.expand((5, 2)).batch_shape)
pit = g.cdf(g_data).detach()
print("PIT histogram", torch.histc(pit, bins=5, min=0, max=1))
print("support", g.support, b.support, Poisson(1.0).support)
