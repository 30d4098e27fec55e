"""A two-layer graph attention network (GAT) on a random graph: an edge list made symmetric
with self-loops, per-edge scores from concatenated projections with leaky_relu, a
softmax over each node's neighbours through a -inf masked dense matrix, multi-head outputs
concatenated then averaged, ELU, and semi-supervised training on a node mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(37)
N, F_in, C = 20, 6, 3
edges = torch.randint(0, N, (2, 40))
adj = torch.zeros(N, N, dtype=torch.bool)
adj[edges[0], edges[1]] = True
adj = adj | adj.t() | torch.eye(N, dtype=torch.bool)
feats = torch.randn(N, F_in)
labels = torch.randint(0, C, (N,))
train_mask = torch.zeros(N, dtype=torch.bool)
train_mask[::2] = True


class GATLayer(nn.Module):
    def __init__(self, fin, fout, heads, concat=True):
        super().__init__()
        self.heads, self.fout, self.concat = heads, fout, concat
        self.W = nn.Parameter(torch.empty(heads, fin, fout))
        self.a_src = nn.Parameter(torch.empty(heads, fout, 1))
        self.a_dst = nn.Parameter(torch.empty(heads, fout, 1))
        nn.init.xavier_uniform_(self.W, gain=1.414)
        nn.init.xavier_uniform_(self.a_src, gain=1.414)
        nn.init.xavier_uniform_(self.a_dst, gain=1.414)

    def forward(self, h, adj):
        Wh = torch.einsum("nf,hfo->hno", h, self.W)
        e = F.leaky_relu(Wh @ self.a_src + (Wh @ self.a_dst).transpose(1, 2), 0.2)
        e = e.masked_fill(~adj.unsqueeze(0), float("-inf"))
        att = torch.softmax(e, dim=-1)
        out = att @ Wh
        if self.concat:
            return out.permute(1, 0, 2).reshape(h.shape[0], -1)
        return out.mean(0)


class GAT(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = GATLayer(F_in, 8, heads=4)
        self.l2 = GATLayer(32, C, heads=2, concat=False)

    def forward(self, x, adj):
        return F.log_softmax(self.l2(F.elu(self.l1(x, adj)), adj), dim=1)


model = GAT()
opt = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)
for epoch in range(20):
    model.train()
    out = model(feats, adj)
    loss = F.nll_loss(out[train_mask], labels[train_mask])
    opt.zero_grad()
    loss.backward()
    opt.step()
    if epoch % 5 == 0:
        model.eval()
        pred = model(feats, adj).argmax(1)
        acc = pred[~train_mask].eq(labels[~train_mask]).sum().item() / int((~train_mask).sum())
        print(f"epoch {epoch} loss {loss.item():.4f} val acc {acc:.4f}")
print("degree", adj.sum(1)[:8].tolist(), int(adj.sum()))
