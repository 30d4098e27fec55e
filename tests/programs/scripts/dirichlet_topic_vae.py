"""A Dirichlet-VAE topic model in the style of ProdLDA (Srivastava & Sutton 2017) with the
Dirichlet posterior of Burkhardt & Kramer: the encoder gives Dirichlet concentrations,
theta = q.rsample() (implicit reparameterisation gradients through the gamma sampler), the
decoder mixes topics, and the loss is the multinomial reconstruction plus
kl_divergence(Dirichlet, Dirichlet). Then a Gamma-Poisson rate model fitted by rsample of a
Gamma variational posterior, and a Beta posterior's quantities."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Beta, Dirichlet, Gamma, Poisson, kl_divergence

torch.manual_seed(11)
V, K, N = 30, 4, 96
true_topics = torch.softmax(torch.randn(K, V) * 3, -1)
doc_topics = Dirichlet(torch.full((K,), 0.3)).sample((N,))
counts = torch.distributions.Multinomial(40, probs=doc_topics @ true_topics).sample()
print("corpus", tuple(counts.shape), "words", int(counts.sum()))


class TopicVAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(V, 64), nn.Softplus(), nn.Linear(64, K))
        self.beta = nn.Linear(K, V, bias=False)

    def forward(self, x):
        alpha = F.softplus(self.enc(x)) + 1e-2
        q = Dirichlet(alpha)
        theta = q.rsample()
        log_word_probs = torch.log_softmax(self.beta(theta), -1)
        recon = -(x * log_word_probs).sum(-1)
        kl = kl_divergence(q, Dirichlet(torch.full_like(alpha, 0.5)))
        return (recon + kl).mean(), theta


model = TopicVAE()
opt = torch.optim.Adam(model.parameters(), lr=3e-2)
for epoch in range(40):
    loss, theta = model(counts)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if epoch % 10 == 0:
        grad_norm = sum(p.grad.norm() ** 2 for p in model.parameters()) ** 0.5
        print(f"epoch {epoch}: loss {loss.item():.4f} grad {grad_norm.item():.4f}")
print("theta[0]", theta[0].detach())

# Gamma-Poisson: a variational Gamma posterior over a rate, fitted by reparameterised samples.
y = Poisson(torch.tensor(3.5)).sample((50,))
log_conc = torch.zeros(1, requires_grad=True)
log_rate = torch.zeros(1, requires_grad=True)
prior = Gamma(torch.tensor([2.0]), torch.tensor([0.5]))
opt = torch.optim.Adam([log_conc, log_rate], lr=0.1)
for step in range(60):
    q = Gamma(log_conc.exp(), log_rate.exp())
    lam = q.rsample((16,))
    elbo = Poisson(lam).log_prob(y).sum(-1).mean() - kl_divergence(q, prior).sum()
    opt.zero_grad()
    (-elbo).backward()
    opt.step()
    if step % 20 == 0:
        print(f"step {step}: elbo {elbo.item():.4f} mean {q.mean.item():.4f}")
print("posterior mean", q.mean.item(), "sd", q.stddev.item(), "data mean", y.mean().item())

# A Beta posterior after 7 successes in 10 trials: its moments and a reparameterised draw.
a = torch.tensor([8.0], requires_grad=True)
post = Beta(a, torch.tensor([4.0]))
draw = post.rsample((5,))
draw.sum().backward()
print("beta", post.mean.item(), post.variance.item(), draw.detach().squeeze(), a.grad)
print("entropy", post.entropy().item(), "log_prob", post.log_prob(torch.tensor([0.6])).item())
