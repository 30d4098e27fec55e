"""A recommender in the style of neural collaborative filtering notebooks: user/item
embeddings with biases, a BPR pairwise loss with logsigmoid and negative sampling that avoids
seen items (torch.isin), an NCF MLP tower, and leave-one-out evaluation with hit ratio and
NDCG@k computed from topk ranks."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
n_users, n_items, k = 30, 40, 8
taste = torch.randn(n_users, 4)
feat = torch.randn(n_items, 4)
affinity = taste @ feat.T + 0.3 * torch.randn(n_users, n_items)
interactions = affinity > affinity.quantile(0.8, dim=1, keepdim=True)
print("interactions", interactions.sum().item(), interactions.float().mean(1)[:4])
users, items = interactions.nonzero(as_tuple=True)
test_item = torch.stack([interactions[u].nonzero().squeeze(1)[-1] for u in range(n_users)])
train_mask = interactions.clone()
train_mask[torch.arange(n_users), test_item] = False
users, items = train_mask.nonzero(as_tuple=True)
print("train pairs", users.numel(), "test", test_item[:6].tolist())


class MF(nn.Module):
    def __init__(self, nu, ni, dim):
        super().__init__()
        self.user = nn.Embedding(nu, dim)
        self.item = nn.Embedding(ni, dim)
        self.user_bias = nn.Embedding(nu, 1)
        self.item_bias = nn.Embedding(ni, 1)
        for emb in (self.user, self.item):
            nn.init.normal_(emb.weight, std=0.1)
        nn.init.zeros_(self.user_bias.weight)
        nn.init.zeros_(self.item_bias.weight)

    def forward(self, u, i):
        dot = (self.user(u) * self.item(i)).sum(-1)
        return dot + self.user_bias(u).squeeze(-1) + self.item_bias(i).squeeze(-1)

    def all_scores(self, u):
        return self.user(u) @ self.item.weight.T + self.item_bias.weight.T + self.user_bias(u)


class NCF(nn.Module):
    def __init__(self, nu, ni, dim):
        super().__init__()
        self.user = nn.Embedding(nu, dim)
        self.item = nn.Embedding(ni, dim)
        self.mlp = nn.Sequential(nn.Linear(2 * dim, 16), nn.ReLU(), nn.Linear(16, 8), nn.ReLU())
        self.out = nn.Linear(8 + dim, 1)

    def forward(self, u, i):
        pu, qi = self.user(u), self.item(i)
        h = torch.cat([self.mlp(torch.cat([pu, qi], -1)), pu * qi], -1)
        return self.out(h).squeeze(-1)

    def all_scores(self, u):
        uu = u.repeat_interleave(n_items)
        ii = torch.arange(n_items).repeat(u.numel())
        return self(uu, ii).view(u.numel(), n_items)


def sample_negatives(u):
    neg = torch.randint(0, n_items, (u.numel(),))
    for _ in range(5):
        bad = train_mask[u, neg]
        if not bad.any():
            break
        neg[bad] = torch.randint(0, n_items, (int(bad.sum()),))
    return neg


def evaluate(model, topk=10):
    with torch.no_grad():
        scores = model.all_scores(torch.arange(n_users))
        scores = scores.masked_fill(train_mask, float("-inf"))
        _, top = scores.topk(topk, dim=1)
        hits = (top == test_item[:, None])
        hr = hits.any(1).float().mean()
        rank = hits.float().argmax(1)
        ndcg = torch.where(hits.any(1), 1.0 / torch.log2(rank.float() + 2), torch.zeros(())).mean()
        in_top = torch.isin(test_item, top[:, :5])
    return hr.item(), ndcg.item(), in_top.sum().item()


for name, model in [("mf", MF(n_users, n_items, k)), ("ncf", NCF(n_users, n_items, k))]:
    opt = torch.optim.Adam(model.parameters(), lr=0.02, weight_decay=1e-5)
    for epoch in range(15):
        perm = torch.randperm(users.numel())
        total = 0.0
        for b in perm.split(64):
            u, i = users[b], items[b]
            j = sample_negatives(u)
            loss = -F.logsigmoid(model(u, i) - model(u, j)).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * b.numel()
        if epoch % 5 == 4:
            hr, ndcg, top5 = evaluate(model)
            print(f"{name} epoch {epoch} bpr {total / users.numel():.4f} HR@10 {hr:.4f} "
                  f"NDCG@10 {ndcg:.4f} top5 {top5}")
print(torch.isin(torch.tensor([1, 5, 7]), torch.tensor([5, 6, 7]), invert=True))
print(F.logsigmoid(torch.tensor([-100.0, 0.0, 30.0])), F.softplus(torch.tensor([-100.0, 40.0])))
print(torch.quantile(torch.arange(10.0), torch.tensor([0.25, 0.5]), interpolation="nearest"))
