"""The pytorch/examples word-level language model, shrunk: a corpus tokenized into word ids,
batchify/get_batch over it, an RNNModel (Embedding -> dropout -> LSTM -> dropout -> Linear
decoder whose weight is tied to the encoder's), the hidden state detached between batches,
clip_grad_norm_ and a hand-written SGD step, then evaluation as loss and perplexity."""

# ruff: noqa: UP032
# (written as pytorch/examples is: str.format)

import math

import torch
import torch.nn as nn

TEXT = """the cat sat on the mat . the dog sat on the log . a cat and a dog met on a mat .
the dog saw the cat and the cat saw the dog . a log is not a mat and a mat is not a log .
the cat ran to the log and the dog ran to the mat . """ * 3


class Dictionary:
    def __init__(self):
        self.word2idx = {}
        self.idx2word = []

    def add_word(self, word):
        if word not in self.word2idx:
            self.idx2word.append(word)
            self.word2idx[word] = len(self.idx2word) - 1
        return self.word2idx[word]

    def __len__(self):
        return len(self.idx2word)


class Corpus:
    def __init__(self, text):
        self.dictionary = Dictionary()
        lines = [line.split() + ["<eos>"] for line in text.strip().split("\n")]
        idss = []
        for words in lines:
            ids = [self.dictionary.add_word(word) for word in words]
            idss.append(torch.tensor(ids).type(torch.int64))
        ids = torch.cat(idss)
        split = int(len(ids) * 0.8)
        self.train, self.valid = ids[:split], ids[split:]


class RNNModel(nn.Module):
    def __init__(self, ntoken, ninp, nhid, nlayers, dropout=0.5, tie_weights=False):
        super().__init__()
        self.ntoken = ntoken
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid, nlayers, dropout=dropout)
        self.decoder = nn.Linear(nhid, ntoken)
        if tie_weights:
            if nhid != ninp:
                raise ValueError("When using the tied flag, nhid must be equal to emsize")
            self.decoder.weight = self.encoder.weight
        self.init_weights()
        self.nhid = nhid
        self.nlayers = nlayers

    def init_weights(self):
        initrange = 0.1
        nn.init.uniform_(self.encoder.weight, -initrange, initrange)
        nn.init.zeros_(self.decoder.bias)
        nn.init.uniform_(self.decoder.weight, -initrange, initrange)

    def forward(self, input, hidden):
        emb = self.drop(self.encoder(input))
        output, hidden = self.rnn(emb, hidden)
        output = self.drop(output)
        decoded = self.decoder(output)
        decoded = decoded.view(-1, self.ntoken)
        return torch.nn.functional.log_softmax(decoded, dim=1), hidden

    def init_hidden(self, bsz):
        weight = next(self.parameters())
        return (weight.new_zeros(self.nlayers, bsz, self.nhid),
                weight.new_zeros(self.nlayers, bsz, self.nhid))


def batchify(data, bsz):
    nbatch = data.size(0) // bsz
    data = data.narrow(0, 0, nbatch * bsz)
    return data.view(bsz, -1).t().contiguous()


def repackage_hidden(h):
    """Detach hidden states from their history, so backprop stops at the batch boundary."""
    if isinstance(h, torch.Tensor):
        return h.detach()
    return tuple(repackage_hidden(v) for v in h)


bptt = 6


def get_batch(source, i):
    seq_len = min(bptt, len(source) - 1 - i)
    data = source[i:i + seq_len]
    target = source[i + 1:i + 1 + seq_len].view(-1)
    return data, target


torch.manual_seed(1111)
corpus = Corpus(TEXT)
train_data = batchify(corpus.train, 4)
val_data = batchify(corpus.valid, 2)
ntokens = len(corpus.dictionary)
print("vocabulary", ntokens, "train", tuple(train_data.shape), "valid", tuple(val_data.shape))
model = RNNModel(ntokens, 16, 16, 2, dropout=0.2, tie_weights=True)
criterion = nn.NLLLoss()
lr = 5.0
clip = 0.25


def evaluate(data_source):
    model.eval()
    total_loss = 0.
    hidden = model.init_hidden(2)
    with torch.no_grad():
        for i in range(0, data_source.size(0) - 1, bptt):
            data, targets = get_batch(data_source, i)
            output, hidden = model(data, hidden)
            hidden = repackage_hidden(hidden)
            total_loss += len(data) * criterion(output, targets).item()
    return total_loss / (len(data_source) - 1)


def train(epoch):
    model.train()
    total_loss = 0.
    hidden = model.init_hidden(4)
    for batch, i in enumerate(range(0, train_data.size(0) - 1, bptt)):
        data, targets = get_batch(train_data, i)
        model.zero_grad()
        hidden = repackage_hidden(hidden)
        output, hidden = model(data, hidden)
        loss = criterion(output, targets)
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        for p in model.parameters():
            p.data.add_(p.grad, alpha=-lr)
        total_loss += loss.item()
        print("| epoch {:3d} | batch {:3d} | lr {:02.2f} | loss {:5.3f} | grad norm {:.4f}".format(
            epoch, batch, lr, loss.item(), norm.item()))


for epoch in range(1, 4):
    train(epoch)
    val_loss = evaluate(val_data)
    print("| end of epoch {:3d} | valid loss {:5.3f} | valid ppl {:8.3f}".format(
        epoch, val_loss, math.exp(val_loss)))
print("tied:", model.decoder.weight is model.encoder.weight)
print("parameters:", sum(p.numel() for p in model.parameters()))
