"""A GRU encoder and an attention decoder on a toy reversal task (translation-tutorial style)."""
import random

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import optim

random.seed(0)
torch.manual_seed(0)
SOS, EOS, V, H, MAXLEN = 0, 1, 12, 32, 7


class EncoderRNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(V, H)
        self.gru = nn.GRU(H, H, batch_first=True)

    def forward(self, x):
        return self.gru(self.embedding(x))


class BahdanauAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.Wa, self.Ua, self.Va = nn.Linear(H, H), nn.Linear(H, H), nn.Linear(H, 1)

    def forward(self, query, keys):
        scores = self.Va(torch.tanh(self.Wa(query) + self.Ua(keys)))
        scores = scores.squeeze(2).unsqueeze(1)
        weights = F.softmax(scores, dim=-1)
        return torch.bmm(weights, keys), weights


class AttnDecoderRNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(V, H)
        self.attention = BahdanauAttention()
        self.gru = nn.GRU(2 * H, H, batch_first=True)
        self.out = nn.Linear(H, V)

    def forward(self, enc_out, hidden, target=None):
        b = enc_out.size(0)
        inp = torch.empty(b, 1, dtype=torch.long).fill_(SOS)
        outs = []
        for i in range(MAXLEN):
            emb = self.embedding(inp)
            ctx, _ = self.attention(hidden.permute(1, 0, 2), enc_out)
            o, hidden = self.gru(torch.cat((emb, ctx), dim=2), hidden)
            o = self.out(o)
            outs.append(o)
            if target is not None and random.random() < 0.5:
                inp = target[:, i].unsqueeze(1)
            else:
                _, topi = o.topk(1)
                inp = topi.squeeze(-1).detach()
        return F.log_softmax(torch.cat(outs, dim=1), dim=-1), hidden


def batch(n):
    xs = torch.randint(2, V, (n, MAXLEN - 1))
    ys = torch.cat([xs.flip(1), torch.full((n, 1), EOS)], dim=1)
    return torch.cat([xs, torch.full((n, 1), EOS)], dim=1), ys


enc, dec = EncoderRNN(), AttnDecoderRNN()
eo, do = optim.Adam(enc.parameters(), lr=3e-3), optim.Adam(dec.parameters(), lr=3e-3)
crit = nn.NLLLoss()
for it in range(25):
    x, y = batch(16)
    eo.zero_grad(), do.zero_grad()
    enc_out, h = enc(x)
    logp, _ = dec(enc_out, h, y)
    loss = crit(logp.view(-1, V), y.view(-1))
    loss.backward()
    eo.step(), do.step()
    if it % 5 == 0:
        print(f"iter {it} loss {loss.item():.4f}")
with torch.no_grad():
    x, y = batch(2)
    logp, _ = dec(*enc(x))
    print(x.tolist(), logp.argmax(-1).tolist())
