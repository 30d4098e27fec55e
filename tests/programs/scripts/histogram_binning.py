"""Histograms and binning for data analysis: histc, histogram with bin counts or edges,
density and weights, histogramdd, bucketize (right=False/True, out_int32), searchsorted with
right=, side= and sorter=, quantile binning, an empirical CDF, a KS statistic, and
equal-frequency discretisation of a feature."""

import torch

torch.manual_seed(21)
x = torch.cat([torch.randn(400), 3 + 0.5 * torch.randn(200)])

print("histc", torch.histc(x, bins=10, min=-3, max=5))
print("histc auto range", torch.histc(x, bins=5))
h = torch.histogram(x, bins=8)
print("histogram counts", h.hist)
print("histogram edges", h.bin_edges)
edges = torch.tensor([-4.0, -1.0, 0.0, 1.0, 2.5, 6.0])
hd = torch.histogram(x, bins=edges, density=True)
print("density", hd.hist, "integrates to", (hd.hist * edges.diff()).sum().item())
w = torch.rand(x.shape[0])
print("weighted", torch.histogram(x, bins=4, range=(-2.0, 4.0), weight=w).hist)
counts, bin_edges = torch.histogram(x, 3)
print("tuple unpack", counts, bin_edges)
pts = torch.stack([x[:300], x[300:]], dim=1)
hdd = torch.histogramdd(pts, bins=[3, 2])
print("histogramdd", hdd.hist, [e.tolist() for e in hdd.bin_edges])

boundaries = torch.tensor([-1.0, 0.0, 1.0, 3.0])
v = torch.tensor([-2.0, -1.0, -0.5, 0.0, 2.0, 3.0, 9.0])
print("bucketize", torch.bucketize(v, boundaries))
print("bucketize right", torch.bucketize(v, boundaries, right=True))
print("bucketize int32", torch.bucketize(v, boundaries, out_int32=True).dtype)
print(
    "searchsorted left/right",
    torch.searchsorted(boundaries, v),
    torch.searchsorted(boundaries, v, right=True),
)
print("searchsorted side", torch.searchsorted(boundaries, v, side="right"))
unsorted = torch.tensor([3.0, -1.0, 1.0, 0.0])
sorter = torch.argsort(unsorted)
print("searchsorted sorter", torch.searchsorted(unsorted, v, sorter=sorter))
rows = torch.tensor([[0.0, 1.0, 2.0], [10.0, 20.0, 30.0]])
print("batched searchsorted", torch.searchsorted(rows, torch.tensor([[1.5, 0.0], [25.0, 35.0]])))
print(
    "scalar value",
    torch.searchsorted(boundaries, 0.5),
    torch.searchsorted(boundaries, torch.tensor(0.5)),
)
ints = torch.tensor([1, 3, 5, 7])
print("int searchsorted", torch.searchsorted(ints, torch.tensor([0, 3, 8])))

qedges = torch.quantile(x, torch.linspace(0, 1, 6))
codes = torch.bucketize(x, qedges[1:-1])
print("equal-frequency bins", torch.bincount(codes))
print("bin means", torch.zeros(5).index_add_(0, codes, x) / torch.bincount(codes))

xs = torch.sort(x).values


def ecdf(t):
    return torch.searchsorted(xs, t, right=True).float() / xs.numel()


grid = torch.linspace(-3, 5, 9)
print("ecdf", ecdf(grid))
normal_cdf = torch.distributions.Normal(0.0, 1.0).cdf
ks = (ecdf(xs) - normal_cdf(xs)).abs().max()
print("KS vs N(0,1)", ks.item())
y = torch.randn(300) * 1.1
ys = torch.sort(y).values
both = torch.cat([xs, ys]).sort().values
d = (
    torch.searchsorted(xs, both, right=True) / xs.numel()
    - torch.searchsorted(ys, both, right=True) / ys.numel()
).abs()
print("two-sample KS", d.max().item(), "at", both[d.argmax()].item())
print("cummax of counts", torch.cummax(h.hist, 0).values)
print("histogram float64", torch.histogram(x.double(), bins=2).hist.dtype)
