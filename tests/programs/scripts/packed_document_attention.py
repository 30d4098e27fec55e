"""Sequence packing for pretraining: several documents concatenated into one row separated by an
EOS token, document ids from a cumulative sum of the separators, a block-diagonal causal mask
built by broadcasting (doc[:, :, None] == doc[:, None, :]) & tril, position ids restarting at
every document (arange minus the cummax of the start positions), attention through
scaled_dot_product_attention with a boolean attn_mask, and a check that a packed document
gets the same logits as that document alone."""

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(2024)
V, D, H, EOS = 24, 32, 4, 0


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.qkv = nn.Linear(D, 3 * D, bias=False)
        self.proj = nn.Linear(D, D, bias=False)

    def forward(self, x, mask):
        B, T, _ = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, H, D // H).permute(2, 0, 3, 1, 4).unbind(0)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask[:, None])
        return self.proj(y.transpose(1, 2).reshape(B, T, D))


class PackedLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = nn.Embedding(V, D)
        self.pos = nn.Embedding(32, D)
        self.blocks = nn.ModuleList([Attention() for _ in range(2)])
        self.norms = nn.ModuleList([nn.RMSNorm(D) for _ in range(2)])
        self.head = nn.Linear(D, V, bias=False)

    def forward(self, idx, doc_ids, pos_ids):
        T = idx.size(1)
        causal = torch.ones(T, T, dtype=torch.bool).tril()
        mask = (doc_ids[:, :, None] == doc_ids[:, None, :]) & causal
        x = self.tok(idx) + self.pos(pos_ids)
        for norm, blk in zip(self.norms, self.blocks, strict=False):
            x = x + blk(norm(x), mask)
        return self.head(x)


def pack(docs, T):
    flat = torch.cat([torch.cat([d, torch.tensor([EOS])]) for d in docs])
    rows = flat[: (len(flat) // T) * T].view(-1, T)
    is_start = torch.zeros_like(rows, dtype=torch.bool)
    is_start[:, 0] = True
    is_start[:, 1:] = rows[:, :-1] == EOS
    doc_ids = is_start.long().cumsum(dim=1) - 1
    idx = torch.arange(T).expand_as(rows)
    start_pos = torch.where(is_start, idx, torch.zeros_like(idx)).cummax(dim=1).values
    return rows, doc_ids, idx - start_pos


g = torch.Generator().manual_seed(0)
docs = [
    torch.randint(1, V, (int(n),), generator=g) for n in torch.randint(3, 9, (12,), generator=g)
]
rows, doc_ids, pos_ids = pack(docs, 16)
print("rows", tuple(rows.shape), "docs per row", (doc_ids.max(dim=1).values + 1).tolist())
print("row 0", rows[0].tolist())
print("doc 0", doc_ids[0].tolist())
print("pos 0", pos_ids[0].tolist())
mask = (doc_ids[0][:, None] == doc_ids[0][None, :]) & torch.ones(16, 16, dtype=torch.bool).tril()
print("mask row 7:", mask[7].int().tolist(), "allowed pairs", int(mask.sum()))

model = PackedLM()
targets = torch.roll(rows, -1, dims=1)
targets[:, -1] = -100
targets = targets.masked_fill(rows == EOS, -100)  # no prediction across a document boundary
opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
for step in range(20):
    logits = model(rows, doc_ids, pos_ids)
    loss = F.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    opt.step()
    n_targets = (targets != -100).sum().item()
    print(
        f"step {step}: loss {loss.item():.4f} over {n_targets} targets"
    ) if step % 5 == 0 else None

with torch.no_grad():
    packed = model(rows, doc_ids, pos_ids)
    r, d = (
        0,
        int(doc_ids[0, -1]),
    )  # the last document that starts in row 0 may be cut: take the one before
    sel = doc_ids[r] == d - 1
    alone_ids = rows[r][sel][None]
    n = alone_ids.size(1)
    alone = model(alone_ids, torch.zeros(1, n, dtype=torch.long), torch.arange(n)[None])
    print(
        "document",
        d - 1,
        "length",
        n,
        "same logits alone:",
        torch.allclose(packed[r][sel], alone[0], atol=1e-5),
    )
    print("max diff below 1e-5:", (packed[r][sel] - alone[0]).abs().max().item() < 1e-5)
