"""A BERT encoder written the way HuggingFace-style from-scratch code does it: word, position
and token-type embeddings with a registered position_ids buffer (persistent=False), the
extended attention mask `mask[:, None, None, :]` turned into `(1.0 - mask) * finfo(dtype).min`,
heads by view/permute, exact-erf GELU, a pooler over [CLS], an MLM head whose decoder weight
is tied to the word embeddings with its own bias, MLM loss with ignore_index=-100 and NSP."""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
V, D, H, L, T = 30, 32, 4, 2, 10
PAD, CLS, SEP, MASK = 0, 1, 2, 3


class Embeddings(nn.Module):
    def __init__(self):
        super().__init__()
        self.word_embeddings = nn.Embedding(V, D, padding_idx=PAD)
        self.position_embeddings = nn.Embedding(T, D)
        self.token_type_embeddings = nn.Embedding(2, D)
        self.LayerNorm = nn.LayerNorm(D, eps=1e-12)
        self.dropout = nn.Dropout(0.1)
        self.register_buffer("position_ids", torch.arange(T).expand((1, -1)), persistent=False)

    def forward(self, input_ids, token_type_ids):
        pos = self.position_ids[:, : input_ids.size(1)]
        e = self.word_embeddings(input_ids) + self.position_embeddings(pos)
        return self.dropout(self.LayerNorm(e + self.token_type_embeddings(token_type_ids)))


class SelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.query, self.key, self.value = nn.Linear(D, D), nn.Linear(D, D), nn.Linear(D, D)
        self.dense, self.LayerNorm = nn.Linear(D, D), nn.LayerNorm(D, eps=1e-12)

    def transpose_for_scores(self, x):
        return x.view(x.size()[:-1] + (H, D // H)).permute(0, 2, 1, 3)

    def forward(self, hidden, ext_mask):
        q = self.transpose_for_scores(self.query(hidden))
        k = self.transpose_for_scores(self.key(hidden))
        v = self.transpose_for_scores(self.value(hidden))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(D // H) + ext_mask
        probs = nn.functional.softmax(scores, dim=-1)
        ctx = torch.matmul(probs, v).permute(0, 2, 1, 3).contiguous()
        ctx = ctx.view(ctx.size()[:-2] + (D,))
        return self.LayerNorm(self.dense(ctx) + hidden), probs


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.attention = SelfAttention()
        self.intermediate = nn.Linear(D, 4 * D)
        self.output = nn.Linear(4 * D, D)
        self.norm = nn.LayerNorm(D, eps=1e-12)

    def forward(self, h, ext_mask):
        h, probs = self.attention(h, ext_mask)
        return self.norm(self.output(F.gelu(self.intermediate(h))) + h), probs


class BertForPreTraining(nn.Module):
    def __init__(self):
        super().__init__()
        self.embeddings = Embeddings()
        self.layers = nn.ModuleList(Layer() for _ in range(L))
        self.pooler = nn.Sequential(nn.Linear(D, D), nn.Tanh())
        self.transform = nn.Sequential(nn.Linear(D, D), nn.GELU(), nn.LayerNorm(D, eps=1e-12))
        self.decoder = nn.Linear(D, V, bias=False)
        self.bias = nn.Parameter(torch.zeros(V))
        self.decoder.weight = self.embeddings.word_embeddings.weight
        self.nsp = nn.Linear(D, 2)

    def forward(self, input_ids, token_type_ids, attention_mask):
        ext = attention_mask[:, None, None, :].to(dtype=torch.float32)
        ext = (1.0 - ext) * torch.finfo(torch.float32).min
        h = self.embeddings(input_ids, token_type_ids)
        for layer in self.layers:
            h, probs = layer(h, ext)
        mlm = self.decoder(self.transform(h)) + self.bias
        return mlm, self.nsp(self.pooler(h[:, 0])), probs


def make_example(g):
    a = torch.randint(4, V, (int(torch.randint(2, 4, (1,), generator=g)),), generator=g)
    b = torch.randint(4, V, (int(torch.randint(2, 4, (1,), generator=g)),), generator=g)
    ids = torch.cat([torch.tensor([CLS]), a, torch.tensor([SEP]), b, torch.tensor([SEP])])
    types = torch.cat(
        [torch.zeros(len(a) + 2, dtype=torch.long), torch.ones(len(b) + 1, dtype=torch.long)]
    )
    return ids, types, int(a.sum() > b.sum())


g = torch.Generator().manual_seed(1)
examples = [make_example(g) for _ in range(16)]
ids = torch.full((16, T), PAD)
types = torch.zeros(16, T, dtype=torch.long)
for i, (x, t, _) in enumerate(examples):
    ids[i, : len(x)], types[i, : len(t)] = x, t
attn = (ids != PAD).long()
nsp_labels = torch.tensor([e[2] for e in examples])
special = (ids == CLS) | (ids == SEP) | (ids == PAD)
pick = (torch.rand(ids.shape, generator=g) < 0.3) & ~special
labels = torch.where(pick, ids, torch.full_like(ids, -100))
masked = ids.masked_fill(pick, MASK)
print("masked tokens", int(pick.sum()), "mask row 0", attn[0].tolist())

model = BertForPreTraining()
print("tied", model.decoder.weight is model.embeddings.word_embeddings.weight)
print(
    "params",
    sum(p.numel() for p in model.parameters()),
    "buffers",
    list(model.state_dict().keys())[:2],
)
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
for step in range(25):
    mlm, nsp, probs = model(masked, types, attn)
    loss_mlm = F.cross_entropy(mlm.view(-1, V), labels.view(-1), ignore_index=-100)
    loss = loss_mlm + F.cross_entropy(nsp, nsp_labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 5 == 0:
        print(f"step {step}: mlm {loss_mlm.item():.4f} total {loss.item():.4f}")
model.train(False)
with torch.no_grad():
    mlm, nsp, probs = model(masked, types, attn)
print("attention on padding:", probs[0, :, :, attn[0] == 0].max().item())
print("probs row sums", probs.sum(-1)[0, 0, :4])
print("mlm acc", (mlm.argmax(-1)[pick] == ids[pick]).float().mean().item())
print("nsp", nsp.argmax(-1)[:8].tolist(), nsp_labels[:8].tolist())
print("padding row of embeddings", model.embeddings.word_embeddings.weight[PAD].abs().sum().item())
