"""nanoGPT's model plumbing around training: a @dataclass GPTConfig, uint16 token files read with
np.memmap and turned into batches with torch.from_numpy(...astype(np.int64)), pin_memory only
for CUDA, get_num_params(non_embedding=True), crop_block_size (a sliced nn.Parameter for the
position table and sliced causal-mask buffers), a from_pretrained-style constructor taking
override_args and copying a source state dict under no_grad with transposed Conv1D weights,
and generate() cropping its context to the block size."""

import os
import tempfile
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn as nn
from torch.nn import functional as F


@dataclass
class GPTConfig:
    block_size: int = 16
    vocab_size: int = 27
    n_layer: int = field(default=2)
    n_head: int = 2
    n_embd: int = 16
    dropout: float = 0.0
    bias: bool = True


class Block(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd, bias=config.bias)
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd, bias=config.bias)
        self.c_proj = nn.Linear(config.n_embd, config.n_embd, bias=config.bias)
        self.n_head = config.n_head
        self.register_buffer(
            "bias",
            torch.tril(torch.ones(config.block_size, config.block_size)).view(
                1, 1, config.block_size, config.block_size
            ),
        )

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(self.ln_1(x)).split(C, dim=2)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) * (1.0 / (k.size(-1) ** 0.5))
        att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float("-inf")).softmax(dim=-1)
        return x + self.c_proj((att @ v).transpose(1, 2).contiguous().view(B, T, C))


class GPT(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        blocks = nn.ModuleList(Block(config) for _ in range(config.n_layer))
        self.transformer = nn.ModuleDict(
            {
                "wte": nn.Embedding(config.vocab_size, config.n_embd),
                "wpe": nn.Embedding(config.block_size, config.n_embd),
                "h": blocks,
                "ln_f": nn.LayerNorm(config.n_embd, bias=config.bias),
            }
        )
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
        self.transformer.wte.weight = self.lm_head.weight

    def get_num_params(self, non_embedding=True):
        n_params = sum(p.numel() for p in self.parameters())
        if non_embedding:
            n_params -= self.transformer.wpe.weight.numel()
        return n_params

    def forward(self, idx, targets=None):
        pos = torch.arange(0, idx.size(1), dtype=torch.long)
        x = self.transformer.wte(idx) + self.transformer.wpe(pos)
        for block in self.transformer.h:
            x = block(x)
        x = self.transformer.ln_f(x)
        if targets is None:
            return self.lm_head(x[:, [-1], :]), None
        logits = self.lm_head(x)
        return logits, F.cross_entropy(
            logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1
        )

    def crop_block_size(self, block_size):
        assert block_size <= self.config.block_size
        self.config.block_size = block_size
        self.transformer.wpe.weight = nn.Parameter(self.transformer.wpe.weight[:block_size])
        for block in self.transformer.h:
            if hasattr(block, "bias"):
                block.bias = block.bias[:, :, :block_size, :block_size]

    @classmethod
    def from_pretrained(cls, source_sd, override_args=None):
        override_args = override_args or {}
        assert all(k == "dropout" for k in override_args)
        config_args = dict(n_layer=2, n_head=2, n_embd=16, vocab_size=27, block_size=16, bias=True)
        config_args.update(override_args)
        model = GPT(GPTConfig(**config_args))
        sd = model.state_dict()
        sd_keys = [k for k in sd if not k.endswith(".bias") or "ln" in k or "c_" in k]
        transposed = ["c_attn.weight", "c_proj.weight"]
        for k in sd_keys:
            if any(k.endswith(w) for w in transposed):
                assert source_sd[k].shape[::-1] == sd[k].shape
                with torch.no_grad():
                    sd[k].copy_(source_sd[k].t())
            else:
                assert source_sd[k].shape == sd[k].shape, k
                with torch.no_grad():
                    sd[k].copy_(source_sd[k])
        return model

    @torch.no_grad()
    def generate(self, idx, max_new_tokens, temperature=1.0, top_k=None):
        for _ in range(max_new_tokens):
            idx_cond = (
                idx if idx.size(1) <= self.config.block_size else idx[:, -self.config.block_size :]
            )
            logits, _ = self(idx_cond)
            logits = logits[:, -1, :] / temperature
            if top_k is not None:
                v, _ = torch.topk(logits, min(top_k, logits.size(-1)))
                logits[logits < v[:, [-1]]] = -float("Inf")
            idx_next = torch.multinomial(F.softmax(logits, dim=-1), num_samples=1)
            idx = torch.cat((idx, idx_next), dim=1)
        return idx


torch.manual_seed(1337)
text = "hello world this is a tiny corpus for a tiny model " * 20
ids = np.array([0 if c == " " else ord(c) - 96 for c in text], dtype=np.uint16)
data_dir = tempfile.mkdtemp()
ids.tofile(os.path.join(data_dir, "train.bin"))
device_type = "cpu"


def get_batch(block_size, batch_size=8):
    data = np.memmap(os.path.join(data_dir, "train.bin"), dtype=np.uint16, mode="r")
    ix = torch.randint(len(data) - block_size, (batch_size,))
    x = torch.stack([torch.from_numpy((data[i : i + block_size]).astype(np.int64)) for i in ix])
    y = torch.stack(
        [torch.from_numpy((data[i + 1 : i + 1 + block_size]).astype(np.int64)) for i in ix]
    )
    if device_type == "cuda":
        x, y = (
            x.pin_memory().to("cuda", non_blocking=True),
            y.pin_memory().to("cuda", non_blocking=True),
        )
    return x, y


model = GPT(GPTConfig())
print(f"number of parameters: {model.get_num_params() / 1e3:.2f}K", model.get_num_params(False))
opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
for it in range(25):
    X, Y = get_batch(16)
    _, loss = model(X, Y)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    if it % 6 == 0:
        print(f"iter {it}: loss {loss.item():.4f}, x dtype {X.dtype}")

pretrained = GPT.from_pretrained(
    {
        k: (v.t() if k.endswith(("c_attn.weight", "c_proj.weight")) else v)
        for k, v in model.state_dict().items()
    },
    override_args=dict(dropout=0.1),
)
print("from_pretrained config", pretrained.config)
X, Y = get_batch(16)
print("same loss", torch.allclose(model(X, Y)[1], pretrained(X, Y)[1]))
pretrained.crop_block_size(8)
print(
    "cropped",
    pretrained.transformer.wpe.weight.shape,
    pretrained.transformer.h[0].bias.shape,
    pretrained.config.block_size,
    "buffers",
    [n for n, _ in pretrained.named_buffers()],
)
print("loss at 8", round(pretrained(X[:, :8].contiguous(), Y[:, :8].contiguous())[1].item(), 4))
torch.manual_seed(42)
out = pretrained.generate(torch.zeros((1, 1), dtype=torch.long), 20, temperature=0.8, top_k=5)
print("".join(" " if i == 0 else chr(i + 96) for i in out[0].tolist()))
os.remove(os.path.join(data_dir, "train.bin"))
os.rmdir(data_dir)
