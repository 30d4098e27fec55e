"""nanoGPT-style checkpointing around a compiled model: TF32 switches and
set_float32_matmul_precision (no-ops on a CPU), torch.compile(model, backend="eager") whose
state_dict keys carry the `_orig_mod.` prefix, stripped on load as nanoGPT does; a checkpoint
dict (model, AdamW, LambdaLR warmup, iteration, best val loss, config, CPU and Generator RNG
states) saved to a BytesIO, and a resumed run with dropout that prints the same losses as the
uninterrupted one."""

import io
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.backends.cuda.matmul.allow_tf32 = True
torch.backends.cudnn.allow_tf32 = True
torch.set_float32_matmul_precision("high")
print("precision", torch.get_float32_matmul_precision(), torch.backends.cuda.matmul.allow_tf32)
device = "cuda" if torch.cuda.is_available() else "cpu"
device_type = "cuda" if "cuda" in device else "cpu"
config = dict(vocab=20, d=16, block=8, dropout=0.2, lr=3e-3, warmup=4)


class Net(nn.Module):
    def __init__(self, vocab, d, block, dropout, **_):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(vocab, d), nn.Embedding(block, d)
        self.drop = nn.Dropout(dropout)
        self.mlp = nn.Sequential(
            nn.Linear(d, 2 * d), nn.GELU(), nn.Dropout(dropout), nn.Linear(2 * d, d)
        )
        self.ln = nn.LayerNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)
        self.lm_head.weight = self.wte.weight

    def forward(self, idx, targets):
        x = self.drop(self.wte(idx) + self.wpe(torch.arange(idx.size(1), device=idx.device)))
        x = x + self.mlp(x).cumsum(1) / torch.arange(1, idx.size(1) + 1).view(1, -1, 1)
        logits = self.lm_head(self.ln(x))
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)


def make(cfg):
    torch.manual_seed(1337)
    model = Net(**cfg).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], betas=(0.9, 0.95), weight_decay=0.1)
    warm = cfg["warmup"]
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda it: min(1.0, (it + 1) / warm) * 0.5 * (1 + math.cos(math.pi * min(it, 20) / 20))
    )
    return model, opt, sched


def train(model, opt, sched, g, start, stop, log):
    for it in range(start, stop):
        x = torch.randint(0, config["vocab"], (4, config["block"]), generator=g)
        y = torch.roll(x, -1, dims=1)
        y[:, -1] = -1
        loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        log.append(f"{it}:{loss.item():.5f}")


model, opt, sched = make(config)
compiled = torch.compile(model, backend="eager")
print(type(compiled).__name__, compiled._orig_mod is model)
g = torch.Generator().manual_seed(99)
straight = []
train(compiled, opt, sched, g, 0, 12, straight)
print("straight", straight[::3])

model, opt, sched = make(config)
unoptimized = model
model = torch.compile(model, backend="eager")
g = torch.Generator().manual_seed(99)
log = []
train(model, opt, sched, g, 0, 6, log)
keys = list(model.state_dict().keys())
print("compiled keys", keys[:3], len(keys))
buf = io.BytesIO()
torch.save(
    {
        "model": model.state_dict(),
        "optimizer": opt.state_dict(),
        "scheduler": sched.state_dict(),
        "iter_num": 6,
        "best_val_loss": 1e9,
        "config": config,
        "cpu_rng_state": torch.get_rng_state(),
        "gen_state": g.get_state(),
    },
    buf,
)
print("checkpoint bytes > 0:", buf.tell() > 0)
torch.manual_seed(0)  # disturb every RNG before resuming
g.manual_seed(0)

buf.seek(0)
checkpoint = torch.load(buf, map_location=device, weights_only=True)
model, opt, sched = make(checkpoint["config"])
state_dict = checkpoint["model"]
unwanted_prefix = "_orig_mod."
for k, _v in list(state_dict.items()):
    if k.startswith(unwanted_prefix):
        state_dict[k[len(unwanted_prefix) :]] = state_dict.pop(k)
print("load", model.load_state_dict(state_dict))
opt.load_state_dict(checkpoint["optimizer"])
sched.load_state_dict(checkpoint["scheduler"])
torch.set_rng_state(checkpoint["cpu_rng_state"])
g = torch.Generator()
g.set_state(checkpoint["gen_state"])
print(
    "resumed at",
    checkpoint["iter_num"],
    "lr",
    round(sched.get_last_lr()[0], 7),
    opt.param_groups[0]["lr"] == sched.get_last_lr()[0],
)
train(model, opt, sched, g, checkpoint["iter_num"], 12, log)
print("resumed ", log[::3])
print("identical:", log == straight)
print("tied after load:", model.lm_head.weight is model.wte.weight)
