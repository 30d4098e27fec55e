"""Instruction finetuning data plumbing as in LLM-from-scratch books: Alpaca-style prompt
formatting, a custom collate that appends an end-of-text token, pads, shifts targets and
replaces all but the first padding target with ignore_index=-100, masks the prompt tokens
too, pad_sequence with batch_first/padding_value/padding_side="left" for batched generation,
attention masks and position ids from cumsum, and a loss that skips the masked positions."""

from functools import partial

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader, Dataset

torch.manual_seed(211)
data = [
    {"instruction": "Convert to plural.", "input": "cat", "output": "cats"},
    {"instruction": "Give the opposite.", "input": "hot", "output": "cold"},
    {"instruction": "Say hello.", "input": "", "output": "hello there"},
    {"instruction": "Spell backwards.", "input": "abc", "output": "cba"},
    {"instruction": "Convert to plural.", "input": "box", "output": "boxes"},
    {"instruction": "Give the opposite.", "input": "up", "output": "down"},
]


def format_input(entry):
    text = f"### Instruction:\n{entry['instruction']}"
    return text + (f"\n\n### Input:\n{entry['input']}" if entry["input"] else "")


vocab = sorted(set("".join(format_input(e) + e["output"] for e in data) + "#\n: ResponIput"))
EOT = len(vocab)


def encode(text):
    return [vocab.index(c) for c in text]


class InstructionDataset(Dataset):
    def __init__(self, data):
        self.items = []
        for entry in data:
            prompt = encode(format_input(entry) + "\n\n### Response:\n")
            self.items.append((prompt, encode(entry["output"])))

    def __getitem__(self, index):
        return self.items[index]

    def __len__(self):
        return len(self.items)


def custom_collate_fn(
    batch, pad_token_id=EOT, ignore_index=-100, allowed_max_length=None, mask_prompt=True
):
    batch_max_length = max(len(p) + len(r) + 1 for p, r in batch)
    inputs_lst, targets_lst = [], []
    for prompt, response in batch:
        new_item = prompt + response + [pad_token_id]
        padded = new_item + [pad_token_id] * (batch_max_length - len(new_item))
        inputs = torch.tensor(padded[:-1])
        targets = torch.tensor(padded[1:])
        mask = targets == pad_token_id
        indices = torch.nonzero(mask).squeeze()
        if indices.numel() > 1:
            targets[indices[1:]] = ignore_index
        if mask_prompt:
            targets[: len(prompt) - 1] = ignore_index
        if allowed_max_length is not None:
            inputs, targets = inputs[:allowed_max_length], targets[:allowed_max_length]
        inputs_lst.append(inputs)
        targets_lst.append(targets)
    return torch.stack(inputs_lst), torch.stack(targets_lst)


collate = partial(custom_collate_fn, allowed_max_length=128)
ds = InstructionDataset(data)
loader = DataLoader(
    ds,
    batch_size=3,
    shuffle=True,
    collate_fn=collate,
    drop_last=True,
    generator=torch.Generator().manual_seed(5),
)
inputs, targets = next(iter(loader))
print(inputs.shape, targets.shape, inputs.dtype)
print("ignored per row", (targets == -100).sum(dim=1).tolist())
print("first target row tail", targets[0, -8:])


class TinyLM(nn.Module):
    def __init__(self, v, d=32):
        super().__init__()
        self.emb = nn.Embedding(v, d)
        self.rnn = nn.GRU(d, d, batch_first=True)
        self.out = nn.Linear(d, v)

    def forward(self, x):
        return self.out(self.rnn(self.emb(x))[0])


model = TinyLM(EOT + 1)
opt = torch.optim.AdamW(model.parameters(), lr=5e-3, weight_decay=0.1)
for epoch in range(4):
    total, tokens = 0.0, 0
    for inputs, targets in loader:
        logits = model(inputs)
        loss = F.cross_entropy(logits.flatten(0, 1), targets.flatten())
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * (targets != -100).sum().item()
        tokens += (targets != -100).sum().item()
    print(f"epoch {epoch}: per-token loss {total / tokens:.4f} over {tokens} tokens")

# batched generation needs left padding so that every prompt ends at the last column
prompts = [torch.tensor(p) for p, _ in ds.items[:3]]
left = pad_sequence(prompts, batch_first=True, padding_value=EOT, padding_side="left")
right = pad_sequence(prompts, batch_first=True, padding_value=EOT)
attention_mask = (left != EOT).long()
position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)
print(left.shape, right.shape, "lengths", attention_mask.sum(1).tolist())
print("left row 2 head", left[2, :6].tolist(), "positions", position_ids[2, :6].tolist())
print("same tokens", [torch.equal(left[i][attention_mask[i].bool()], prompts[i]) for i in range(3)])
seq_first = pad_sequence(prompts, padding_value=-1)
print("seq-first", tuple(seq_first.shape), seq_first[-1].tolist())
with torch.no_grad():
    out = left
    for _ in range(4):
        nxt = model(out)[:, -1].argmax(-1, keepdim=True)
        out = torch.cat([out, nxt], dim=1)
print("generated", out[:, -4:].tolist())
