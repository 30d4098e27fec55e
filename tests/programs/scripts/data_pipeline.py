"""Data-loading idioms beyond the basics: an IterableDataset split across workers with
get_worker_info, WeightedRandomSampler for class balance, a dict-returning Dataset through
default_collate, pad_sequence in a collate_fn, random_split with a seeded generator, and a
Dataset with a transform."""
import torch
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import (
    DataLoader,
    Dataset,
    IterableDataset,
    WeightedRandomSampler,
    get_worker_info,
    random_split,
)
from torch.utils.data.dataloader import default_collate


class RangeStream(IterableDataset):
    def __init__(self, start, end):
        super().__init__()
        self.start, self.end = start, end

    def __iter__(self):
        info = get_worker_info()
        if info is None:
            lo, hi = self.start, self.end
        else:
            per = (self.end - self.start + info.num_workers - 1) // info.num_workers
            lo = self.start + info.id * per
            hi = min(lo + per, self.end)
        return iter(range(lo, hi))


print(list(DataLoader(RangeStream(3, 10), batch_size=3)))


class Points(Dataset):
    def __init__(self, n, transform=None):
        g = torch.Generator().manual_seed(1)
        self.x = torch.randn(n, 2, generator=g)
        self.y = (torch.arange(n) % 5 == 0).long()
        self.transform = transform

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        x = self.x[i] if self.transform is None else self.transform(self.x[i])
        return {"x": x, "label": self.y[i], "id": i}


ds = Points(20, transform=lambda t: t * 2)
counts = torch.bincount(ds.y)
weights = (1.0 / counts.float())[ds.y]
torch.manual_seed(4)
sampler = WeightedRandomSampler(weights, num_samples=20, replacement=True)
loader = DataLoader(ds, batch_size=10, sampler=sampler)
for batch in loader:
    print(sorted(batch.keys()), batch["x"].shape, batch["label"].tolist(), batch["id"].tolist()[:4])
print(default_collate([(1, 2.0, "a"), (3, 4.0, "b")]))
train, val = random_split(ds, [0.75, 0.25], generator=torch.Generator().manual_seed(42))
print(len(train), len(val), train.indices[:5])


def collate(batch):
    seqs = [torch.arange(n) + 1 for n in batch]
    lengths = torch.tensor([len(s) for s in seqs])
    return pad_sequence(seqs, batch_first=True, padding_value=0), lengths


for padded, lengths in DataLoader([3, 1, 4, 2], batch_size=2, collate_fn=collate):
    print(padded.tolist(), lengths.tolist())
