"""A char-RNN text generator: a GRU over a tiny corpus, truncated backpropagation through time
with detached hidden states, then sampling at two temperatures from a seeded Generator."""
import torch
import torch.nn as nn

text = "the quick brown fox jumps over the lazy dog. " * 6
chars = sorted(set(text))
stoi = {c: i for i, c in enumerate(chars)}
data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
torch.manual_seed(11)


class CharRNN(nn.Module):
    def __init__(self, vocab, hidden=32, layers=2):
        super().__init__()
        self.hidden_size, self.n_layers = hidden, layers
        self.encoder = nn.Embedding(vocab, hidden)
        self.gru = nn.GRU(hidden, hidden, layers)
        self.decoder = nn.Linear(hidden, vocab)

    def forward(self, inp, hidden):
        out, hidden = self.gru(self.encoder(inp).unsqueeze(1), hidden)
        return self.decoder(out.squeeze(1)), hidden

    def init_hidden(self):
        return torch.zeros(self.n_layers, 1, self.hidden_size)


model = CharRNN(len(chars))
opt = torch.optim.Adam(model.parameters(), lr=0.01)
criterion = nn.CrossEntropyLoss()
chunk = 24
for it in range(12):
    hidden = model.init_hidden()
    start = (it * 17) % (len(data) - chunk - 1)
    inp, target = data[start:start + chunk], data[start + 1:start + chunk + 1]
    for half in range(2):
        hidden = hidden.detach()
        part = slice(half * chunk // 2, (half + 1) * chunk // 2)
        out, hidden = model(inp[part], hidden)
        loss = criterion(out, target[part])
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
    if it % 3 == 0:
        print(f"iter {it} loss {loss.item():.4f}")


def generate(prime="th", length=30, temperature=0.8, gen=None):
    hidden = model.init_hidden()
    prime_t = torch.tensor([stoi[c] for c in prime])
    with torch.no_grad():
        out, hidden = model(prime_t[:-1], hidden)
        inp = prime_t[-1:]
        result = prime
        for _ in range(length):
            out, hidden = model(inp, hidden)
            dist = out.data.view(-1).div(temperature).exp()
            top_i = torch.multinomial(dist, 1, generator=gen)[0]
            result += chars[top_i]
            inp = top_i.unsqueeze(0)
    return result


g = torch.Generator().manual_seed(5)
for temp in (0.5, 1.2):
    print(repr(generate(temperature=temp, gen=g)))
