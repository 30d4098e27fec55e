"""A two-layer graph convolutional network on a random dense graph (Kipf & Welling style)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(5)
N, Fin, C = 30, 8, 3
adj = (torch.rand(N, N) < 0.15).float()
adj = ((adj + adj.t()) > 0).float()
adj.fill_diagonal_(1.0)
deg = adj.sum(1)
d_inv_sqrt = deg.pow(-0.5)
d_inv_sqrt[torch.isinf(d_inv_sqrt)] = 0.0
norm_adj = torch.diag(d_inv_sqrt) @ adj @ torch.diag(d_inv_sqrt)
feats = torch.randn(N, Fin)
labels = torch.randint(0, C, (N,))
idx_train = torch.arange(0, 20)
idx_test = torch.arange(20, N)


class GraphConvolution(nn.Module):
    def __init__(self, fin, fout):
        super().__init__()
        self.weight = nn.Parameter(torch.FloatTensor(fin, fout))
        self.bias = nn.Parameter(torch.FloatTensor(fout))
        stdv = 1.0 / self.weight.size(1) ** 0.5
        self.weight.data.uniform_(-stdv, stdv)
        self.bias.data.uniform_(-stdv, stdv)

    def forward(self, x, a):
        return torch.spmm(a, torch.mm(x, self.weight)) + self.bias


class GCN(nn.Module):
    def __init__(self):
        super().__init__()
        self.gc1, self.gc2 = GraphConvolution(Fin, 16), GraphConvolution(16, C)

    def forward(self, x, a):
        x = F.relu(self.gc1(x, a))
        x = F.dropout(x, 0.5, training=self.training)
        return F.log_softmax(self.gc2(x, a), dim=1)


model = GCN()
opt = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)
for epoch in range(20):
    model.train()
    opt.zero_grad()
    out = model(feats, norm_adj)
    loss = F.nll_loss(out[idx_train], labels[idx_train])
    acc = out[idx_train].max(1)[1].eq(labels[idx_train]).double().mean()
    loss.backward()
    opt.step()
    if epoch % 4 == 0:
        print(f"epoch {epoch} loss {loss.item():.4f} acc {acc.item():.4f}")
model.eval()
out = model(feats, norm_adj)
print("test", F.nll_loss(out[idx_test], labels[idx_test]).item())
