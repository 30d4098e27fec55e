"""A makemore-style character-level MLP (the Bengio et al. 2003 model): a context of three
characters is embedded through a lookup table C, concatenated, passed through a tanh hidden
layer and a linear output; trained on minibatches drawn with torch.randint, with a learning
rate decay; evaluated on a held-out split and sampled with torch.multinomial."""

# ruff: noqa: SIM905
# (written as makemore is: words from str.split)

import math

import torch
import torch.nn.functional as F

words = ("olivia emma charlotte amelia sophia mia isabella ava evelyn luna harper sofia "
         "camila eleanor elizabeth violet scarlett emily hazel lily gianna aurora penelope "
         "aria nora chloe ellie mila avery layla abigail ella isla eliana nova madison zoe "
         "ivy grace willow emilia riley naomi elena stella maya victoria hannah leah aubrey "
         "kinsley everly delilah lucy paisley natalie savannah ruby autumn alice").split()
chars = sorted(list(set("".join(words))))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi["."] = 0
itos = {i: s for s, i in stoi.items()}
vocab_size = len(itos)
block_size = 3


def build_dataset(words):
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + ".":
            ix = stoi[ch]
            X.append(context)
            Y.append(ix)
            context = context[1:] + [ix]
    X = torch.tensor(X)
    Y = torch.tensor(Y)
    print(X.shape[0], X.shape[1], Y.shape[0], X.dtype == torch.int64)
    return X, Y


n1 = int(0.8 * len(words))
Xtr, Ytr = build_dataset(words[:n1])
Xdev, Ydev = build_dataset(words[n1:])

g = torch.Generator().manual_seed(2147483647)
n_embd, n_hidden = 10, 64
C = torch.randn((vocab_size, n_embd), generator=g)
fan_in = n_embd * block_size
W1 = torch.randn((fan_in, n_hidden), generator=g) * (5 / 3) / fan_in ** 0.5
b1 = torch.randn(n_hidden, generator=g) * 0.01
W2 = torch.randn((n_hidden, vocab_size), generator=g) * 0.01
b2 = torch.randn(vocab_size, generator=g) * 0
parameters = [C, W1, b1, W2, b2]
print("parameters:", sum(p.nelement() for p in parameters))
for p in parameters:
    p.requires_grad = True

max_steps = 200
batch_size = 32
lossi = []
for i in range(max_steps):
    ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g)
    Xb, Yb = Xtr[ix], Ytr[ix]
    emb = C[Xb]
    embcat = emb.view(emb.shape[0], -1)
    hpreact = embcat @ W1 + b1
    h = torch.tanh(hpreact)
    logits = h @ W2 + b2
    loss = F.cross_entropy(logits, Yb)
    for p in parameters:
        p.grad = None
    loss.backward()
    lr = 0.1 if i < 150 else 0.01
    for p in parameters:
        p.data += -lr * p.grad
    if i % 50 == 0:
        print(f"{i:7d}/{max_steps:7d}: {loss.item():.4f}")
    lossi.append(math.log10(loss.item()))
print("mean log10 loss of the last 50 steps:", sum(lossi[-50:]) / 50)


@torch.no_grad()
def split_loss(split):
    x, y = {"train": (Xtr, Ytr), "val": (Xdev, Ydev)}[split]
    emb = C[x]
    h = torch.tanh(emb.view(emb.shape[0], -1) @ W1 + b1)
    logits = h @ W2 + b2
    loss = F.cross_entropy(logits, y)
    print(split, loss.item())


split_loss("train")
split_loss("val")

g = torch.Generator().manual_seed(2147483647 + 10)
for _ in range(5):
    out = []
    context = [0] * block_size
    while True:
        emb = C[torch.tensor([context])]
        h = torch.tanh(emb.view(1, -1) @ W1 + b1)
        logits = h @ W2 + b2
        probs = F.softmax(logits, dim=1)
        ix = torch.multinomial(probs, num_samples=1, generator=g).item()
        context = context[1:] + [ix]
        out.append(ix)
        if ix == 0 or len(out) > 20:
            break
    print("".join(itos[i] for i in out))
