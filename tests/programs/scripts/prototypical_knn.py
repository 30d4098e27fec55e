"""Few-shot classification with a prototypical network (class prototypes as support means,
negative squared cdist as logits) trained episodically, then k-NN voting with topk, mode and
bincount, and a nearest-centroid check with argmin."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(17)
n_classes, dim = 5, 8
centers = torch.randn(n_classes, dim) * 2
data = centers.repeat_interleave(20, dim=0) + torch.randn(100, dim)
labels = torch.arange(n_classes).repeat_interleave(20)
encoder = nn.Sequential(nn.Linear(dim, 16), nn.ReLU(), nn.Linear(16, 16))
opt = torch.optim.Adam(encoder.parameters(), lr=1e-2)
for episode in range(12):
    classes = torch.randperm(n_classes)[:3]
    support, query, q_labels = [], [], []
    for k, c in enumerate(classes):
        idx = (labels == c).nonzero(as_tuple=True)[0]
        idx = idx[torch.randperm(len(idx))]
        support.append(data[idx[:4]])
        query.append(data[idx[4:9]])
        q_labels.append(torch.full((5,), k, dtype=torch.long))
    protos = torch.stack([encoder(s).mean(0) for s in support])
    q = encoder(torch.cat(query))
    logits = -torch.cdist(q, protos).pow(2)
    loss = F.cross_entropy(logits, torch.cat(q_labels))
    acc = (logits.argmax(1) == torch.cat(q_labels)).float().mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if not episode % 3:
        print(f"episode {episode} classes {classes.tolist()} loss {loss.item():.4f} "
              f"acc {acc.item():.3f}")
with torch.no_grad():
    emb = encoder(data)
    test = encoder(centers + 0.5 * torch.randn(n_classes, dim))
    dists = torch.cdist(test, emb, p=2.0)
    d, nn_idx = dists.topk(7, dim=1, largest=False)
    votes = labels[nn_idx]
    pred_mode = votes.mode(dim=1).values
    counts = torch.stack([torch.bincount(v, minlength=n_classes) for v in votes])
    print("knn", pred_mode.tolist(), counts.argmax(1).tolist(),
          [round(v, 3) for v in d[:, 0].tolist()])
    cents = torch.stack([emb[labels == c].mean(0) for c in range(n_classes)])
    print("centroid", torch.cdist(test, cents).argmin(dim=1).tolist(),
          torch.cdist(test, cents, p=1).argmin(dim=1).tolist())
