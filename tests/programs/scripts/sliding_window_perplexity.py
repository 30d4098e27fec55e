"""Evaluating a causal LM the way the Hugging Face perplexity guide does: a long token stream
scored in windows of max_length with a stride, only the last trg_len targets of each window
counted (the rest set to -100), the negative log-likelihood summed as nll * trg_len and
exp(mean) taken at the end; compared with disjoint chunks, with the exact token-by-token
value, and with per-token log-probabilities from log_softmax + gather under torch.no_grad."""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(31)
V, CTX = 16, 12


class CausalConvLM(nn.Module):
    """A causal LM with a fixed receptive field: left-padded 1-D convolutions."""

    def __init__(self, d=24, k=4):
        super().__init__()
        self.emb = nn.Embedding(V, d)
        self.conv1 = nn.Conv1d(d, d, k)
        self.conv2 = nn.Conv1d(d, d, k)
        self.head = nn.Linear(d, V)
        self.k = k

    def forward(self, ids, labels=None):
        h = self.emb(ids).transpose(1, 2)
        h = F.gelu(self.conv1(F.pad(h, (self.k - 1, 0))))
        h = F.gelu(self.conv2(F.pad(h, (self.k - 1, 0)))) + h
        logits = self.head(h.transpose(1, 2))
        if labels is None:
            return logits, None
        loss = F.cross_entropy(
            logits[:, :-1].reshape(-1, V), labels[:, 1:].reshape(-1), ignore_index=-100
        )
        return logits, loss


stream = torch.tensor([(i * i + i // 3) % V for i in range(300)])
model = CausalConvLM()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
for step in range(60):
    starts = torch.randint(0, len(stream) - CTX, (16,))
    batch = torch.stack([stream[s : s + CTX] for s in starts])
    _, loss = model(batch, batch)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 15 == 0:
        print(f"step {step}: loss {loss.item():.4f}")
model.eval()

encodings = stream[None, 150:]
seq_len = encodings.size(1)


def windowed_ppl(max_length, stride):
    nlls, prev_end_loc = [], 0
    for begin_loc in range(0, seq_len, stride):
        end_loc = min(begin_loc + max_length, seq_len)
        trg_len = end_loc - prev_end_loc
        input_ids = encodings[:, begin_loc:end_loc]
        target_ids = input_ids.clone()
        target_ids[:, :-trg_len] = -100
        with torch.no_grad():
            _, neg_log_likelihood = model(input_ids, labels=target_ids)
        num_valid = (target_ids[:, 1:] != -100).sum().item()
        nlls.append(neg_log_likelihood * num_valid)
        prev_end_loc = end_loc
        if end_loc == seq_len:
            break
    return torch.exp(torch.stack(nlls).sum() / (seq_len - 1)).item(), len(nlls)


for max_length, stride in [(CTX, CTX), (CTX, 6), (CTX, 2)]:
    ppl, windows = windowed_ppl(max_length, stride)
    print(f"max_length {max_length} stride {stride}: ppl {ppl:.4f} over {windows} windows")

with torch.no_grad():
    logits, _ = model(encodings)
    logp = F.log_softmax(logits[:, :-1], dim=-1).gather(-1, encodings[:, 1:, None]).squeeze(-1)
print(
    f"full-context ppl {math.exp(-logp.mean().item()):.4f},",
    f"worst token logp {logp.min().item():.4f}",
)
chunks = encodings[0, : (seq_len // CTX) * CTX].view(-1, CTX)
with torch.no_grad():
    _, chunk_loss = model(chunks, chunks)
print(f"disjoint {tuple(chunks.shape)} chunks ppl {chunk_loss.exp().item():.4f}")
windows = encodings[0].unfold(0, CTX, 4)
print("unfolded windows", tuple(windows.shape), windows[1, :5].tolist())
