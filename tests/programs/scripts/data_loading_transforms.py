"""The data loading and processing tutorial written by hand for synthetic "face" images: a
Dataset reading rows of landmarks from an in-memory CSV (csv module), transforms as callable
classes (Rescale with F.interpolate, RandomCrop with torch.randint offsets, ToTensor with a
HWC->CHW permute, Normalize), composed by a hand-written Compose, samples as dicts through a
DataLoader with the default collate, a custom collate with variable counts of landmarks
padded and masked, SubsetRandomSampler, a BatchSampler, and a ConcatDataset."""
import csv
import io

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import (
    BatchSampler,
    ConcatDataset,
    DataLoader,
    Dataset,
    SequentialSampler,
    SubsetRandomSampler,
)

torch.manual_seed(0)
rng = np.random.default_rng(0)

rows = ["image_name,part_0_x,part_0_y,part_1_x,part_1_y,part_2_x,part_2_y"]
for i in range(10):
    rows.append(",".join([f"face_{i}.png"] + [str(int(v)) for v in rng.integers(2, 30, 6)]))
CSV = "\n".join(rows)
IMAGES = {f"face_{i}.png": rng.integers(0, 256, (32 + i, 40, 3), dtype=np.uint8) for i in range(10)}


class FaceLandmarksDataset(Dataset):
    def __init__(self, csv_text, images, transform=None):
        reader = csv.reader(io.StringIO(csv_text))
        self.header = next(reader)
        self.landmarks_frame = list(reader)
        self.images = images
        self.transform = transform

    def __len__(self):
        return len(self.landmarks_frame)

    def __getitem__(self, idx):
        if torch.is_tensor(idx):
            idx = idx.tolist()
        row = self.landmarks_frame[idx]
        image = self.images[row[0]]
        landmarks = np.array([float(v) for v in row[1:]], dtype=np.float32).reshape(-1, 2)
        sample = {'image': image, 'landmarks': landmarks}
        if self.transform:
            sample = self.transform(sample)
        return sample


class ToTensor:
    def __call__(self, sample):
        image, landmarks = sample['image'], sample['landmarks']
        image = torch.from_numpy(image).permute(2, 0, 1).float() / 255
        return {'image': image, 'landmarks': torch.from_numpy(landmarks)}


class Rescale:
    def __init__(self, output_size):
        assert isinstance(output_size, (int, tuple))
        self.output_size = output_size

    def __call__(self, sample):
        image, landmarks = sample['image'], sample['landmarks']
        h, w = image.shape[-2:]
        if isinstance(self.output_size, int):
            if h > w:
                new_h, new_w = self.output_size * h / w, self.output_size
            else:
                new_h, new_w = self.output_size, self.output_size * w / h
        else:
            new_h, new_w = self.output_size
        new_h, new_w = int(new_h), int(new_w)
        img = F.interpolate(image[None], size=(new_h, new_w), mode='bilinear',
                            align_corners=False)[0]
        landmarks = landmarks * torch.tensor([new_w / w, new_h / h])
        return {'image': img, 'landmarks': landmarks}


class RandomCrop:
    def __init__(self, output_size):
        if isinstance(output_size, int):
            output_size = (output_size, output_size)
        self.output_size = output_size

    def __call__(self, sample):
        image, landmarks = sample['image'], sample['landmarks']
        h, w = image.shape[-2:]
        new_h, new_w = self.output_size
        top = int(torch.randint(0, h - new_h + 1, (1,)))
        left = int(torch.randint(0, w - new_w + 1, (1,)))
        image = image[:, top: top + new_h, left: left + new_w]
        return {'image': image, 'landmarks': landmarks - torch.tensor([left, top])}


class Normalize:
    def __init__(self, mean, std):
        self.mean = torch.tensor(mean).view(-1, 1, 1)
        self.std = torch.tensor(std).view(-1, 1, 1)

    def __call__(self, sample):
        return {**sample, 'image': (sample['image'] - self.mean) / self.std}


class Compose:
    def __init__(self, transforms):
        self.transforms = transforms

    def __call__(self, sample):
        for t in self.transforms:
            sample = t(sample)
        return sample

    def __repr__(self):
        return "Compose(" + ", ".join(type(t).__name__ for t in self.transforms) + ")"


raw = FaceLandmarksDataset(CSV, IMAGES)
print(len(raw), raw.header[:3], raw[3]['image'].shape, raw[3]['landmarks'])
composed = Compose([ToTensor(), Rescale(24), RandomCrop(20), Normalize([0.5] * 3, [0.25] * 3)])
print(composed)
transformed = FaceLandmarksDataset(CSV, IMAGES, transform=composed)
for i in range(3):
    s = transformed[i]
    print(i, s['image'].size(), s['landmarks'].size(), s['landmarks'][0])
print(transformed[torch.tensor(4)]['image'].mean())
dataloader = DataLoader(transformed, batch_size=4, shuffle=True, num_workers=0)
for i_batch, sample_batched in enumerate(dataloader):
    print(i_batch, sample_batched['image'].size(), sample_batched['landmarks'].size(),
          type(sample_batched).__name__, sample_batched['landmarks'].mean().item())


def ragged(idx):
    n = int(idx) % 3 + 1
    return {'points': torch.arange(n * 2.0).reshape(n, 2) + idx, 'label': idx % 2}


def pad_collate(batch):
    counts = torch.tensor([len(b['points']) for b in batch])
    points = torch.zeros(len(batch), int(counts.max()), 2)
    for i, b in enumerate(batch):
        points[i, :len(b['points'])] = b['points']
    mask = torch.arange(int(counts.max()))[None, :] < counts[:, None]
    return points, mask, torch.tensor([b['label'] for b in batch])


class Ragged(Dataset):
    def __len__(self):
        return 7

    def __getitem__(self, i):
        return ragged(i)


loader = DataLoader(Ragged(), batch_size=3, collate_fn=pad_collate,
                    sampler=SubsetRandomSampler(list(range(7))))
for points, mask, label in loader:
    print(points.shape, mask.int().tolist(), label, (points.sum(-1) * mask).sum(1))
print(list(BatchSampler(SequentialSampler(range(10)), batch_size=4, drop_last=False)))
print(list(BatchSampler(SequentialSampler(range(10)), batch_size=4, drop_last=True)))
both = ConcatDataset([Ragged(), Ragged()])
print(len(both), both[8]['points'], both.cumulative_sizes)
