"""A bidirectional LSTM sequence tagger over variable-length sentences: pad_sequence,
pack_padded_sequence(enforce_sorted=False), pad_packed_sequence, ignore_index padding in the
loss, masked accuracy, and a packed GRU's last hidden state for sentence classification."""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

torch.manual_seed(23)
lengths = torch.tensor([5, 2, 7, 4, 3, 6])
sents = [torch.randint(1, 20, (int(n),)) for n in lengths]
tags = [(s % 3) for s in sents]
padded = pad_sequence(sents, batch_first=True)
padded_tags = pad_sequence(tags, batch_first=True, padding_value=-100)


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(20, 12, padding_idx=0)
        self.lstm = nn.LSTM(12, 16, num_layers=2, batch_first=True, bidirectional=True)
        self.out = nn.Linear(32, 3)
        self.gru = nn.GRU(12, 8, batch_first=True)
        self.cls = nn.Linear(8, 2)

    def forward(self, x, lengths):
        e = self.emb(x)
        packed = pack_padded_sequence(e, lengths, batch_first=True, enforce_sorted=False)
        out, (h, c) = self.lstm(packed)
        out, out_lengths = pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
        _, hg = self.gru(pack_padded_sequence(e, lengths, batch_first=True,
                                              enforce_sorted=False))
        return self.out(out), self.cls(hg[-1]), out_lengths, h.shape


model = Tagger()
opt = torch.optim.Adam(model.parameters(), lr=0.02)
crit = nn.CrossEntropyLoss(ignore_index=-100)
sent_labels = (lengths > 4).long()
for step in range(10):
    logits, cls, out_lengths, hshape = model(padded, lengths)
    loss = crit(logits.reshape(-1, 3), padded_tags.reshape(-1))
    loss = loss + nn.functional.cross_entropy(cls, sent_labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 3 == 0:
        mask = padded_tags != -100
        acc = (logits.argmax(-1)[mask] == padded_tags[mask]).float().mean()
        print(f"step {step} loss {loss.item():.4f} acc {acc.item():.3f}")
print(out_lengths.tolist(), hshape, logits.shape)
packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
print(packed.batch_sizes.tolist(), packed.sorted_indices.tolist(), packed.data[:6].tolist())
