"""DataLoader with worker processes as training scripts configure it: num_workers=2,
persistent_workers, prefetch_factor, worker_init_fn seeding NumPy per worker from
torch.initial_seed(), a seeded generator for shuffling, drop_last, pin_memory on a CPU-only
machine; the batches equal those of num_workers=0."""
import random

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset


class Noisy(Dataset):
    def __len__(self):
        return 22

    def __getitem__(self, i):
        return torch.tensor([float(i)]), i % 3


def seed_worker(worker_id):
    worker_seed = torch.initial_seed() % 2 ** 32
    np.random.seed(worker_seed)
    random.seed(worker_seed)


def batches(num_workers, **kw):
    g = torch.Generator()
    g.manual_seed(0)
    loader = DataLoader(Noisy(), batch_size=4, shuffle=True, drop_last=True,
                        num_workers=num_workers, worker_init_fn=seed_worker, generator=g,
                        pin_memory=torch.cuda.is_available(), **kw)
    out = []
    for _ in range(2):
        out.append([(x.flatten().tolist(), y.tolist()) for x, y in loader])
    return out, len(loader)


if __name__ == "__main__":
    serial, n = batches(0)
    parallel, _ = batches(2, persistent_workers=True, prefetch_factor=2)
    print(n, serial[0][:2], serial[1][0])
    print("same with workers:", serial == parallel)
