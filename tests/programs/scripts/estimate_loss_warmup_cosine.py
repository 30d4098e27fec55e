"""nanoGPT's evaluation and schedule code on a tiny char model: estimate_loss under
@torch.no_grad() switching model.eval()/model.train(), get_batch with torch.randint and stack,
a cosine learning rate with linear warmup computed by hand and set on every param group, the
same schedule as a LambdaLR checked against it, gradient accumulation with loss / accum, and
clip_grad_norm_ with error_if_nonfinite=True and foreach=True (then a non-finite gradient)."""

import math

import torch
import torch.nn as nn
from torch.nn import functional as F

torch.manual_seed(1337)
text = "first citizen: before we proceed any further, hear me speak. all: speak, speak. " * 6
chars = sorted(list(set(text)))
stoi = {ch: i for i, ch in enumerate(chars)}
data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
n = int(0.9 * len(data))
train_data, val_data = data[:n], data[n:]
block_size, batch_size, eval_iters = 8, 4, 5
warmup_iters, lr_decay_iters, learning_rate, min_lr = 5, 30, 1e-2, 1e-3


def get_batch(split):
    d = train_data if split == "train" else val_data
    ix = torch.randint(len(d) - block_size, (batch_size,))
    x = torch.stack([d[i : i + block_size] for i in ix])
    y = torch.stack([d[i + 1 : i + block_size + 1] for i in ix])
    return x, y


class CharModel(nn.Module):
    def __init__(self, vocab, d=24):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(block_size, d)
        self.drop = nn.Dropout(0.1)
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab)

    def forward(self, idx, targets=None):
        B, T = idx.shape
        x = self.drop(self.emb(idx) + self.pos(torch.arange(T)))
        x = torch.cumsum(x, dim=1) / torch.arange(1, T + 1).view(1, T, 1)  # a causal average
        logits = self.head(self.ln(x))
        if targets is None:
            return logits, None
        return logits, F.cross_entropy(logits.view(B * T, -1), targets.view(B * T))


@torch.no_grad()
def estimate_loss(model):
    was_training = model.training
    model.eval()
    out = {
        split: torch.tensor([model(*get_batch(split))[1].item() for _ in range(eval_iters)]).mean()
        for split in ("train", "val")
    }
    model.train(was_training)
    return out


def get_lr(it):
    if it < warmup_iters:
        return learning_rate * (it + 1) / (warmup_iters + 1)
    if it > lr_decay_iters:
        return min_lr
    decay_ratio = (it - warmup_iters) / (lr_decay_iters - warmup_iters)
    assert 0 <= decay_ratio <= 1
    coeff = 0.5 * (1.0 + math.cos(math.pi * decay_ratio))
    return min_lr + coeff * (learning_rate - min_lr)


model = CharModel(len(chars))
optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate, weight_decay=0.1)
shadow = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=learning_rate)
sched = torch.optim.lr_scheduler.LambdaLR(shadow, lambda it: get_lr(it) / learning_rate)
accum = 3
print("training:", model.training, "| eval inside:", end=" ")
for iter_num in range(36):
    lr = get_lr(iter_num)
    for param_group in optimizer.param_groups:
        param_group["lr"] = lr
    assert abs(sched.get_last_lr()[0] - lr) < 1e-12, (iter_num, sched.get_last_lr(), lr)
    if iter_num % 12 == 0:
        losses = estimate_loss(model)
        print(
            f"step {iter_num}: lr {lr:.5f}, train loss {losses['train']:.4f},",
            f"val loss {losses['val']:.4f}",
        )
    for _micro_step in range(accum):
        X, Y = get_batch("train")
        logits, loss = model(X, Y)
        loss = loss / accum
        loss.backward()
    norm = torch.nn.utils.clip_grad_norm_(
        model.parameters(), 1.0, error_if_nonfinite=True, foreach=True
    )
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    shadow.step()
    sched.step()
    if iter_num % 7 == 0:
        print(
            f"iter {iter_num}: loss {loss.item() * accum:.4f}, grad norm {norm.item():.4f},",
            f"type {type(norm).__name__}",
        )
print("final lr", optimizer.param_groups[0]["lr"], sched.get_last_lr())
print(
    "state",
    sorted(optimizer.state_dict()["state"][0].keys()),
    optimizer.state_dict()["state"][0]["step"],
)

model.head.weight.grad = torch.full_like(model.head.weight, float("nan"))
try:
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0, error_if_nonfinite=True)
except RuntimeError as e:
    print("RuntimeError:", str(e)[:90])
total = torch.nn.utils.clip_grad_norm_([model.head.weight], 1.0)
print("non-finite norm without the check:", total)
