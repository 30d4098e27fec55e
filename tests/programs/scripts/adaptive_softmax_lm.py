"""A word-level language model with an adaptive softmax head, as large-vocabulary LMs use it:
words are ranked by frequency so frequent ones fall in the head's shortlist and rare ones in
tail clusters (AdaptiveLogSoftmaxWithLoss with cutoffs and div_value), over an LSTM. Trains
with Adam and gradient clipping, then prints perplexity, the full log_prob normalization,
greedy predictions and a short greedy continuation."""
import math
from collections import Counter

import torch
import torch.nn as nn

torch.manual_seed(5)

TEXT = """the quick fox jumps over the lazy dog while the old cat sleeps near the warm fire
and a small bird sings above the quiet river where the fox drinks cold water
before the dog wakes and the cat runs into the dark forest of tall green trees"""
words = TEXT.split()
corpus = words * 4
counts = Counter(corpus)
vocab = [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
index = {w: i for i, w in enumerate(vocab)}
ids = torch.tensor([index[w] for w in corpus])
n_vocab = len(vocab)
print("vocabulary", n_vocab, "most frequent", vocab[:3])


class AdaptiveLM(nn.Module):
    def __init__(self, n_vocab, dim=32, hidden=48):
        super().__init__()
        self.embed = nn.Embedding(n_vocab, dim)
        self.rnn = nn.LSTM(dim, hidden, batch_first=True)
        self.asm = nn.AdaptiveLogSoftmaxWithLoss(hidden, n_vocab, cutoffs=[4, 12],
                                                 div_value=2.0)

    def features(self, tokens, state=None):
        out, state = self.rnn(self.embed(tokens), state)
        return out.reshape(-1, out.size(-1)), state

    def forward(self, tokens, targets):
        feats, _ = self.features(tokens)
        return self.asm(feats, targets.reshape(-1))


model = AdaptiveLM(n_vocab)
print(model.asm)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
seq = 12
starts = torch.arange(0, ids.numel() - seq - 1, seq)
inputs = torch.stack([ids[s:s + seq] for s in starts.tolist()])
targets = torch.stack([ids[s + 1:s + seq + 1] for s in starts.tolist()])

for epoch in range(8):
    result = model(inputs, targets)
    optimizer.zero_grad()
    result.loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    if epoch % 2 == 1:
        loss = result.loss.item()
        print(f"epoch {epoch} loss {loss:.4f} ppl {math.exp(loss):.2f}")

model.eval()
with torch.no_grad():
    feats, _ = model.features(inputs[:2])
    log_probs = model.asm.log_prob(feats)
    print("log_prob rows sum to", [round(v, 4) for v in log_probs.exp().sum(1)[:4].tolist()])
    guesses = model.asm.predict(feats)
    truth = targets[:2].reshape(-1)
    print(f"greedy accuracy {(guesses == truth).float().mean().item():.3f}")
    token, state, generated = ids[:1].view(1, 1), None, []
    for _ in range(8):
        feat, state = model.features(token, state)
        token = model.asm.predict(feat).view(1, 1)
        generated.append(vocab[token.item()])
    print("continuation:", " ".join(generated))
