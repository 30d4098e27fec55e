"""A custom Dataset of variable-length sentences with a collate_fn that pads and builds masks,
a Map-style Dataset wrapped in a DataLoader with a generator, masked mean pooling,
an LSTM language model with tied embedding and decoder weights, and gradient accumulation
over micro-batches with clip_grad_norm_ and a loss masked by the padding."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader, Dataset

torch.manual_seed(0)
PAD, BOS, EOS = 0, 1, 2
VOCAB = 20


class ToySentences(Dataset):
    def __init__(self, n):
        g = torch.Generator().manual_seed(3)
        self.items = []
        for _ in range(n):
            length = int(torch.randint(3, 9, (1,), generator=g))
            start = int(torch.randint(3, VOCAB, (1,), generator=g))
            body = [(start + i) % (VOCAB - 3) + 3 for i in range(length)]
            self.items.append(torch.tensor([BOS] + body + [EOS]))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i], len(self.items[i])


def collate(batch):
    seqs, lengths = zip(*batch, strict=True)
    padded = pad_sequence(seqs, batch_first=True, padding_value=PAD)
    mask = padded != PAD
    return padded, torch.tensor(lengths), mask


class TiedLM(nn.Module):
    def __init__(self, vocab, dim):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim, padding_idx=PAD)
        self.rnn = nn.LSTM(dim, dim, num_layers=2, batch_first=True)
        self.decoder = nn.Linear(dim, vocab)
        self.decoder.weight = self.embed.weight

    def forward(self, x, hidden=None):
        out, hidden = self.rnn(self.embed(x), hidden)
        return self.decoder(out), hidden


ds = ToySentences(48)
print(len(ds), ds[0])
loader = DataLoader(ds, batch_size=4, shuffle=True, collate_fn=collate,
                    generator=torch.Generator().manual_seed(0), drop_last=True)
padded, lengths, mask = next(iter(loader))
print(padded)
print(lengths, mask.sum(1))
model = TiedLM(VOCAB, 16)
print("tied:", model.decoder.weight is model.embed.weight,
      sum(p.numel() for p in model.parameters()), len(list(model.parameters())))
print(sorted(model.state_dict().keys())[:3])
emb = model.embed(padded)
pooled = (emb * mask.unsqueeze(-1)).sum(1) / mask.sum(1, keepdim=True)
print(pooled.shape, f"{pooled.norm():.4f}")

opt = torch.optim.Adam(model.parameters(), lr=5e-3)
accum = 3
for epoch in range(3):
    total_loss, total_tokens = 0.0, 0
    opt.zero_grad()
    for i, (batch, _lengths, _mask) in enumerate(loader):
        inp, tgt = batch[:, :-1], batch[:, 1:]
        logits, _ = model(inp)
        loss = F.cross_entropy(logits.reshape(-1, VOCAB), tgt.reshape(-1), ignore_index=PAD)
        (loss / accum).backward()
        ntok = (tgt != PAD).sum().item()
        total_loss += loss.item() * ntok
        total_tokens += ntok
        if (i + 1) % accum == 0:
            norm = nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            opt.zero_grad()
    print(f"epoch {epoch} ppl {math.exp(total_loss / total_tokens):.4f} norm {norm:.4f}")
print(model.embed.weight[PAD].abs().sum().item() == 0.0, model.embed.weight.grad is None)

model.eval()
with torch.no_grad():
    tok = torch.tensor([[BOS, 7]])
    logits, hidden = model(tok)
    out = [7]
    for _ in range(6):
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        out.append(nxt.item())
        logits, hidden = model(nxt, hidden)
    print("greedy", out, [h.shape for h in hidden])
    logits = model(padded[:, :-1])[0]
    per_tok = F.cross_entropy(logits.transpose(1, 2), padded[:, 1:], reduction="none")
    print(per_tok.shape, f"{(per_tok * mask[:, 1:]).sum() / mask[:, 1:].sum():.4f}")
