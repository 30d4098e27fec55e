"""CBOW with negative sampling on sparse embeddings (F7): the context is averaged by an
EmbeddingBag(mode='mean', sparse=True) over flat word ids and offsets, output vectors are an
Embedding(sparse=True); gradients accumulate over two half-batches before each step, both
tables are trained by SparseAdam and a dense bias by SGD; then an Adagrad fine-tuning pass and
the nearest neighbours by cosine similarity."""
import torch
import torch.nn as nn
import torch.nn.functional as F

text = """a cat sat on the mat . a dog sat on the rug . the cat chased the dog .
the dog chased a ball . a cat likes the mat . a dog likes the ball ."""
tokens = text.split()
vocab = {w: i for i, w in enumerate(dict.fromkeys(tokens))}
ids = [vocab[w] for w in tokens]
window = 2
examples = [(ids[max(0, i - window):i] + ids[i + 1:i + 1 + window], ids[i])
            for i in range(len(ids))]
freq = torch.bincount(torch.tensor(ids), minlength=len(vocab)).double()
unigram = (freq ** 0.75 / (freq ** 0.75).sum()).float()
torch.manual_seed(3)
torch.sparse.check_sparse_tensor_invariants.disable()  # opted out explicitly (no warning)


class CBOW(nn.Module):
    def __init__(self, n, dim):
        super().__init__()
        self.context = nn.EmbeddingBag(n, dim, mode="mean", sparse=True)
        self.target = nn.Embedding(n, dim, sparse=True)
        self.bias = nn.Parameter(torch.zeros(n))
        nn.init.uniform_(self.target.weight, -0.1, 0.1)

    def forward(self, flat, offsets, targets, negatives):
        h = self.context(flat, offsets)                           # (B, D)
        pos = (h * self.target(targets)).sum(1) + self.bias[targets]
        neg = torch.bmm(self.target(negatives), h.unsqueeze(2)).squeeze(2)
        neg = neg + self.bias[negatives]
        return -(F.logsigmoid(pos) + F.logsigmoid(-neg).sum(1)).mean()


def batch(rows):
    flat = torch.tensor([w for ctx, _ in rows for w in ctx])
    offsets = torch.tensor([0] + [len(ctx) for ctx, _ in rows[:-1]]).cumsum(0)
    targets = torch.tensor([t for _, t in rows])
    return flat, offsets, targets, torch.multinomial(unigram, len(rows) * 4, True).view(-1, 4)


model = CBOW(len(vocab), 8)
sparse_opt = torch.optim.SparseAdam(list(model.context.parameters())
                                    + list(model.target.parameters()), lr=0.03)
dense_opt = torch.optim.SGD([model.bias], lr=0.1)
for epoch in range(12):
    order = torch.randperm(len(examples)).tolist()
    total = 0.0
    for start in range(0, len(order), 8):
        rows = [examples[k] for k in order[start:start + 8]]
        sparse_opt.zero_grad()
        dense_opt.zero_grad()
        for half in (rows[: len(rows) // 2], rows[len(rows) // 2:]):
            loss = model(*batch(half)) / 2
            loss.backward()
            total += loss.item()
        sparse_opt.step()
        dense_opt.step()
    if epoch % 3 == 0:
        g = model.target.weight.grad
        print(f"epoch {epoch} loss {total:.4f} grad nnz {g._nnz()} coalesced {g.is_coalesced()}")

tune = torch.optim.Adagrad(model.target.parameters(), lr=0.05)
for rows in (examples[:10], examples[10:20]):
    tune.zero_grad()
    model(*batch(rows)).backward()
    tune.step()
print("state sum rows touched", int((tune.state[model.target.weight]["sum"] > 0).any(1).sum()))
vectors = F.normalize(model.context.weight.detach() + model.target.weight.detach(), dim=1)
words = list(vocab)
for word in ("cat", "dog", "mat"):
    sims = vectors @ vectors[vocab[word]]
    sims[vocab[word]] = -2.0
    print(word, [words[i] for i in sims.topk(2).indices.tolist()])
