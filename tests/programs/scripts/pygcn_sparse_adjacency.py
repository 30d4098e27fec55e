"""pygcn (Kipf & Welling, semi-supervised node classification) on a synthetic two-community
citation graph: the row-normalized adjacency with self-loops is a sparse COO tensor built from
an edge list with sparse_coo_tensor, propagated with torch.spmm; features row-normalized,
Adam with weight decay, dropout, train/val/test masks, the best-validation weights kept."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(11)
n_nodes, n_feats, n_classes = 40, 12, 2
labels = torch.cat([torch.zeros(20, dtype=torch.long), torch.ones(20, dtype=torch.long)])
edges = set()
for a in range(n_nodes):
    for b in range(a + 1, n_nodes):
        same = bool(labels[a] == labels[b])
        if torch.rand(()).item() < (0.25 if same else 0.03):
            edges.add((a, b))
            edges.add((b, a))
edges.update((i, i) for i in range(n_nodes))  # self-loops: A + I
edge_index = torch.tensor(sorted(edges)).t()
print("edges", edge_index.shape[1])

# Row normalization D^-1 (A + I), as pygcn's normalize(): one value per stored entry.
ones = torch.ones(edge_index.shape[1])
raw = torch.sparse_coo_tensor(edge_index, ones, (n_nodes, n_nodes), check_invariants=True)
degree = torch.sparse.sum(raw, dim=1).to_dense()
adj = torch.sparse_coo_tensor(edge_index, 1.0 / degree[edge_index[0]], (n_nodes, n_nodes),
                              check_invariants=True)
adj = adj.coalesce()
print(adj.is_sparse, adj.layout, adj._nnz(), adj.shape)
print("row sums", torch.sparse.sum(adj, dim=1).to_dense()[:4])

centers = torch.randn(n_classes, n_feats)
features = (centers[labels] + torch.randn(n_nodes, n_feats)).relu()
features = features / features.sum(1, keepdim=True).clamp(min=1e-12)
idx_train = torch.cat([torch.arange(0, 6), torch.arange(20, 26)])
idx_val = torch.cat([torch.arange(6, 12), torch.arange(26, 32)])
idx_test = torch.cat([torch.arange(12, 20), torch.arange(32, 40)])


class GraphConvolution(nn.Module):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(in_features, out_features))
        self.bias = nn.Parameter(torch.empty(out_features)) if bias else None
        self.reset_parameters()

    def reset_parameters(self):
        stdv = 1.0 / math.sqrt(self.weight.size(1))
        self.weight.data.uniform_(-stdv, stdv)
        if self.bias is not None:
            self.bias.data.uniform_(-stdv, stdv)

    def forward(self, x, adj):
        support = torch.mm(x, self.weight)
        output = torch.spmm(adj, support)
        return output + self.bias if self.bias is not None else output

    def __repr__(self):
        return f"{self.__class__.__name__} ({self.weight.shape[0]} -> {self.weight.shape[1]})"


class GCN(nn.Module):
    def __init__(self, nfeat, nhid, nclass, dropout):
        super().__init__()
        self.gc1 = GraphConvolution(nfeat, nhid)
        self.gc2 = GraphConvolution(nhid, nclass)
        self.dropout = dropout

    def forward(self, x, adj):
        x = F.relu(self.gc1(x, adj))
        x = F.dropout(x, self.dropout, training=self.training)
        return F.log_softmax(self.gc2(x, adj), dim=1)


def accuracy(output, target):
    preds = output.max(1)[1].type_as(target)
    return preds.eq(target).double().sum() / len(target)


model = GCN(n_feats, 16, n_classes, dropout=0.5)
print(model)
optimizer = torch.optim.Adam(model.parameters(), lr=0.05, weight_decay=5e-4)
best_val, best_state = float("inf"), None
for epoch in range(30):
    model.train()
    optimizer.zero_grad()
    output = model(features, adj)
    loss_train = F.nll_loss(output[idx_train], labels[idx_train])
    acc_train = accuracy(output[idx_train], labels[idx_train])
    loss_train.backward()
    optimizer.step()
    model.eval()
    with torch.no_grad():
        output = model(features, adj)
    loss_val = F.nll_loss(output[idx_val], labels[idx_val])
    if loss_val.item() < best_val:
        best_val = loss_val.item()
        best_state = {k: v.clone() for k, v in model.state_dict().items()}
    if epoch % 5 == 0:
        print(f"Epoch: {epoch + 1:04d} loss_train: {loss_train.item():.4f} "
              f"acc_train: {acc_train.item():.4f} loss_val: {loss_val.item():.4f} "
              f"acc_val: {accuracy(output[idx_val], labels[idx_val]).item():.4f}")

model.load_state_dict(best_state)
model.eval()
output = model(features, adj)
print(f"Test set results: loss= {F.nll_loss(output[idx_test], labels[idx_test]).item():.4f} "
      f"accuracy= {accuracy(output[idx_test], labels[idx_test]).item():.4f}")
# The sparse product's gradient reaches the dense operand: one step's first-layer gradient.
model.zero_grad()
F.nll_loss(model(features, adj)[idx_train], labels[idx_train]).backward()
print("grad norm", model.gc1.weight.grad.norm().item())
