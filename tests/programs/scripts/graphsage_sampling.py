"""GraphSAGE as graph tutorials write it without a graph library: an edge_index of source and
destination rows, mean and max neighbour aggregation by index_add_ and a degree from
bincount, fixed-size neighbour sampling per node with randperm, node classification on a
planted-partition graph with train/val/test masks, and a link-prediction score with negatives."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
n, classes = 60, 3
y = torch.arange(n) % classes
p_in, p_out = 0.25, 0.02
prob = torch.where(y[:, None] == y[None, :], torch.tensor(p_in), torch.tensor(p_out))
adj = torch.rand(n, n) < prob
adj = torch.triu(adj, diagonal=1)
adj = adj | adj.T
edge_index = adj.nonzero().T.contiguous()
print("edges", edge_index.shape, "self loops", (edge_index[0] == edge_index[1]).sum().item())
x = F.one_hot(y, classes).float() * 0.5 + torch.randn(n, 8).matmul(torch.randn(8, 3)) * 0.3
x = torch.cat([x, torch.randn(n, 5)], 1)
deg = torch.bincount(edge_index[0], minlength=n)
print("degree min/max", deg.min().item(), deg.max().item(), deg.float().mean().item())


def mean_aggregate(h, edge_index, num_nodes):
    src, dst = edge_index
    out = torch.zeros(num_nodes, h.shape[1]).index_add_(0, dst, h[src])
    cnt = torch.bincount(dst, minlength=num_nodes).clamp(min=1).unsqueeze(1)
    return out / cnt


def max_aggregate(h, edge_index, num_nodes):
    src, dst = edge_index
    out = torch.full((num_nodes, h.shape[1]), float("-inf"))
    for node in range(num_nodes):
        nb = src[dst == node]
        if nb.numel():
            out[node] = h[nb].max(0).values
    return torch.where(torch.isinf(out), torch.zeros_like(out), out)


def sample_neighbors(edge_index, num_nodes, k, generator):
    keep = []
    for node in range(num_nodes):
        edges = (edge_index[1] == node).nonzero().squeeze(1)
        if edges.numel() > k:
            edges = edges[torch.randperm(edges.numel(), generator=generator)[:k]]
        keep.append(edges)
    return edge_index[:, torch.cat(keep)]


class SAGEConv(nn.Module):
    def __init__(self, d_in, d_out, aggr="mean"):
        super().__init__()
        self.lin_self = nn.Linear(d_in, d_out)
        self.lin_neigh = nn.Linear(d_in, d_out, bias=False)
        self.aggr = aggr

    def forward(self, h, edge_index):
        agg = (mean_aggregate if self.aggr == "mean" else max_aggregate)(h, edge_index, h.shape[0])
        out = self.lin_self(h) + self.lin_neigh(agg)
        return F.normalize(out, p=2.0, dim=-1)


class SAGE(nn.Module):
    def __init__(self, d_in, hidden, d_out, aggr):
        super().__init__()
        self.convs = nn.ModuleList([SAGEConv(d_in, hidden, aggr), SAGEConv(hidden, hidden, aggr)])
        self.cls = nn.Linear(hidden, d_out)

    def forward(self, h, edge_index):
        for conv in self.convs:
            h = F.relu(conv(h, edge_index))
        return self.cls(h), h


perm = torch.randperm(n)
train_mask = torch.zeros(n, dtype=torch.bool)
train_mask[perm[:20]] = True
val_mask = torch.zeros_like(train_mask).index_fill_(0, perm[20:35], True)
test_mask = ~(train_mask | val_mask)
print(train_mask.sum().item(), val_mask.sum().item(), test_mask.sum().item())
g = torch.Generator().manual_seed(5)
for aggr in ["mean", "max"]:
    torch.manual_seed(2)
    model = SAGE(x.shape[1], 16, classes, aggr)
    opt = torch.optim.Adam(model.parameters(), lr=0.02, weight_decay=5e-4)
    for _epoch in range(30):
        sampled = sample_neighbors(edge_index, n, 5, g)
        logits, _ = model(x, sampled)
        loss = F.cross_entropy(logits[train_mask], y[train_mask])
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        logits, emb = model(x, edge_index)
        pred = logits.argmax(1)
        accs = [(pred[m] == y[m]).float().mean().item() for m in (train_mask, val_mask, test_mask)]
    print(f"{aggr} loss {loss.item():.4f} accs {[round(a, 4) for a in accs]} "
          f"sampled {sampled.shape[1]}")

pos = edge_index[:, edge_index[0] < edge_index[1]]
neg = torch.randint(0, n, pos.shape)
def score(e):
    return (emb[e[0]] * emb[e[1]]).sum(-1)
labels = torch.cat([torch.ones(pos.shape[1]), torch.zeros(neg.shape[1])])
scores = torch.cat([score(pos), score(neg)])
print(f"link bce {F.binary_cross_entropy_with_logits(scores, labels).item():.4f}",
      f"pos mean {score(pos).mean():.4f} neg mean {score(neg).mean():.4f}")
