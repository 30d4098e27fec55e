"""Loading old checkpoints into a refactored model, the way libraries keep them loadable:
a load_state_dict pre-hook renaming keys (TF-style LayerNorm gamma/beta, a renamed
attribute, the "module." prefix DataParallel leaves), a module that bumps its ``_version``
and converts version-1 entries in ``_load_from_state_dict`` (a fused qkv weight split in
three), the private ``_register_load_state_dict_pre_hook`` older code uses, a load post-hook
forgiving a buffer the old model did not have, and state-dict hooks that keep a non-persistent
statistic out of the saved keys and count what is saved. Saved and reloaded through a file."""
import io
import re

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(31)


class OldAttention(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)


class OldBlock(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.ln = nn.Module()
        self.ln.gamma = nn.Parameter(torch.rand(d) + 0.5)
        self.ln.beta = nn.Parameter(torch.randn(d) * 0.1)
        self.attn = OldAttention(d)
        self.mlp = nn.Linear(d, d)


class OldModel(nn.Module):
    def __init__(self, d=8, depth=2):
        super().__init__()
        self.embed = nn.Linear(4, d)
        self.blocks = nn.ModuleList(OldBlock(d) for _ in range(depth))


class Attention(nn.Module):
    _version = 2  # version 1 kept q, k and v in one fused "qkv" Linear

    def __init__(self, d):
        super().__init__()
        self.q, self.k, self.v = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.proj = nn.Linear(d, d)

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict,
                              missing_keys, unexpected_keys, error_msgs):
        version = local_metadata.get("version", None)
        if version is None or version < 2:
            for kind in ("weight", "bias"):
                fused = state_dict.pop(prefix + "qkv." + kind, None)
                if fused is not None:
                    for name, part in zip("qkv", fused.chunk(3, dim=0), strict=True):
                        state_dict[prefix + name + "." + kind] = part
            if prefix + "out.weight" in state_dict:
                for kind in ("weight", "bias"):
                    state_dict[prefix + "proj." + kind] = state_dict.pop(prefix + "out." + kind)
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict,
                                      missing_keys, unexpected_keys, error_msgs)

    def forward(self, x):
        q, k, v = self.q(x), self.k(x), self.v(x)
        att = F.softmax(q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5, dim=-1)
        return self.proj(att @ v)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.attn = Attention(d)
        self.ffn = nn.Linear(d, d)
        self.register_buffer("gate", torch.ones(1))
        self._register_load_state_dict_pre_hook(self._rename_old_keys)

    @staticmethod
    def _rename_old_keys(state_dict, prefix, local_metadata, strict, missing, unexpected,
                         errors):
        renames = {"ln.gamma": "norm.weight", "ln.beta": "norm.bias", "mlp.": "ffn."}
        for key in list(state_dict):
            if not key.startswith(prefix):
                continue
            rest = key[len(prefix):]
            for old, new in renames.items():
                if rest.startswith(old):
                    state_dict[prefix + new + rest[len(old):]] = state_dict.pop(key)

    def forward(self, x):
        return x + self.gate * self.ffn(F.gelu(self.attn(self.norm(x))))


class Model(nn.Module):
    def __init__(self, d=8, depth=2):
        super().__init__()
        self.embed = nn.Linear(4, d)
        self.blocks = nn.ModuleList(Block(d) for _ in range(depth))
        self.register_buffer("seen", torch.zeros(()), persistent=False)

    def forward(self, x):
        x = self.embed(x)
        for blk in self.blocks:
            x = blk(x)
        self.seen += x.shape[0]
        return x.mean(dim=(1, 2))


def strip_data_parallel(module, state_dict, prefix, *args):
    for key in list(state_dict):
        if key.startswith(prefix + "module."):
            state_dict[prefix + key[len(prefix) + 7:]] = state_dict.pop(key)


forgiven = []


def forgive_new_gates(module, incompatible_keys):
    gates = [k for k in incompatible_keys.missing_keys if re.fullmatch(r"blocks\.\d+\.gate", k)]
    for k in gates:
        incompatible_keys.missing_keys.remove(k)
    forgiven.extend(gates)


old = OldModel()
old_sd = {"module." + k: v for k, v in old.state_dict().items()}  # saved from DataParallel
buffer = io.BytesIO()
torch.save(old_sd, buffer)
buffer.seek(0)
checkpoint = torch.load(buffer, weights_only=True)
print(len(checkpoint), list(checkpoint)[:3])

model = Model()
model.register_load_state_dict_pre_hook(strip_data_parallel)
post = model.register_load_state_dict_post_hook(forgive_new_gates)
result = model.load_state_dict(checkpoint)
print(result, forgiven)
print(torch.equal(model.blocks[1].norm.weight, old.blocks[1].ln.gamma),
      torch.equal(model.blocks[0].attn.k.weight, old.blocks[0].attn.qkv.weight[8:16]),
      torch.equal(model.blocks[0].attn.proj.bias, old.blocks[0].attn.out.bias))

x = torch.randn(3, 5, 4)
print(model(x))

saved = []
model.register_state_dict_pre_hook(lambda m, prefix, keep_vars: saved.append(keep_vars))
model.register_state_dict_post_hook(
    lambda m, sd, prefix, meta: saved.append((len(sd), meta["version"])))
new_sd = model.state_dict()
print(saved, sorted(new_sd._metadata.items())[:3], "seen" in new_sd)

post.remove()
twin = Model()
print(twin.load_state_dict(new_sd))
print(torch.allclose(twin(x), model(x)), model.seen.item(), twin.seen.item())
try:
    Model().load_state_dict(checkpoint)
except RuntimeError as err:
    print(str(err).splitlines()[1])
