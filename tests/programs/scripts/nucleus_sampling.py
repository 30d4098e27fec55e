"""Text generation from a tiny trained character LSTM with the decoding tricks of GPT-style
sampling code: temperature, top-k, top-p (nucleus) filtering with sort/cumsum/scatter, a
repetition penalty with gather/scatter, and greedy decoding with torch.no_grad."""

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
text = "the quick brown fox jumps over the lazy dog. " * 8
vocab = sorted(set(text))
stoi = {c: i for i, c in enumerate(vocab)}
data = torch.tensor([stoi[c] for c in text], dtype=torch.long)


class CharLSTM(nn.Module):
    """Embedding, a two-layer LSTM, a layer norm and an output tied to the embedding."""

    def __init__(self, v, d=24):
        super().__init__()
        self.emb = nn.Embedding(v, d)
        self.rnn = nn.LSTM(d, d, num_layers=2, batch_first=True)
        self.norm = nn.LayerNorm(d)

    def forward(self, idx, state=None):
        out, state = self.rnn(self.emb(idx), state)
        return self.norm(out) @ self.emb.weight.t(), state


model = CharLSTM(len(vocab))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
for step in range(30):
    ix = torch.randint(0, len(data) - 17, (8,))
    x = torch.stack([data[i:i + 16] for i in ix])
    y = torch.stack([data[i + 1:i + 17] for i in ix])
    logits, _ = model(x)
    loss = F.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    if step % 10 == 0:
        print(f"step {step} loss {loss.item():.4f}")


def top_k_top_p_filter(logits, top_k=0, top_p=1.0, filter_value=-float("inf")):
    if top_k > 0:
        kth = torch.topk(logits, top_k)[0][..., -1, None]
        logits = logits.masked_fill(logits < kth, filter_value)
    if top_p < 1.0:
        sorted_logits, sorted_indices = torch.sort(logits, descending=True)
        cumulative = torch.cumsum(F.softmax(sorted_logits, dim=-1), dim=-1)
        remove = cumulative > top_p
        remove[..., 1:] = remove[..., :-1].clone()
        remove[..., 0] = False
        to_remove = remove.scatter(1, sorted_indices, remove)
        logits = logits.masked_fill(to_remove, filter_value)
    return logits


@torch.no_grad()
def generate(prompt, n, temperature=1.0, top_k=0, top_p=1.0, penalty=1.0, greedy=False):
    idx = torch.tensor([[stoi[c] for c in prompt]])
    logits, state = model(idx)
    out = list(prompt)
    seen = idx.clone()
    for _ in range(n):
        last = logits[:, -1, :] / temperature
        if penalty != 1.0:
            score = torch.gather(last, 1, seen)
            score = torch.where(score < 0, score * penalty, score / penalty)
            last = last.scatter(1, seen, score)
        last = top_k_top_p_filter(last, top_k=top_k, top_p=top_p)
        probs = F.softmax(last, dim=-1)
        nxt = probs.argmax(dim=-1, keepdim=True) if greedy else torch.multinomial(probs, 1)
        out.append(vocab[nxt.item()])
        seen = torch.cat([seen, nxt], dim=1)
        logits, state = model(nxt, state)
    return "".join(out)


print(repr(generate("the ", 20, greedy=True)))
print(repr(generate("the ", 20, temperature=0.8, top_k=5)))
print(repr(generate("the ", 20, top_p=0.9)))
print(repr(generate("the ", 20, top_k=8, top_p=0.8, penalty=1.3)))
probs = F.softmax(top_k_top_p_filter(torch.randn(2, 10), top_k=3, top_p=0.7), -1)
print(probs.round(decimals=4))
print((probs > 0).sum(dim=-1))
