"""A sequence-to-sequence reverser as NLP course assignments write it: a bidirectional GRU
encoder over packed, unsorted variable-length batches (enforce_sorted=False, total_length),
final states of both directions joined through h_n.view(layers, 2, batch, hidden), a
Luong-attention GRU decoder with masked scores, teacher forcing decayed by scheduled
sampling drawn with torch.bernoulli, a loss masked by target lengths, and greedy decoding
scored by exact-match and token accuracy."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

torch.manual_seed(0)
PAD, SOS, EOS, V = 0, 1, 2, 12


def make_batch(n, g):
    lengths = torch.randint(3, 8, (n,), generator=g)
    T = int(lengths.max())
    src = torch.full((n, T), PAD)
    tgt = torch.full((n, T + 1), PAD)
    for i, L in enumerate(lengths.tolist()):
        seq = torch.randint(3, V, (L,), generator=g)
        src[i, :L] = seq
        tgt[i, :L] = seq.flip(0)
        tgt[i, L] = EOS
    return src, lengths, tgt


class Encoder(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.emb = nn.Embedding(V, hidden, padding_idx=PAD)
        self.rnn = nn.GRU(hidden, hidden, num_layers=2, batch_first=True, bidirectional=True)
        self.bridge = nn.Linear(2 * hidden, hidden)

    def forward(self, src, lengths):
        packed = pack_padded_sequence(self.emb(src), lengths, batch_first=True,
                                      enforce_sorted=False)
        out, h_n = self.rnn(packed)
        out, out_lens = pad_packed_sequence(out, batch_first=True, total_length=src.shape[1])
        h = h_n.view(2, 2, src.shape[0], -1)[-1]
        h = torch.tanh(self.bridge(torch.cat([h[0], h[1]], dim=-1)))
        return out, h.unsqueeze(0), out_lens


class Decoder(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.emb = nn.Embedding(V, hidden, padding_idx=PAD)
        self.rnn = nn.GRU(hidden, hidden, batch_first=True)
        self.attn = nn.Linear(2 * hidden, hidden, bias=False)
        self.out = nn.Linear(3 * hidden, V)

    def forward(self, tok, h, enc_out, src_mask):
        o, h = self.rnn(self.emb(tok).unsqueeze(1), h)
        scores = torch.bmm(self.attn(enc_out), o.transpose(1, 2)).squeeze(2)
        scores = scores.masked_fill(~src_mask, float("-inf"))
        alpha = F.softmax(scores, dim=1)
        ctx = (alpha.unsqueeze(2) * enc_out).sum(1)
        return self.out(torch.cat([o.squeeze(1), ctx], -1)), h, alpha


enc, dec = Encoder(24), Decoder(24)
params = list(enc.parameters()) + list(dec.parameters())
opt = torch.optim.Adam(params, lr=5e-3)
g = torch.Generator().manual_seed(1)


def run(src, lengths, tgt, tf_prob):
    enc_out, h, out_lens = enc(src, lengths)
    mask = torch.arange(src.shape[1])[None] < lengths[:, None]
    tok = torch.full((src.shape[0],), SOS)
    logits = []
    for t in range(tgt.shape[1]):
        step, h, _ = dec(tok, h, enc_out, mask)
        logits.append(step)
        use_teacher = torch.bernoulli(torch.full((src.shape[0],), tf_prob)).bool()
        tok = torch.where(use_teacher, tgt[:, t], step.argmax(-1))
    return torch.stack(logits, 1), out_lens


for epoch in range(40):
    tf_prob = max(0.2, 1.0 - epoch / 30)
    batch = make_batch(32, g)
    opt.zero_grad(set_to_none=True)
    logits, out_lens = run(*batch, tf_prob)
    loss = F.cross_entropy(logits.flatten(0, 1), batch[2].flatten(), ignore_index=PAD)
    loss.backward()
    grad_norm = nn.utils.clip_grad_norm_(params, 1.0)
    opt.step()
    if epoch % 10 == 0:
        print(f"epoch {epoch} loss {loss.item():.4f} tf {tf_prob:.3f} "
              f"grad norm {grad_norm:.4f} lens {out_lens[:4].tolist()}")

enc.eval()
dec.eval()
with torch.no_grad():
    src, lengths, tgt = make_batch(16, g)
    logits, _ = run(src, lengths, tgt, 0.0)
    pred = logits.argmax(-1)
    valid = tgt != PAD
    tok_acc = ((pred == tgt) & valid).sum().float() / valid.sum()
    exact = ((pred == tgt) | ~valid).all(1).float().mean()
    print(f"token acc {tok_acc:.4f} exact {exact:.4f}")
    print(src[0], tgt[0], pred[0])
