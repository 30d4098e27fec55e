"""A streaming pretraining loader: an IterableDataset that shards documents across DataLoader
workers with get_worker_info(), packs tokens into fixed blocks, a worker_init_fn seeding
per-worker randomness from torch.initial_seed(), DataLoader(generator=g, drop_last=True,
persistent_workers=False) with 0 and 2 workers (results sorted, as worker order interleaves),
a map-style chunked dataset over the same stream with a RandomSampler(generator), and a tiny
model trained on the stream."""

import math
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, IterableDataset, get_worker_info

torch.manual_seed(5)
DOCS = [
    f"doc {i}: "
    + " ".join(["alpha", "beta", "gamma", "delta"][(i + j) % 4] for j in range(3 + i % 5))
    for i in range(12)
]
VOCAB = sorted(set("".join(DOCS)) | {"|"})
EOS = VOCAB.index("|")


class TokenStream(IterableDataset):
    """Documents in, (input, target) blocks out; each worker takes every n-th document."""

    def __init__(self, docs, block):
        self.docs, self.block = docs, block

    def __iter__(self):
        info = get_worker_info()
        start, step = (0, 1) if info is None else (info.id, info.num_workers)
        buf = []
        for doc in self.docs[start::step]:
            buf.extend(VOCAB.index(c) for c in doc)
            buf.append(EOS)
            while len(buf) >= self.block + 1:
                chunk = torch.tensor(buf[: self.block + 1])
                buf = buf[self.block :]
                yield chunk[:-1], chunk[1:]


def worker_init_fn(worker_id):
    seed = torch.initial_seed() % 2**32
    np.random.seed(seed)
    random.seed(seed)
    info = get_worker_info()
    assert info.id == worker_id and info.seed == torch.initial_seed()


stream = TokenStream(DOCS, block=16)
print("worker info outside a worker:", get_worker_info())
g = torch.Generator().manual_seed(11)
single = list(DataLoader(stream, batch_size=4, drop_last=True, generator=g))
print("batches", len(single), [tuple(b[0].shape) for b in single][:2], single[0][0].dtype)
print("first inputs", single[0][0][0].tolist())
n_items = sum(1 for _ in stream)
print("items in the stream", n_items, "dropped by drop_last", n_items % 4)

multi = DataLoader(
    stream,
    batch_size=2,
    num_workers=2,
    worker_init_fn=worker_init_fn,
    generator=torch.Generator().manual_seed(11),
    persistent_workers=False,
)
rows = sorted(tuple(r.tolist()) for xb, _ in multi for r in xb)
print("rows from 2 workers", len(rows), rows[0][:8])
rows0 = sorted(tuple(r.tolist()) for xb, _ in DataLoader(stream, batch_size=2) for r in xb)
print("same multiset of rows as one worker would make?", rows == rows0)


class Chunks(torch.utils.data.Dataset):
    def __init__(self, stream):
        self.items = list(stream)

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


chunks = Chunks(stream)
sampler = torch.utils.data.RandomSampler(chunks, generator=torch.Generator().manual_seed(3))
print("sampler order", list(sampler)[:8])
loader = DataLoader(chunks, batch_size=4, sampler=sampler, drop_last=True)
print("len(loader)", len(loader), "len(sampler)", len(sampler))

model = nn.Sequential(
    nn.Embedding(len(VOCAB), 24), nn.Linear(24, 24), nn.ReLU(), nn.Linear(24, len(VOCAB))
)
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
for epoch in range(3):
    tot = 0.0
    for xb, yb in loader:
        loss = F.cross_entropy(model(xb).reshape(-1, len(VOCAB)), yb.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item()
    print(
        f"epoch {epoch}: mean loss {tot / len(loader):.4f}, ppl {math.exp(tot / len(loader)):.3f}"
    )
