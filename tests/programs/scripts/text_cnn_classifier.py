"""A sentence classifier in the manner of the usual PyTorch text-CNN scripts: a small
vocabulary built from built-in sentences, variable-length token tensors padded with
nn.utils.rnn.pad_sequence inside a collate_fn, an Embedding with padding_idx, parallel Conv1d
filters of several widths with max-over-time pooling (AdaptiveMaxPool1d), dropout, a Linear
head, NAdam, and a ReduceLROnPlateau schedule on the validation loss."""

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader, Dataset

POSITIVE = ["a great and lovely film", "i loved the acting", "what a wonderful story",
            "the music was great", "a truly lovely ending", "great fun for everyone",
            "wonderful acting and a great plot", "i loved it"]
NEGATIVE = ["a dull and boring film", "i hated the acting", "what a terrible story",
            "the music was awful", "a truly boring ending", "no fun for anyone",
            "awful acting and a dull plot", "i hated it"]

vocab = {"<pad>": 0}
for sentence in POSITIVE + NEGATIVE:
    for word in sentence.split():
        vocab.setdefault(word, len(vocab))
print("vocabulary:", len(vocab))


class Sentences(Dataset):
    def __init__(self, pairs):
        self.pairs = pairs

    def __len__(self):
        return len(self.pairs)

    def __getitem__(self, i):
        text, label = self.pairs[i]
        return torch.tensor([vocab[w] for w in text.split()]), label


def collate(batch):
    tokens, labels = zip(*batch, strict=True)
    return pad_sequence(list(tokens), batch_first=True, padding_value=0), torch.tensor(labels)


class TextCNN(nn.Module):
    def __init__(self, vocab_size, dim=16, filters=8, widths=(2, 3), classes=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, dim, padding_idx=0)
        self.convs = nn.ModuleList([nn.Conv1d(dim, filters, w, padding=w - 1) for w in widths])
        self.pool = nn.AdaptiveMaxPool1d(1)
        self.dropout = nn.Dropout(0.3)
        self.fc = nn.Linear(filters * len(widths), classes)

    def forward(self, tokens):
        x = self.embedding(tokens).transpose(1, 2)
        feats = [self.pool(F.relu(conv(x))).squeeze(-1) for conv in self.convs]
        return self.fc(self.dropout(torch.cat(feats, dim=1)))


torch.manual_seed(7)
pairs = [(s, 1) for s in POSITIVE] + [(s, 0) for s in NEGATIVE]
order = torch.randperm(len(pairs)).tolist()
train_pairs = [pairs[i] for i in order[:12]]
val_pairs = [pairs[i] for i in order[12:]]
train_loader = DataLoader(Sentences(train_pairs), batch_size=4, shuffle=True, collate_fn=collate)
val_loader = DataLoader(Sentences(val_pairs), batch_size=4, collate_fn=collate)

model = TextCNN(len(vocab))
print(model.convs)
optimizer = torch.optim.NAdam(model.parameters(), lr=0.01)
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.5, patience=1)
for epoch in range(6):
    model.train()
    for tokens, labels in train_loader:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(tokens), labels)
        loss.backward()
        optimizer.step()
    model.eval()
    val_loss, correct = 0.0, 0
    with torch.no_grad():
        for tokens, labels in val_loader:
            logits = model(tokens)
            val_loss += F.cross_entropy(logits, labels, reduction="sum").item()
            correct += (logits.argmax(1) == labels).sum().item()
    val_loss /= len(val_pairs)
    scheduler.step(val_loss)
    print(f"epoch {epoch} train {loss.item():.4f} val {val_loss:.4f} "
          f"acc {correct}/{len(val_pairs)} lr {optimizer.param_groups[0]['lr']}")
