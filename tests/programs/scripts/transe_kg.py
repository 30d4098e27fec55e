"""Knowledge-graph embeddings in the TransE style: entity and relation embeddings trained
with a margin ranking loss on corrupted triples, L1/L2 distances through torch.norm and
F.normalize'd entities, then filtered rank metrics (MRR, hits@k) from argsort."""

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
n_ent, n_rel, dim = 30, 4, 16
heads = torch.randint(0, n_ent, (120,))
rels = torch.randint(0, n_rel, (120,))
tails = (heads * 7 + rels * 3) % n_ent
triples = torch.stack([heads, rels, tails], dim=1)
print("triples", tuple(triples.shape), "unique", torch.unique(triples, dim=0).shape[0])


class TransE(nn.Module):
    def __init__(self, p=1):
        super().__init__()
        self.ent = nn.Embedding(n_ent, dim)
        self.rel = nn.Embedding(n_rel, dim)
        bound = 6 / dim ** 0.5
        nn.init.uniform_(self.ent.weight, -bound, bound)
        nn.init.uniform_(self.rel.weight, -bound, bound)
        with torch.no_grad():
            self.rel.weight.div_(self.rel.weight.norm(p=2, dim=1, keepdim=True))
        self.p = p

    def forward(self, t):
        h, r, tl = self.ent(t[:, 0]), self.rel(t[:, 1]), self.ent(t[:, 2])
        return torch.norm(h + r - tl, p=self.p, dim=1)


model = TransE()
opt = torch.optim.SGD(model.parameters(), lr=0.05)
loss_fn = nn.MarginRankingLoss(margin=1.0)
for epoch in range(15):
    with torch.no_grad():
        model.ent.weight.data = F.normalize(model.ent.weight.data, p=2, dim=1)
    perm = torch.randperm(len(triples))
    total = 0.0
    for batch in triples[perm].split(32):
        corrupt = batch.clone()
        mask = torch.rand(len(batch)) < 0.5
        rnd = torch.randint(0, n_ent, (len(batch),))
        corrupt[:, 0] = torch.where(mask, rnd, corrupt[:, 0])
        corrupt[:, 2] = torch.where(~mask, rnd, corrupt[:, 2])
        pos, neg = model(batch), model(corrupt)
        loss = loss_fn(pos, neg, -torch.ones_like(pos))
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * len(batch)
    if epoch % 5 == 0:
        print(f"epoch {epoch} loss {total / len(triples):.4f}")

with torch.no_grad():
    h = model.ent(triples[:, 0]) + model.rel(triples[:, 1])
    d = torch.cdist(h, model.ent.weight, p=1)
    ranks = (d.argsort(dim=1) == triples[:, 2:3]).nonzero()[:, 1] + 1
    print("MRR", round((1.0 / ranks.float()).mean().item(), 4))
    for k in (1, 3, 10):
        print(f"hits@{k}", (ranks <= k).float().mean().item())
    print("mean rank", ranks.float().mean().item(), "median", ranks.median().item())
