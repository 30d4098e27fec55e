"""Message passing over an edge list as GNN libraries do it: gather source features by
index, aggregate with index_add_ (sum), a degree-normalised mean via bincount, a max
aggregation with scatter_reduce(reduce="amax", include_self=False), GraphSAGE-style layers and
graph-level readout by a batch vector."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(103)
N = 12
src = torch.randint(0, N, (30,))
dst = torch.randint(0, N, (30,))
edge_index = torch.stack([torch.cat([src, dst]), torch.cat([dst, src])])
x = torch.randn(N, 5)
batch = torch.tensor([0] * 6 + [1] * 6)
y = torch.tensor([0, 1])


def aggregate(h, edge_index, how):
    s, d = edge_index
    msg = h[s]
    out = torch.zeros(h.shape[0], h.shape[1])
    if how == "max":
        idx = d.unsqueeze(1).expand_as(msg)
        return out.scatter_reduce(0, idx, msg, reduce="amax", include_self=False)
    out.index_add_(0, d, msg)
    if how == "mean":
        deg = torch.bincount(d, minlength=h.shape[0]).clamp(min=1).unsqueeze(1)
        out = out / deg
    return out


class SAGE(nn.Module):
    def __init__(self, fin, fout, how):
        super().__init__()
        self.how = how
        self.lin_self = nn.Linear(fin, fout)
        self.lin_nb = nn.Linear(fin, fout, bias=False)

    def forward(self, h, edge_index):
        return self.lin_self(h) + self.lin_nb(aggregate(h, edge_index, self.how))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1, self.c2 = SAGE(5, 16, "mean"), SAGE(16, 16, "max")
        self.out = nn.Linear(16, 2)

    def forward(self, x, edge_index, batch):
        h = F.relu(self.c1(x, edge_index))
        h = F.relu(self.c2(h, edge_index))
        pooled = torch.zeros(int(batch.max()) + 1, h.shape[1]).index_add_(0, batch, h)
        pooled = pooled / torch.bincount(batch).unsqueeze(1)
        return self.out(pooled)


net = Net()
opt = torch.optim.Adam(net.parameters(), lr=0.01)
for step in range(10):
    loss = F.cross_entropy(net(x, edge_index, batch), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 3 == 0:
        print(f"step {step} loss {loss.item():.5f}")
print(aggregate(x, edge_index, "sum")[:2].sum().item(), edge_index.shape)
