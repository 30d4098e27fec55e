"""Embedding-based retrieval as sentence-similarity notebooks write it: pretrained vectors
loaded with nn.Embedding.from_pretrained (frozen, then unfrozen), max_norm renormalisation,
EmbeddingBag with per_sample_weights (tf-idf weighted sums), a siamese encoder trained with
CosineEmbeddingLoss and MarginRankingLoss, recall@k from a cosine similarity matrix, and
EmbeddingBag.from_pretrained."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
V, D = 30, 8
pretrained = torch.randn(V, D)
emb = nn.Embedding.from_pretrained(pretrained, freeze=True, padding_idx=0)
print(emb, emb.weight.requires_grad, torch.equal(emb.weight, pretrained))
capped = nn.Embedding(V, D, max_norm=1.0)
with torch.no_grad():
    capped.weight.mul_(3)
out = capped(torch.tensor([1, 2, 2, 5]))
print(f"{out.norm(dim=1).max():.4f}", f"{capped.weight[1].norm():.4f}",
      f"{capped.weight[3].norm():.4f}")
print(F.embedding(torch.tensor([[0, 2]]), pretrained, padding_idx=0).shape)

docs = [[1, 2, 3], [2, 4], [5, 6, 7, 8], [3, 9], [10, 11, 12], [1, 4, 6]]
flat = torch.tensor([t for d in docs for t in d])
offsets = torch.tensor([0] + [len(d) for d in docs[:-1]]).cumsum(0)
df = torch.bincount(flat, minlength=V).float()
idf = torch.log(len(docs) / df.clamp(min=1)) + 1
bag = nn.EmbeddingBag.from_pretrained(pretrained, mode="sum", freeze=False)
doc_vecs = bag(flat, offsets, per_sample_weights=idf[flat])
print(doc_vecs.shape, doc_vecs[0, :3])
mean_bag = nn.EmbeddingBag(V, D, mode="mean")
max_bag = nn.EmbeddingBag(V, D, mode="max")
print(mean_bag(flat, offsets).shape, max_bag(torch.tensor([[1, 2], [3, 4]])).shape)


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding.from_pretrained(pretrained.clone(), freeze=False)
        self.proj = nn.Linear(D, D)

    def forward(self, tokens, mask):
        e = self.emb(tokens) * mask.unsqueeze(-1)
        return self.proj(e.sum(1) / mask.sum(1, keepdim=True))


def batch_pairs(n, g):
    a = torch.randint(1, V, (n, 4), generator=g)
    same = torch.rand(n, generator=g) < 0.5
    noise = torch.randint(1, V, (n, 4), generator=g)
    keep = torch.rand(n, 4, generator=g) < 0.75
    b = torch.where(same[:, None] & keep, a, noise)
    return a, b, torch.where(same, 1.0, -1.0)


enc = Encoder()
opt = torch.optim.Adam(enc.parameters(), lr=1e-2)
cos_loss = nn.CosineEmbeddingLoss(margin=0.2)
rank_loss = nn.MarginRankingLoss(margin=0.1)
g = torch.Generator().manual_seed(4)
for step in range(40):
    a, b, y = batch_pairs(32, g)
    mask = torch.ones(32, 4)
    za, zb = enc(a, mask), enc(b, mask)
    neg = zb[torch.randperm(32)]
    s_pos = F.cosine_similarity(za, zb)
    s_neg = F.cosine_similarity(za, neg)
    loss = cos_loss(za, zb, y) + rank_loss(s_pos, s_neg, (y > 0).float() * 2 - 1)
    loss.backward()
    opt.step()
    opt.zero_grad(set_to_none=True)
    if not step % 10:
        print(f"step {step} loss {loss.item():.4f} pos sim {s_pos[y > 0].mean():.4f}")

with torch.no_grad():
    a, b, y = batch_pairs(20, g)
    za = F.normalize(enc(a, torch.ones(20, 4)), dim=-1)
    zb = F.normalize(enc(b, torch.ones(20, 4)), dim=-1)
    sim = za @ zb.T
    top = sim.topk(3, dim=1).indices
    hit = (top == torch.arange(20)[:, None]).any(1)
    print(f"recall@3 same pairs {hit[y > 0].float().mean():.4f} all {hit.float().mean():.4f}")
cosine_loss = nn.CosineEmbeddingLoss(reduction="none")
print(cosine_loss(torch.ones(2, 3), torch.tensor([[1.0, 0, 0], [-1, -1, -1]]),
                  torch.tensor([1, -1])))
ones = torch.tensor([1.0, 1.0])
print(nn.MarginRankingLoss()(torch.tensor([1.0, 2.0]), torch.tensor([2.0, 1.0]), ones))
