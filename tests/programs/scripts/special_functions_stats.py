"""Statistics with torch.special: normal quantiles by erfinv and ndtri, log-CDF tails by
log_ndtr, entropy terms by xlogy/xlog1py/entr, Student-t and von Mises densities written by
hand (gammaln, i0, i0e) checked against torch.distributions, a Dirichlet-multinomial
likelihood (multigammaln, digamma), polygamma for Fisher information, and zeta sums."""

import math

import torch
from torch import special
from torch.distributions import Gamma, StudentT, VonMises

torch.manual_seed(0)
torch.set_printoptions(precision=6)

p = torch.tensor([0.001, 0.025, 0.5, 0.975, 0.999], dtype=torch.float64)
z1 = math.sqrt(2) * special.erfinv(2 * p - 1)
z2 = special.ndtri(p)
print("normal quantiles", z1)
print("ndtri agrees", torch.allclose(z1, z2))
print("ndtr(ndtri(p))", special.ndtr(z2))
tail = torch.tensor([-40.0, -10.0, -1.0, 0.0, 3.0], dtype=torch.float64)
print("log_ndtr", special.log_ndtr(tail))
print("naive log ndtr", torch.log(special.ndtr(tail)))
print("erfcx", special.erfcx(torch.tensor([0.0, 1.0, 10.0, 30.0])))

q = torch.tensor([0.0, 0.1, 0.5, 0.9, 1.0])
print("xlogy", special.xlogy(q, q))
print("entr", special.entr(q))
print("binary entropy", -(special.xlogy(q, q) + special.xlog1py(1 - q, -q)))
print("xlogy scalar first", special.xlogy(2, torch.tensor([1.0, 3.0])))


def student_t_logpdf(x, nu, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    return (
        special.gammaln((nu + 1) / 2)
        - special.gammaln(nu / 2)
        - 0.5 * torch.log(nu * math.pi)
        - math.log(scale)
        - (nu + 1) / 2 * torch.log1p(z**2 / nu)
    )


x = torch.linspace(-4, 4, 7, dtype=torch.float64)
nu = torch.tensor(3.5, dtype=torch.float64)
ours = student_t_logpdf(x, nu)
theirs = StudentT(nu).log_prob(x)
print("student-t", ours, torch.allclose(ours, theirs))

kappa = torch.tensor([0.5, 2.0, 50.0], dtype=torch.float64)
theta = torch.tensor(0.3, dtype=torch.float64)
vm = kappa * torch.cos(theta) - math.log(2 * math.pi) - torch.log(special.i0(kappa))
vm_stable = kappa * (torch.cos(theta) - 1) - math.log(2 * math.pi) - torch.log(special.i0e(kappa))
print("von mises", vm, torch.allclose(vm, vm_stable))
print("distributions", VonMises(torch.tensor(0.0, dtype=torch.float64), kappa).log_prob(theta))
print("i1, i1e", special.i1(kappa), special.i1e(kappa))

# Dirichlet-multinomial log-likelihood and its gradient wrt alpha
counts = torch.tensor([[3.0, 0.0, 5.0], [1.0, 2.0, 2.0], [0.0, 6.0, 1.0]])
log_alpha = torch.zeros(3, requires_grad=True)
opt = torch.optim.Adam([log_alpha], lr=0.1)
for step in range(30):
    alpha = log_alpha.exp()
    n = counts.sum(1)
    ll = (
        special.gammaln(alpha.sum())
        - special.gammaln(n + alpha.sum())
        + (special.gammaln(counts + alpha) - special.gammaln(alpha)).sum(1)
    ).sum()
    opt.zero_grad()
    (-ll).backward()
    opt.step()
    if step % 10 == 0:
        print(f"step {step} ll {ll.item():.5f} alpha {alpha.detach()}")

# Gamma MLE with Newton on the shape using digamma / polygamma(1)
data = Gamma(torch.tensor(2.5), torch.tensor(1.5)).sample((500,)).double()
s = (math.log(data.mean()) - data.log().mean()).item()
k = torch.tensor((3 - s + math.sqrt((s - 3) ** 2 + 24 * s)) / (12 * s), dtype=torch.float64)
for _ in range(5):
    k = k - (torch.log(k) - special.digamma(k) - s) / (1 / k - special.polygamma(1, k))
print("gamma mle shape", k.item(), "rate", (k / data.mean()).item())
print(
    "polygamma 2,3",
    special.polygamma(2, torch.tensor([1.0, 2.0])),
    special.polygamma(3, torch.tensor(0.5)),
)
print("multigammaln", special.multigammaln(torch.tensor([2.5, 4.0]), 3))
print("mvlgamma", torch.mvlgamma(torch.tensor([2.5, 4.0]), p=3))
print("zeta(2) ~ pi^2/6", special.zeta(torch.tensor(2.0), 1.0).item(), math.pi**2 / 6)
print("hurwitz", special.zeta(torch.tensor([2.0, 3.0, 4.5]), torch.tensor([1.0, 2.0, 0.5])))
print(
    "logit/expit",
    special.logit(torch.tensor([0.2, 0.5]), eps=1e-6),
    special.expit(torch.tensor([0.0, 2.0])),
)
print(
    "sinc, round, log1p",
    special.sinc(torch.tensor([0.0, 0.5])),
    special.round(torch.tensor([2.5, -0.5])),
    special.log1p(torch.tensor([1e-8])),
)
