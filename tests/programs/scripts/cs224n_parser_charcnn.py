"""CS224n assignment style: a PartialParse with SHIFT/LEFT-ARC/RIGHT-ARC transitions and
minibatch parsing driven by a model, the feed-forward parser model (embedding lookup by
index_select of a flattened id matrix, xavier_uniform_ weights, dropout, cross entropy with
Adam), then a char-CNN word embedding (character embeddings, Conv1d, max over time, a highway
gate) feeding an NMT-style LSTM encoder whose attention scores are masked with
masked_fill_ over padded source positions, and a target log-likelihood gathered by mask."""
# ruff: noqa: B905
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


class PartialParse:
    def __init__(self, sentence):
        self.sentence = sentence
        self.stack = ["ROOT"]
        self.buffer = list(sentence)
        self.dependencies = []

    def parse_step(self, transition):
        if transition == "S":
            self.stack.append(self.buffer.pop(0))
        elif transition == "LA":
            dependent = self.stack.pop(-2)
            self.dependencies.append((self.stack[-1], dependent))
        elif transition == "RA":
            dependent = self.stack.pop()
            self.dependencies.append((self.stack[-1], dependent))

    def parse(self, transitions):
        for transition in transitions:
            self.parse_step(transition)
        return self.dependencies


def minibatch_parse(sentences, model, batch_size):
    partial_parses = [PartialParse(s) for s in sentences]
    unfinished = partial_parses[:]
    while unfinished:
        minibatch = unfinished[:batch_size]
        transitions = model.predict(minibatch)
        for pp, t in zip(minibatch, transitions):
            pp.parse_step(t)
        unfinished = [pp for pp in unfinished if pp.buffer or len(pp.stack) > 1]
    return [pp.dependencies for pp in partial_parses]


print(PartialParse(["parse", "this", "sentence"]).parse(["S", "S", "S", "LA", "RA", "RA"]))


class ParserModel(nn.Module):
    def __init__(self, embeddings, n_features=6, hidden_size=32, n_classes=3, dropout_prob=0.5):
        super().__init__()
        self.n_features = n_features
        self.embed_size = embeddings.shape[1]
        self.embeddings = nn.Parameter(torch.tensor(embeddings))
        self.embed_to_hidden_weight = nn.Parameter(
            torch.empty(self.n_features * self.embed_size, hidden_size))
        nn.init.xavier_uniform_(self.embed_to_hidden_weight)
        self.embed_to_hidden_bias = nn.Parameter(torch.empty(hidden_size))
        nn.init.uniform_(self.embed_to_hidden_bias)
        self.dropout = nn.Dropout(dropout_prob)
        self.hidden_to_logits_weight = nn.Parameter(torch.empty(hidden_size, n_classes))
        nn.init.xavier_uniform_(self.hidden_to_logits_weight)
        self.hidden_to_logits_bias = nn.Parameter(torch.empty(n_classes))
        nn.init.uniform_(self.hidden_to_logits_bias)

    def embedding_lookup(self, w):
        x = torch.index_select(self.embeddings, 0, w.view(-1))
        return x.view(w.shape[0], -1)

    def forward(self, w):
        x = self.embedding_lookup(w)
        h = F.relu(x @ self.embed_to_hidden_weight + self.embed_to_hidden_bias)
        return self.dropout(h) @ self.hidden_to_logits_weight + self.hidden_to_logits_bias


vocab_size = 20
embeddings = torch.randn(vocab_size, 8).numpy()
parser = ParserModel(embeddings)
w = torch.randint(0, vocab_size, (64, 6))
labels = (w[:, 0] + w[:, 3]) % 3
optimizer = torch.optim.Adam(parser.parameters(), lr=5e-3)
loss_func = nn.CrossEntropyLoss()
for epoch in range(4):
    parser.train()
    for i in range(0, 64, 16):
        optimizer.zero_grad()
        loss = loss_func(parser(w[i:i + 16]), labels[i:i + 16])
        loss.backward()
        optimizer.step()
    parser.eval()
    with torch.no_grad():
        acc = (parser(w).argmax(1) == labels).float().mean()
    print(f"epoch {epoch} loss {loss.item():.4f} acc {acc.item():.4f}")


