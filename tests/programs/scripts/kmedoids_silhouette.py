"""Clustering notebook: k-means with cdist/argmin and per-cluster sums by index_add_ and
bincount, k-medoids (PAM-style swaps) under Manhattan distance cdist(p=1), silhouette scores,
and an elbow table over k."""

import torch

torch.manual_seed(3)
centers = torch.tensor([[0.0, 0.0], [4.0, 4.0], [-4.0, 3.0], [3.0, -3.5]])
X = torch.cat(
    [c + torch.randn(40, 2) * s for c, s in zip(centers, [0.6, 0.8, 0.5, 1.0], strict=True)]
)
X = X[torch.randperm(X.shape[0])]


def kmeans(X, k, iters=20):
    C = X[torch.randperm(X.shape[0])[:k]].clone()
    for it in range(iters):
        done = it
        d = torch.cdist(X, C)
        labels = d.argmin(dim=1)
        counts = torch.bincount(labels, minlength=k).to(X.dtype)
        sums = torch.zeros(k, X.shape[1]).index_add_(0, labels, X)
        newC = sums / counts.clamp(min=1).unsqueeze(1)
        empty = counts == 0
        newC[empty] = C[empty]
        shift = (newC - C).norm(dim=1).max()
        C = newC
        if shift < 1e-6:
            break
    inertia = (X - C[labels]).pow(2).sum()
    return C, labels, inertia, done


def silhouette(X, labels, p=2.0):
    D = torch.cdist(X, X, p=p)
    k = int(labels.max()) + 1
    onehot = torch.nn.functional.one_hot(labels, k).to(X.dtype)
    sums = D @ onehot
    counts = onehot.sum(0)
    own = counts[labels]
    a = sums.gather(1, labels[:, None]).squeeze(1) / (own - 1).clamp(min=1)
    mean_other = sums / counts
    mean_other.scatter_(1, labels[:, None], float("inf"))
    b = mean_other.min(dim=1).values
    s = (b - a) / torch.maximum(a, b)
    return torch.where(own > 1, s, torch.zeros_like(s)).mean()


def kmedoids(X, k, iters=10):
    D = torch.cdist(X, X, p=1)
    medoids = torch.randperm(X.shape[0])[:k]
    for _ in range(iters):
        labels = D[:, medoids].argmin(1)
        new = medoids.clone()
        for j in range(k):
            members = torch.nonzero(labels == j, as_tuple=True)[0]
            cost = D[members][:, members].sum(0)
            new[j] = members[cost.argmin()]
        if torch.equal(torch.sort(new).values, torch.sort(medoids).values):
            break
        medoids = new
    labels = D[:, medoids].argmin(1)
    return medoids, labels, D[torch.arange(X.shape[0]), medoids[labels]].sum()


for k in range(2, 7):
    C, labels, inertia, it = kmeans(X, k)
    print(
        f"k={k} inertia {inertia.item():9.4f} iters {it:2d} "
        f"silhouette {silhouette(X, labels).item():.4f}"
    )

C, labels, inertia, _ = kmeans(X, 4)
order = C[:, 0].argsort()
print("centroids\n", C[order])
print("sizes", torch.bincount(labels).sort().values.tolist())
med, ml, cost = kmedoids(X, 4)
print("medoid cost", round(cost.item(), 4), "sizes", torch.bincount(ml, minlength=4).sort().values)
print("medoids", X[med][X[med][:, 0].argsort()])
agree = torch.zeros(4, 4, dtype=torch.long)
agree.index_put_((labels, ml), torch.ones_like(labels), accumulate=True)
print("contingency row max", agree.max(1).values.sort().values)
print("manhattan silhouette", round(silhouette(X, ml, p=1.0).item(), 4))
