"""Group-by statistics on a small table written with tensor ops only (the pandas-free way of
research code): unique with return_inverse/return_counts and dim=, unique_consecutive for
run-length encoding, stable sort and argsort, scatter_reduce with include_self=False,
index_reduce, take_along_dim, one-argument where and nonzero(as_tuple=True)."""

import torch

torch.manual_seed(4)
n = 30
store = torch.randint(0, 4, (n,))
item = torch.randint(0, 3, (n,))
sales = torch.randint(1, 20, (n,)).float()
price = torch.rand(n) * 10

keys, inverse, counts = torch.unique(store, sorted=True, return_inverse=True, return_counts=True)
print("stores", keys, "counts", counts, "inverse[:8]", inverse[:8])
total = torch.zeros(len(keys)).index_add_(0, inverse, sales)
print("total sales", total)
for reduce in ["sum", "prod", "mean", "amax", "amin"]:
    out = torch.full((len(keys),), -1.0).scatter_reduce(
        0, inverse, sales, reduce=reduce, include_self=False
    )
    print(f"scatter_reduce {reduce:5s} include_self=False", out)
print("scatter_reduce mean include_self", torch.ones(4).scatter_reduce(0, inverse, sales, "mean"))
print(
    "index_reduce amax", torch.zeros(4).index_reduce_(0, store, price, "amax", include_self=False)
)
print("index_reduce prod", torch.ones(4).index_reduce(0, store, sales, "prod"))
print("index_reduce mean", torch.full((4,), 2.0).index_reduce(0, store, sales, "mean"))

pairs = torch.stack([store, item], dim=1)
upairs, pinv, pcounts = torch.unique(pairs, dim=0, return_inverse=True, return_counts=True)
print("unique pairs", upairs.T, pcounts)
print("unique cols", torch.unique(torch.tensor([[1, 2, 1], [3, 4, 3]]), dim=1))
pair_sales = torch.zeros(len(upairs)).scatter_add_(0, pinv, sales)
best = pair_sales.argmax()
print("best pair", upairs[best].tolist(), pair_sales[best].item())

seq = torch.tensor([1, 1, 2, 2, 2, 3, 1, 1, 4, 4, 4, 4])
vals, lens = torch.unique_consecutive(seq, return_counts=True)
print("rle", vals, lens)
vals2, inv2 = torch.unique_consecutive(seq, return_inverse=True)
print("rle inverse", inv2)
print("rle decode", torch.equal(torch.repeat_interleave(vals, lens), seq))
print(
    "unique_consecutive 2d dim=0",
    torch.unique_consecutive(torch.tensor([[1, 2], [1, 2], [3, 4]]), dim=0),
)

ties = torch.tensor([3, 1, 2, 1, 3, 2, 1])
sv, si = torch.sort(ties, stable=True)
print("stable sort", sv, si)
print("stable descending", torch.sort(ties, descending=True, stable=True).indices)
print(
    "argsort stable",
    torch.argsort(ties, stable=True),
    torch.argsort(ties, dim=0, descending=True, stable=True),
)
order = torch.argsort(store * 100 - sales, stable=True)
print(
    "rows sorted by store then sales desc", torch.stack([store[order], sales[order].long()])[:, :10]
)

scores = torch.randn(4, 6)
top_idx = scores.argsort(dim=1, descending=True)[:, :2]
print("take_along_dim", torch.take_along_dim(scores, top_idx, dim=1))
print("take_along_dim flat", torch.take_along_dim(scores, torch.tensor([0, 5, 23])))
print(
    "take_along_dim argmax keep",
    torch.take_along_dim(scores, scores.argmax(1, keepdim=True), dim=1).squeeze(1),
)

cheap = price < 2.0
print("where(cond)", torch.where(cheap))
(rows,) = torch.nonzero(cheap, as_tuple=True)
print("nonzero as_tuple", rows, torch.nonzero(cheap).squeeze(1).tolist() == rows.tolist())
r, c = torch.where(scores > 1.0)
print("where 2d", r, c, scores[r, c])
print("nonzero 2d as_tuple", torch.nonzero(scores > 1.0, as_tuple=True)[1])
print("argwhere", torch.argwhere(scores > 1.0).T)
print("unique float sorted", torch.unique(torch.tensor([2.5, -1.0, 2.5, 0.0])))
print("bincount weights", torch.bincount(store, weights=sales))
print(
    "isin",
    torch.isin(store[:10], torch.tensor([1, 3])),
    torch.isin(store[:5], torch.tensor([0]), invert=True),
)
print("mode per store", [torch.mode(item[inverse == g]).values.item() for g in range(len(keys))])
