"""Tensor indexing idioms from answers and notebooks: advanced indexing with broadcast index
tensors, boolean masks in reads and writes, index_put_ with accumulate, torch.where chains,
nonzero, take_along_dim, index_add_, masked_select/masked_scatter, unique with inverse and
counts, bucketize/searchsorted, tril_indices, meshgrid, and a batched gather of sequences."""
import torch

torch.manual_seed(0)
x = torch.arange(24).reshape(2, 3, 4)
print(x[[0, 1], [1, 2]])
print(x[:, [0, 2], 1:3])
rows = torch.tensor([[0], [1]])
cols = torch.tensor([[0, 2, 3]])
print(x[1][rows, cols])
print(x[..., torch.tensor([True, False, True, False])].shape)
print(x[x % 5 == 0])
print(x[1, :, None, 2].shape, x[None, ..., 0].shape)

a = torch.zeros(5)
idx = torch.tensor([0, 1, 1, 3, 3, 3])
vals = torch.arange(1.0, 7.0)
a.index_put_((idx,), vals, accumulate=True)
print(a)
b = torch.zeros(5)
b[idx] += vals
print("plain += keeps one:", b)
m = torch.zeros(3, 3)
m.index_put_((torch.tensor([0, 2]), torch.tensor([1, 1])), torch.tensor(7.0))
print(m)
print(torch.zeros(4).index_add_(0, idx[:4], torch.ones(4)))

t = torch.randn(4, 5)
print(torch.where(t > 1, 1, torch.where(t < -1, -1, 0)))
print(torch.where(t > 0, t, torch.zeros_like(t)).sum())
print(torch.where(t > 1.5))
print(torch.nonzero(t > 1), torch.nonzero(t > 1, as_tuple=True))
print(torch.argwhere(t < -1.2))
t2 = t.clone()
t2[t2 < 0] = 0
t2[:, 0] = torch.tensor([9.0, 8.0, 7.0, 6.0])
t2[t2.sum(1) > 10] *= -1
print(t2)
mask = t > 0
print(t.masked_select(mask).shape, t.masked_fill(~mask, float("nan")).nanmean(dim=1))
print(torch.zeros(2, 3).masked_scatter(torch.tensor([[True, False, True], [False, True, False]]),
                                       torch.arange(1.0, 7.0)))

scores = torch.randn(3, 6)
order = scores.argsort(dim=1, descending=True)
print(torch.take_along_dim(scores, order, dim=1)[:, :2])
print(scores.gather(1, order[:, :2]))
ranks = order.argsort(dim=1)
print(ranks)
vals, ind = scores.topk(2, dim=1, largest=False, sorted=True)
print(ind, scores.kthvalue(2, dim=1).indices)

words = torch.tensor([5, 3, 5, 1, 3, 5, 9])
uniq, inverse, counts = torch.unique(words, return_inverse=True, return_counts=True)
print(uniq, inverse, counts)
print(torch.unique(torch.tensor([[1, 2], [1, 2], [0, 1]]), dim=0))
print(torch.unique_consecutive(torch.tensor([1, 1, 2, 2, 2, 1]), return_counts=True))
boundaries = torch.tensor([0.0, 0.5, 1.0])
v = torch.tensor([-0.1, 0.0, 0.3, 0.5, 0.99, 1.5])
print(torch.bucketize(v, boundaries), torch.bucketize(v, boundaries, right=True))
print(torch.searchsorted(boundaries, v), torch.searchsorted(boundaries, v, side="right"))

r, c = torch.tril_indices(4, 4, offset=-1)
print(r, c)
packed = torch.arange(6.0)
full = torch.zeros(4, 4)
full[r, c] = packed
print(full + full.T)
print(torch.triu_indices(3, 3, 1))
gy, gx = torch.meshgrid(torch.arange(2), torch.arange(3), indexing="ij")
print(torch.stack([gy, gx], -1).view(-1, 2))
xx, yy = torch.meshgrid(torch.arange(2), torch.arange(3), indexing="xy")
print(xx.shape, yy)

seqs = torch.randn(3, 5, 2)
lengths = torch.tensor([5, 2, 4])
last = seqs[torch.arange(3), lengths - 1]
print(last)
same = seqs.gather(1, (lengths - 1).view(-1, 1, 1).expand(-1, 1, 2)).squeeze(1)
print(torch.equal(last, same))
pad_mask = torch.arange(5)[None, :] >= lengths[:, None]
print(pad_mask)
print(seqs.masked_fill(pad_mask.unsqueeze(-1), 0).sum(1) / lengths.unsqueeze(1))
print(torch.zeros(3, 4).scatter_(1, torch.tensor([[1], [3], [0]]), 1.0))
print(x.flatten()[torch.randperm(24)[:5]])
print(x.index_select(2, torch.tensor([3, 0])).shape, x.narrow(1, 1, 2).shape)
print(torch.diagonal(torch.arange(9).view(3, 3), offset=1), x[0].T.contiguous().view(-1)[:5])
x[0, x[0] > 5] = -1
print(x[0])
print(torch.tensor([1, 2, 3])[torch.tensor(1)],
      torch.tensor([[1, 2], [3, 4]])[torch.tensor([True, False])])
