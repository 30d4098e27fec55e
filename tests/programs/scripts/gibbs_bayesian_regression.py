"""A Bayesian linear regression fitted by Gibbs sampling: a Gamma prior on the noise precision,
a Normal prior on the weights, alternating draws of w | tau (MultivariateNormal) and
tau | w (Gamma); then count data from Poisson, Beta mixup weights and a Dirichlet mixture's
proportions, Student-t, log-normal and geometric noise models, with their log-densities,
entropies and KL divergences."""
import torch
import torch.distributions as D

torch.manual_seed(7)
n, d = 40, 3
X = torch.randn(n, d)
w_true = torch.tensor([1.5, -2.0, 0.5])
y = X @ w_true + 0.3 * torch.randn(n)

a0, b0, prior_prec = 2.0, 1.0, 1.0
prior = D.Gamma(torch.tensor(a0), torch.tensor(b0))
tau = prior.sample()
taus, ws = [], []
for it in range(60):
    precision = prior_prec * torch.eye(d) + tau * X.T @ X
    cov = torch.linalg.inv(precision)
    mean = tau * cov @ X.T @ y
    w = D.MultivariateNormal(mean, covariance_matrix=(cov + cov.T) / 2).sample()
    resid = y - X @ w
    posterior = D.Gamma(torch.tensor(a0 + n / 2), b0 + 0.5 * (resid ** 2).sum())
    tau = posterior.sample()
    if it >= 20:
        taus.append(tau)
        ws.append(w)
print("posterior mean w", [round(v, 3) for v in torch.stack(ws).mean(0).tolist()])
print("posterior mean noise sd", round(float(torch.stack(taus).rsqrt().mean()), 4))
print("log prior of tau", round(float(prior.log_prob(torch.stack(taus)).sum()), 4))

rates = torch.exp(X @ torch.tensor([0.3, 0.2, -0.1]) + 1.0)
counts = D.Poisson(rates).sample()
log_lik = D.Poisson(rates).log_prob(counts).sum()
print("counts", counts[:10].tolist(), "log lik", round(float(log_lik), 4))
trials = D.Binomial(torch.tensor([5.0, 20.0, 80.0]), torch.tensor([0.3, 0.6, 0.1]))
print("binomial", trials.sample((3,)).tolist())

lam = D.Beta(torch.tensor([0.4] * 8), torch.tensor([0.4] * 8)).sample()
print("mixup lam", [round(v, 4) for v in lam.tolist()])
mixed = lam.unsqueeze(1) * X[:8] + (1 - lam.unsqueeze(1)) * X[8:16]
print("mixed sum", round(float(mixed.sum()), 4))

props = D.Dirichlet(torch.tensor([[1.0, 2.0, 3.0], [0.5, 0.5, 0.5]])).sample((2,))
print("dirichlet", [[round(v, 4) for v in row] for row in props.reshape(-1, 3).tolist()])
chi = D.Chi2(torch.tensor([1.0, 4.0])).sample((3,))
print("chi2", [[round(v, 4) for v in row] for row in chi.tolist()])
p, q = D.Beta(torch.tensor(2.0), torch.tensor(3.0)), D.Beta(torch.tensor(1.5), torch.tensor(0.7))
print("kl beta", round(float(D.kl_divergence(p, q)), 5), "entropy", round(float(p.entropy()), 5))
g1 = D.Gamma(torch.tensor(3.0), torch.tensor(2.0))
g2 = D.Gamma(torch.tensor(1.0), torch.tensor(0.5))
print("kl gamma", round(float(D.kl_divergence(g1, g2)), 5), "mode", float(g1.mode))

# heavy-tailed and positive noise models: Student-t residuals, log-normal scales, waiting times
student = D.StudentT(torch.tensor(4.0), torch.tensor(0.0), torch.tensor(0.3))
print("student-t", [round(v, 4) for v in student.sample((4,)).tolist()],
      round(float(student.log_prob(resid).sum()), 4), round(float(student.entropy()), 5))
scales = D.LogNormal(torch.zeros(3), torch.tensor([0.5, 1.0, 2.0]))
draws = scales.rsample((2,))
print("lognormal", [[round(v, 4) for v in row] for row in draws.tolist()],
      [round(v, 4) for v in scales.log_prob(draws).sum(0).tolist()])
waits = D.Geometric(probs=torch.tensor([0.2, 0.5, 0.9]))
print("geometric", waits.sample((3,)).tolist(), [round(v, 4) for v in waits.entropy().tolist()])
print("after", torch.rand(2).tolist())
