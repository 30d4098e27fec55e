"""Learning to rank as in ranking tutorials: a scorer over query-document features trained
with RankNet's pairwise loss (pairwise differences by broadcasting, sign, triu mask),
ListNet's top-one cross entropy, and a LambdaRank-style weight from NDCG swaps; evaluated
with NDCG@k via sort, gather and a log2 discount."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
Q, D, Fdim = 20, 8, 6
X = torch.randn(Q, D, Fdim)
w_true = torch.randn(Fdim)
rel = (X @ w_true + 0.5 * torch.randn(Q, D))
labels = torch.bucketize(rel, torch.tensor([-1.0, 0.0, 1.0]))
print(labels[0], torch.bincount(labels.flatten()))


def dcg(gains, k):
    disc = 1.0 / torch.log2(torch.arange(2, gains.shape[-1] + 2, dtype=torch.float32))
    return ((2 ** gains.float() - 1) * disc)[..., :k].sum(-1)


def ndcg_at_k(scores, labels, k=5):
    order = scores.argsort(dim=-1, descending=True)
    ranked = labels.gather(-1, order)
    ideal = labels.sort(dim=-1, descending=True).values
    idcg = dcg(ideal, k)
    return (dcg(ranked, k) / idcg.clamp(min=1e-9)).mean()


def ranknet_loss(s, y):
    diff = s.unsqueeze(-1) - s.unsqueeze(-2)
    target = (torch.sign(y.unsqueeze(-1) - y.unsqueeze(-2)) + 1) / 2
    mask = (y.unsqueeze(-1) != y.unsqueeze(-2)) & torch.ones(D, D, dtype=torch.bool).triu(1)
    return F.binary_cross_entropy_with_logits(diff[mask], target[mask])


def listnet_loss(s, y):
    return -(F.softmax(y.float(), dim=-1) * F.log_softmax(s, dim=-1)).sum(-1).mean()


def lambda_weights(s, y):
    with torch.no_grad():
        order = s.argsort(-1, descending=True)
        rank = order.argsort(-1).float()
        disc = 1.0 / torch.log2(rank + 2)
        gain = 2 ** y.float() - 1
        idcg = dcg(y.sort(-1, descending=True).values, D).unsqueeze(-1).unsqueeze(-1)
        delta = (gain.unsqueeze(-1) - gain.unsqueeze(-2)).abs() * \
            (disc.unsqueeze(-1) - disc.unsqueeze(-2)).abs() / idcg
    return delta


def lambdarank_loss(s, y):
    diff = s.unsqueeze(-1) - s.unsqueeze(-2)
    better = (y.unsqueeze(-1) > y.unsqueeze(-2)).float()
    w = lambda_weights(s, y)
    return (w * better * F.softplus(-diff)).sum() / better.sum()


for name, loss_fn in [("ranknet", ranknet_loss), ("listnet", listnet_loss),
                      ("lambdarank", lambdarank_loss)]:
    torch.manual_seed(1)
    scorer = nn.Sequential(nn.Linear(Fdim, 16), nn.ReLU(), nn.Linear(16, 1))
    opt = torch.optim.Adam(scorer.parameters(), lr=1e-2)
    print(f"{name} start ndcg@5 {ndcg_at_k(scorer(X).squeeze(-1).detach(), labels):.4f}")
    for _epoch in range(30):
        s = scorer(X).squeeze(-1)
        loss = loss_fn(s, labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        s = scorer(X).squeeze(-1)
        print(f"{name} loss {loss.item():.4f} ndcg@5 {ndcg_at_k(s, labels):.4f} "
              f"ndcg@3 {ndcg_at_k(s, labels, 3):.4f}")
print(torch.sign(torch.tensor([-2.0, 0.0, 3.0])), torch.sgn(torch.tensor([-0.5, 0.0])))
print(torch.sort(torch.tensor([3, 1, 2, 1]), stable=True),
      torch.msort(torch.tensor([[2, 1], [0, 3]])))
