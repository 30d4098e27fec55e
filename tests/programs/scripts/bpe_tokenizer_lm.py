"""A byte-pair-encoding tokenizer in pure Python in the manner of minbpe (get_stats over byte
pairs, merge the most frequent, encode by lowest merge rank, decode through a vocab of bytes)
feeding torch tensors: a bigram-count model with add-one smoothing and a trained embedding
bigram model over the token ids, sampling with torch.multinomial(generator=...) and decoding."""

import torch
import torch.nn.functional as F

text = (
    "the cat sat on the mat. the cat ate the rat. that rat sat on the hat. "
    "then the fat cat sat at the hat and the mat. "
) * 3


def get_stats(ids, counts=None):
    counts = {} if counts is None else counts
    for pair in zip(ids, ids[1:], strict=False):
        counts[pair] = counts.get(pair, 0) + 1
    return counts


def merge(ids, pair, idx):
    newids, i = [], 0
    while i < len(ids):
        if ids[i] == pair[0] and i < len(ids) - 1 and ids[i + 1] == pair[1]:
            newids.append(idx)
            i += 2
        else:
            newids.append(ids[i])
            i += 1
    return newids


class BasicTokenizer:
    def train(self, text, vocab_size):
        num_merges = vocab_size - 256
        ids = list(text.encode("utf-8"))
        self.merges, self.vocab = {}, {i: bytes([i]) for i in range(256)}
        for i in range(num_merges):
            stats = get_stats(ids)
            pair = max(stats, key=stats.get)
            idx = 256 + i
            ids = merge(ids, pair, idx)
            self.merges[pair] = idx
            self.vocab[idx] = self.vocab[pair[0]] + self.vocab[pair[1]]
        return ids

    def encode(self, text):
        ids = list(text.encode("utf-8"))
        while len(ids) >= 2:
            stats = get_stats(ids)
            pair = min(stats, key=lambda p: self.merges.get(p, float("inf")))
            if pair not in self.merges:
                break
            ids = merge(ids, pair, self.merges[pair])
        return ids

    def decode(self, ids):
        return b"".join(self.vocab[i] for i in ids).decode("utf-8", errors="replace")


tok = BasicTokenizer()
train_ids = tok.train(text, 256 + 20)
print("merges", [tok.vocab[i].decode() for i in range(256, 266)])
print("compression %.2fX" % (len(text.encode()) / len(train_ids)))
ids = tok.encode(text)
assert tok.decode(ids) == text
data = torch.tensor(ids, dtype=torch.long)
# Re-index the used token ids to a dense vocabulary.
used, dense = torch.unique(data, sorted=True, return_inverse=True)
V = used.numel()
print("tokens", data.numel(), "distinct", V, "dtype", dense.dtype, "first", dense[:10].tolist())

N = torch.zeros((V, V), dtype=torch.int32)
N.index_put_(
    (dense[:-1], dense[1:]), torch.ones(len(dense) - 1, dtype=torch.int32), accumulate=True
)
P = (N + 1).float()
P /= P.sum(1, keepdim=True)
nll = -torch.log(P[dense[:-1], dense[1:]]).mean()
print(f"count model nll {nll.item():.4f}, N total {N.sum().item()}, max {N.max().item()}")

g = torch.Generator().manual_seed(2147483647)
out, ix = [], dense[0].item()
for _ in range(12):
    ix = torch.multinomial(P[ix], num_samples=1, replacement=True, generator=g).item()
    out.append(used[ix].item())
print("count sample:", repr(tok.decode(out)))

W = torch.randn((V, V), generator=g, requires_grad=True)
xs, ys = dense[:-1], dense[1:]
for k in range(60):
    logits = F.one_hot(xs, num_classes=V).float() @ W
    loss = F.cross_entropy(logits, ys) + 0.01 * (W**2).mean()
    W.grad = None
    loss.backward()
    W.data += -20 * W.grad
    if k % 15 == 0:
        print(f"step {k}: loss {loss.item():.4f}")
with torch.no_grad():
    probs = F.softmax(W, dim=1)
    ctx = torch.tensor([dense[0].item()])
    sampled = []
    for _ in range(12):
        nxt = torch.multinomial(probs[ctx[-1]], 1, generator=g)
        ctx = torch.cat([ctx, nxt])
        sampled.append(used[nxt].item())
print("model sample:", repr(tok.decode(sampled)))
print("encode 'the cat':", tok.encode("the cat"), "->", repr(tok.decode(tok.encode("the cat"))))