class ScriptedModel:
    def __init__(self, parser):
        self.parser = parser

    def predict(self, partial_parses):
        feats = torch.tensor([[len(pp.stack), len(pp.buffer), len(pp.dependencies), 1, 2, 3]
                              for pp in partial_parses]) % vocab_size
        with torch.no_grad():
            scores = self.parser(feats)
        out = []
        for pp, s in zip(partial_parses, scores):
            legal = torch.tensor([len(pp.buffer) > 0, len(pp.stack) > 2, len(pp.stack) > 1])
            s = s.masked_fill(~legal, float('-inf'))
            out.append(["S", "LA", "RA"][int(s.argmax())])
        return out


sents = [["right", "arcs", "only"], ["left", "arcs"], ["one"], ["a", "b", "c", "d"]]
print(minibatch_parse(sents, ScriptedModel(parser), 2))


class Highway(nn.Module):
    def __init__(self, size):
        super().__init__()
        self.proj = nn.Linear(size, size)
        self.gate = nn.Linear(size, size)

    def forward(self, x_conv_out):
        x_proj = F.relu(self.proj(x_conv_out))
        x_gate = torch.sigmoid(self.gate(x_conv_out))
        return x_gate * x_proj + (1 - x_gate) * x_conv_out


class CharCNNEmbed(nn.Module):
    def __init__(self, n_chars, char_dim=6, word_dim=16, kernel=3, max_word_len=7):
        super().__init__()
        self.char_embed = nn.Embedding(n_chars, char_dim, padding_idx=0)
        self.conv = nn.Conv1d(char_dim, word_dim, kernel, padding=1)
        self.pool = nn.MaxPool1d(max_word_len)
        self.highway = Highway(word_dim)
        self.dropout = nn.Dropout(0.3)

    def forward(self, chars):
        sent_len, batch, max_word = chars.shape
        x = self.char_embed(chars.reshape(-1, max_word)).permute(0, 2, 1)
        x = self.pool(F.relu(self.conv(x))).squeeze(-1)
        return self.dropout(self.highway(x)).reshape(sent_len, batch, -1)


src_lens = torch.tensor([5, 3, 4])
src_chars = torch.randint(1, 15, (5, 3, 7))
src_chars[:, :, 5:] = 0
tgt = torch.randint(1, 10, (4, 3))
tgt_mask = torch.tensor([[1, 1, 1], [1, 1, 1], [1, 0, 1], [1, 0, 0]]).float()
embed = CharCNNEmbed(15)
encoder = nn.LSTM(16, 12, bidirectional=True)
h_proj = nn.Linear(24, 12, bias=False)
att_proj = nn.Linear(24, 12, bias=False)
decoder = nn.LSTMCell(12, 12)
vocab_proj = nn.Linear(36, 10)
tgt_embed = nn.Embedding(10, 12)
modules = [embed, encoder, h_proj, att_proj, decoder, vocab_proj, tgt_embed]
opt = torch.optim.Adam([p for m in modules for p in m.parameters()], lr=0.01)
print(embed)
for step in range(10):
    x = embed(src_chars)
    packed = nn.utils.rnn.pack_padded_sequence(x, src_lens, enforce_sorted=False)
    enc_hiddens, (last_h, last_c) = encoder(packed)
    enc_hiddens, _ = nn.utils.rnn.pad_packed_sequence(enc_hiddens)
    enc_hiddens = enc_hiddens.permute(1, 0, 2)
    enc_masks = torch.zeros(enc_hiddens.shape[:2])
    for e_id, src_len in enumerate(src_lens):
        enc_masks[e_id, src_len:] = 1
    enc_proj = att_proj(enc_hiddens)
    h = h_proj(torch.cat((last_h[0], last_h[1]), 1))
    c = torch.zeros_like(h)
    log_likelihood = []
    for y_t in tgt_embed(tgt).split(1):
        h, c = decoder(y_t.squeeze(0), (h, c))
        e_t = torch.bmm(enc_proj, h.unsqueeze(2)).squeeze(2)
        e_t.data.masked_fill_(enc_masks.bool(), -float('inf'))
        alpha_t = F.softmax(e_t, dim=1)
        a_t = torch.bmm(alpha_t.unsqueeze(1), enc_hiddens).squeeze(1)
        log_likelihood.append(F.log_softmax(vocab_proj(torch.cat([a_t, h], 1)), dim=-1))
    P = torch.stack(log_likelihood)
    target_words_log_prob = torch.gather(P, index=tgt.unsqueeze(-1), dim=-1).squeeze(-1) * tgt_mask
    loss = -target_words_log_prob.sum() / 3
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 3 == 0:
        ppl = torch.exp(-target_words_log_prob.sum() / tgt_mask.sum())
        print(f"step {step} loss {loss.item():.4f} ppl {ppl.item():.3f}")
print(alpha_t)
