"""Signal and sequence utilities as written in audio/OCR notebooks: greedy CTC decoding with
unique_consecutive (runs collapsed, blanks dropped, durations from the run counts), numeric
calculus on a sampled signal (torch.gradient on an uneven grid, trapezoid and
cumulative_trapezoid), histograms of the signal (density, weights, 2-D histogramdd), a
polynomial trend fitted through a Vandermonde matrix, embeddings kept to max-norm 1 with
renorm during training, diagonal covariances with diag_embed, and integer frame bookkeeping
with gcd, lcm and bit shifts."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(7)

# --- greedy CTC decoding -------------------------------------------------------------------
alphabet = "-abcde"  # index 0 is the blank
logits = torch.randn(2, 20, len(alphabet))
logits[:, ::3, 0] += 2.0  # blanks every third frame, as a trained model emits them
best = logits.argmax(-1)
for b in range(best.shape[0]):
    tokens, counts = torch.unique_consecutive(best[b], return_counts=True)
    keep = tokens != 0
    text = "".join(alphabet[i] for i in tokens[keep].tolist())
    print(f"utterance {b}: {text!r} durations {counts[keep].tolist()}")
_, inverse = torch.unique_consecutive(best[0], return_inverse=True)
print("frame -> run", inverse.tolist())

# --- calculus on a sampled signal ----------------------------------------------------------
t = torch.sort(torch.rand(40) * 2 * math.pi).values
t[0], t[-1] = 0.0, 2 * math.pi
signal = torch.sin(t) + 0.05 * torch.randn(40)
(slope,) = torch.gradient(signal, spacing=(t,), edge_order=2)
print("d/dt sin ~ cos: max error", f"{(slope - torch.cos(t))[2:-2].abs().max().item():.4f}")
area = torch.trapezoid(signal.abs(), t)
running = torch.cumulative_trapezoid(signal, t)
at_pi = running[(t[1:] < math.pi).sum() - 1]
print(f"area {area.item():.5f} running integral at pi {at_pi.item():.5f}")
grid = torch.linspace(0, 1, 11)
print("trapz x^2", f"{torch.trapz(grid ** 2, dx=0.1).item():.6f}",
      torch.gradient(grid ** 2, spacing=0.1)[0][:4].tolist())

# --- histograms --------------------------------------------------------------------------
hist, edges = torch.histogram(signal, bins=6)
print("hist", hist.tolist(), [round(e, 4) for e in edges.tolist()])
density = torch.histogram(signal, bins=4, range=(-1.2, 1.2), density=True).hist
print("density", [round(v, 5) for v in density.tolist()], "integral",
      f"{(density * 0.6).sum().item():.4f}")
weighted = torch.histogram(signal, bins=torch.tensor([-2.0, -0.5, 0.0, 0.5, 2.0]), weight=t)
print("weighted", [round(v, 4) for v in weighted.hist.tolist()])
points = torch.stack([torch.cos(t), signal], dim=1)
print("2d", torch.histogramdd(points, bins=[3, 2]).hist.tolist())

# --- a polynomial trend through a Vandermonde matrix -----------------------------------------
V = torch.vander(t / (2 * math.pi), N=4, increasing=True)
coef = torch.linalg.solve(V.T @ V, V.T @ signal)
trend = V @ coef
print("trend coefficients", [round(c, 4) for c in coef.tolist()],
      f"residual {(signal - trend).pow(2).mean().item():.5f}")

# --- embeddings renormalised to max-norm 1 while training ---------------------------------
emb = nn.Embedding(10, 4)
head = nn.Linear(4, 3)
opt = torch.optim.SGD(list(emb.parameters()) + list(head.parameters()), lr=0.5)
ids, target = torch.randint(0, 10, (32,)), torch.randint(0, 3, (32,))
for step in range(6):
    loss = F.cross_entropy(head(emb(ids)), target)
    opt.zero_grad()
    loss.backward()
    opt.step()
    with torch.no_grad():
        emb.weight.copy_(emb.weight.renorm(2, 0, 1.0))
    norm = emb.weight.norm(dim=1).max()
    print(f"step {step} loss {loss.item():.5f} max row norm {norm.item():.4f}")

# --- diagonal covariances ----------------------------------------------------------------
log_var = torch.randn(3, 4, requires_grad=True)
cov = torch.diag_embed(log_var.exp())
x = torch.randn(3, 4)
maha = (x.unsqueeze(1) @ torch.linalg.inv(cov) @ x.unsqueeze(2)).squeeze()
maha.sum().backward()
print("mahalanobis", [round(m, 4) for m in maha.tolist()],
      "grad", [round(g, 4) for g in log_var.grad[0].tolist()])
print("chain", torch.linalg.multi_dot(list(cov.detach())).diagonal().tolist())

# --- integer frame bookkeeping ---------------------------------------------------------------
hops = torch.tensor([160, 240, 320])
print("gcd", torch.gcd(hops, torch.tensor(480)).tolist(), "lcm",
      torch.lcm(hops, torch.tensor([100])).tolist())
codes = torch.arange(6)
packed = (codes << 4) | (codes + 1)
print("packed", packed.tolist(), "unpacked", (packed >> 4).tolist(), (packed & 15).tolist())
angles = torch.rad2deg(torch.deg2rad(torch.tensor([30.0, 45.0, 90.0])))
print("angles", [round(a, 5) for a in angles.tolist()],
      torch.atleast_2d(torch.tensor(3.0)).shape, torch.float_power(torch.tensor([2]), 0.5).dtype)
