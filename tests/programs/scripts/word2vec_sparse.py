"""Skip-gram word2vec with negative sampling: unigram^0.75 noise drawn with multinomial,
sparse embeddings trained with SparseAdam, bmm scores and logsigmoid, then cosine nearest
neighbours."""
import torch
import torch.nn as nn
import torch.nn.functional as F

sentences = ["the king rules the land", "the queen rules the land", "a man walks",
             "a woman walks", "the king and the queen walk", "the man and the woman rule"]
corpus = [word for sentence in sentences for word in sentence.split()]
vocab = sorted(set(corpus))
w2i = {w: i for i, w in enumerate(vocab)}
ids = torch.tensor([w2i[w] for w in corpus])
counts = torch.bincount(ids, minlength=len(vocab)).float()
noise = counts.pow(0.75)
noise /= noise.sum()
pairs = [(ids[i].item(), ids[j].item()) for i in range(len(ids))
         for j in range(max(0, i - 2), min(len(ids), i + 3)) if i != j]
torch.manual_seed(6)


class SkipGram(nn.Module):
    def __init__(self, v, d):
        super().__init__()
        self.u = nn.Embedding(v, d, sparse=True)
        self.v = nn.Embedding(v, d, sparse=True)
        init_range = 0.5 / d
        self.u.weight.data.uniform_(-init_range, init_range)
        self.v.weight.data.zero_()

    def forward(self, center, context, negatives):
        u = self.u(center)
        pos = F.logsigmoid((u * self.v(context)).sum(1))
        neg = F.logsigmoid(-torch.bmm(self.v(negatives), u.unsqueeze(2)).squeeze(2)).sum(1)
        return -(pos + neg).mean()


model = SkipGram(len(vocab), 10)
opt = torch.optim.SparseAdam(model.parameters(), lr=0.05)
pairs_t = torch.tensor(pairs)
for epoch in range(4):
    perm = torch.randperm(len(pairs_t))
    total = 0.0
    for start in range(0, len(perm), 32):
        batch = pairs_t[perm[start:start + 32]]
        negs = torch.multinomial(noise, batch.shape[0] * 3, replacement=True).view(-1, 3)
        loss = model(batch[:, 0], batch[:, 1], negs)
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item()
    print(f"epoch {epoch} loss {total:.4f}")
print(model.u.weight.grad.is_sparse, model.u.weight.grad.layout)
emb = F.normalize(model.u.weight.detach(), dim=1)
sims = emb @ emb[w2i["king"]]
print("near king:", [vocab[i] for i in sims.argsort(descending=True)[1:4].tolist()])
