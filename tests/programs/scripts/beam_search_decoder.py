"""Beam search over a trained GRU decoder: log-softmax scores accumulated per hypothesis,
topk over the flattened beam-by-vocabulary scores, index arithmetic with floor division and
remainder to recover (beam, token), hidden states reordered with index_select, finished
hypotheses with length normalisation, compared with greedy decoding."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(167)
V, H, BOS, EOS = 8, 24, 0, 1
seqs = torch.randint(2, V, (40, 5))
seqs[:, 1::2] = (seqs[:, ::2][:, :2] + 1) % (V - 2) + 2


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, H)
        self.gru = nn.GRU(H, H, batch_first=True)
        self.out = nn.Linear(H, V)

    def forward(self, tokens, h=None):
        o, h = self.gru(self.emb(tokens), h)
        return self.out(o), h


dec = Decoder()
opt = torch.optim.Adam(dec.parameters(), lr=1e-2)
inp = torch.cat([torch.full((40, 1), BOS), seqs], 1)
tgt = torch.cat([seqs, torch.full((40, 1), EOS)], 1)
for _ in range(25):
    logits, _ = dec(inp)
    loss = F.cross_entropy(logits.reshape(-1, V), tgt.reshape(-1))
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(dec.parameters(), 1.0)
    opt.step()
print(f"train loss {loss.item():.4f}")


@torch.no_grad()
def beam_search(width=3, max_len=7, alpha=0.7):
    tokens = torch.full((1, 1), BOS)
    scores = torch.zeros(1)
    h = None
    finished = []
    for _ in range(max_len):
        logits, h = dec(tokens[:, -1:], h)
        logp = F.log_softmax(logits[:, -1], dim=-1) + scores.unsqueeze(1)
        top, idx = logp.view(-1).topk(width)
        beam = torch.div(idx, V, rounding_mode="floor")
        tok = idx % V
        tokens = torch.cat([tokens.index_select(0, beam), tok.unsqueeze(1)], dim=1)
        h = h.index_select(1, beam)
        scores = top
        done = tok == EOS
        for k in done.nonzero().flatten().tolist():
            length = tokens.shape[1] - 1
            finished.append((scores[k].item() / length ** alpha, tokens[k, 1:].tolist()))
        scores = scores.masked_fill(done, float("-inf"))
        if len(finished) >= width:
            break
    finished.sort(key=lambda f: -f[0])
    return finished[:width]


@torch.no_grad()
def greedy(max_len=7):
    tokens, h, out = torch.full((1, 1), BOS), None, []
    for _ in range(max_len):
        logits, h = dec(tokens, h)
        tokens = logits[:, -1].argmax(-1, keepdim=True)
        out.append(tokens.item())
        if out[-1] == EOS:
            break
    return out


for score, hyp in beam_search():
    print(f"beam {score:.4f} {hyp}")
print("greedy", greedy())
