"""A VQ-VAE bottleneck: nearest codebook entries by argmin of squared distances, the
straight-through estimator (z + (q - z).detach()), codebook and commitment losses, code usage
perplexity, and the codes an encoder assigns after training."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(67)
x = torch.randn(64, 6)


class VQ(nn.Module):
    def __init__(self, n_codes=8, dim=4, beta=0.25):
        super().__init__()
        self.codebook = nn.Embedding(n_codes, dim)
        self.codebook.weight.data.uniform_(-1 / n_codes, 1 / n_codes)
        self.beta = beta

    def forward(self, z):
        d = (z.pow(2).sum(1, keepdim=True) - 2 * z @ self.codebook.weight.t()
             + self.codebook.weight.pow(2).sum(1))
        idx = d.argmin(1)
        q = self.codebook(idx)
        loss = F.mse_loss(q, z.detach()) + self.beta * F.mse_loss(z, q.detach())
        q = z + (q - z).detach()
        probs = F.one_hot(idx, self.codebook.num_embeddings).float().mean(0)
        perplexity = torch.exp(-(probs * torch.log(probs + 1e-10)).sum())
        return q, loss, perplexity


enc, dec, vq = nn.Linear(6, 4), nn.Linear(4, 6), VQ()
params = list(enc.parameters()) + list(dec.parameters()) + list(vq.parameters())
opt = torch.optim.Adam(params, lr=1e-2)
for step in range(20):
    q, vq_loss, ppl = vq(enc(x))
    recon = F.mse_loss(dec(q), x)
    loss = recon + vq_loss
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 5 == 0:
        print(f"step {step} recon {recon.item():.4f} vq {vq_loss.item():.4f} "
              f"perplexity {ppl.item():.3f}")
with torch.no_grad():
    _, _, ppl = vq(enc(x))
    codes = torch.cdist(enc(x[:8]), vq.codebook.weight).argmin(1)
print("codes", codes.tolist(), f"perplexity {ppl.item():.3f}")
