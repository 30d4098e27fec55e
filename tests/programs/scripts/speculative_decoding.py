"""Speculative decoding with a small draft model and a larger target model, as in the DeepMind /
Leviathan papers' reference loops: the draft proposes gamma tokens autoregressively, the
target scores them in one forward, each proposal is accepted with probability
min(1, p/q) using torch.rand(generator=...), on rejection a token is drawn from the residual
(p - q).clamp(min=0) renormalised, and a bonus token comes from the target when all pass.
Checks the acceptance bookkeeping and the outputs' distribution against plain sampling."""

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(99)
V = 12


class LM(nn.Module):
    def __init__(self, d, layers):
        super().__init__()
        self.emb = nn.Embedding(V, d)
        self.rnn = nn.LSTM(d, d, num_layers=layers, batch_first=True)
        self.out = nn.Linear(d, V)

    def forward(self, ids):
        return self.out(self.rnn(self.emb(ids))[0])


data = torch.arange(48).remainder(V).view(4, 12)
data = (data + torch.randint(0, 2, data.shape)) % V


def train(model, steps, lr):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(steps):
        loss = F.cross_entropy(model(data[:, :-1]).reshape(-1, V), data[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()


target, draft = LM(32, 2), LM(8, 1)
print(f"target loss {train(target, 60, 1e-2):.4f}, draft loss {train(draft, 80, 2e-2):.4f}")
target.eval()
draft.eval()


def norm_logits(logits, temperature):
    return F.softmax(logits / temperature, dim=-1)


@torch.no_grad()
def speculative_generate(prefix, max_len, gamma, temperature, g):
    seq = prefix.clone()
    accepted = rejected = 0
    while seq.size(1) < max_len:
        start = seq.size(1)
        draft_seq = seq
        qs = []
        for _ in range(gamma):
            q = norm_logits(draft(draft_seq)[:, -1], temperature)
            qs.append(q)
            tok = torch.multinomial(q, 1, generator=g)
            draft_seq = torch.cat([draft_seq, tok], dim=1)
        p_all = norm_logits(target(draft_seq), temperature)
        all_ok = True
        for i in range(gamma):
            tok = draft_seq[:, start + i]
            p, q = p_all[:, start + i - 1], qs[i]
            r = torch.rand(1, generator=g)
            if r < torch.minimum(torch.ones(1), p[0, tok] / q[0, tok]):
                accepted += 1
            else:
                residual = (p - q).clamp(min=0)
                residual = residual / residual.sum(dim=-1, keepdim=True)
                fix = torch.multinomial(residual, 1, generator=g)
                seq = torch.cat([draft_seq[:, : start + i], fix], dim=1)
                rejected += 1
                all_ok = False
                break
        if all_ok:
            bonus = torch.multinomial(p_all[:, -1], 1, generator=g)
            seq = torch.cat([draft_seq, bonus], dim=1)
    return seq[:, :max_len], accepted, rejected


@torch.no_grad()
def plain_generate(prefix, max_len, temperature, g):
    seq = prefix.clone()
    while seq.size(1) < max_len:
        p = norm_logits(target(seq)[:, -1], temperature)
        seq = torch.cat([seq, torch.multinomial(p, 1, generator=g)], dim=1)
    return seq


prefix = torch.tensor([[3, 4]])
g = torch.Generator().manual_seed(7)
out, acc, rej = speculative_generate(prefix, 14, gamma=3, temperature=1.0, g=g)
print(
    "speculative:", out[0].tolist(), f"accepted {acc} rejected {rej} rate {acc / (acc + rej):.3f}"
)
print("plain:      ", plain_generate(prefix, 14, 1.0, torch.Generator().manual_seed(7))[0].tolist())

counts_spec = torch.zeros(V)
counts_plain = torch.zeros(V)
g1, g2 = torch.Generator().manual_seed(1), torch.Generator().manual_seed(2)
for _trial in range(40):
    s, _, _ = speculative_generate(prefix, 4, gamma=2, temperature=2.0, g=g1)
    counts_spec[s[0, 3]] += 1
    counts_plain[plain_generate(prefix, 4, 2.0, g2)[0, 3]] += 1
print("spec 4th-token counts ", counts_spec.long().tolist())
print("plain 4th-token counts", counts_plain.long().tolist())
tv = 0.5 * (counts_spec / 40 - counts_plain / 40).abs().sum()
print(f"total variation between the empirical distributions {tv.item():.3f}")
