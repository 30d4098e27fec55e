"""A reward model for RLHF as alignment tutorials build it: a small transformer encoder over
right-padded (chosen, rejected) pairs, the reward read at each sequence's last real token
(attention_mask.sum(-1) - 1 then advanced indexing with torch.arange(batch)), the
Bradley-Terry loss -logsigmoid(r_chosen - r_rejected) with a margin, accuracy and reward
statistics, then rewards whitened with mean/std for a PPO-style update and a KL penalty
against a reference policy's log-probabilities."""

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(4)
V, D, PAD = 20, 32, 0


class RewardModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, D, padding_idx=PAD)
        self.pos = nn.Parameter(torch.zeros(1, 16, D))
        layer = nn.TransformerEncoderLayer(D, 4, 64, dropout=0.0, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.value_head = nn.Linear(D, 1, bias=False)  # a bias cancels in r_chosen - r_rejected

    def forward(self, ids, attention_mask):
        T = ids.size(1)
        causal = torch.ones(T, T, dtype=torch.bool).triu(1)
        h = self.encoder(
            self.emb(ids) + self.pos[:, :T],
            mask=causal,
            src_key_padding_mask=attention_mask == 0,
            is_causal=True,
        )
        rewards = self.value_head(h).squeeze(-1)
        last = attention_mask.sum(dim=-1) - 1
        return rewards[torch.arange(ids.size(0)), last]


def make_pairs(n, g):
    chosen, rejected = [], []
    for _ in range(n):
        prompt = torch.randint(1, V, (3,), generator=g)
        good = torch.sort(prompt).values  # the preferred answer sorts the prompt
        bad = torch.randint(1, V, (int(torch.randint(2, 6, (1,), generator=g)),), generator=g)
        chosen.append(torch.cat([prompt, good]))
        rejected.append(torch.cat([prompt, bad]))
    return chosen, rejected


def pad(seqs):
    ids = nn.utils.rnn.pad_sequence(seqs, batch_first=True, padding_value=PAD)
    return ids, (ids != PAD).long()


g = torch.Generator().manual_seed(10)
chosen, rejected = make_pairs(24, g)
c_ids, c_mask = pad(chosen)
r_ids, r_mask = pad(rejected)
print(
    "shapes",
    tuple(c_ids.shape),
    tuple(r_ids.shape),
    "last index",
    (r_mask.sum(-1) - 1)[:6].tolist(),
)
rm = RewardModel()
opt = torch.optim.AdamW(rm.parameters(), lr=2e-3, weight_decay=0.0)
for epoch in range(12):
    r_c, r_r = rm(c_ids, c_mask), rm(r_ids, r_mask)
    loss = -F.logsigmoid(r_c - r_r - 0.1).mean()
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(rm.parameters(), 1.0)
    opt.step()
    if epoch % 3 == 0:
        acc = (r_c > r_r).float().mean().item()
        print(
            f"epoch {epoch}: loss {loss.item():.4f} acc {acc:.3f} "
            f"chosen {r_c.mean().item():.3f} rejected {r_r.mean().item():.3f}"
        )
rm.eval()
with torch.no_grad():
    scores = torch.cat([rm(c_ids, c_mask), rm(r_ids, r_mask)])
whitened = (scores - scores.mean()) / (scores.std() + 1e-8)
print(f"whitened mean {whitened.mean().abs().item() < 1e-6}, std {whitened.std().item():.4f}")

policy_logits = torch.randn(24, 5, V, requires_grad=True)
ref_logits = policy_logits.detach() + 0.1 * torch.randn(24, 5, V)
actions = torch.randint(1, V, (24, 5))
logp = F.log_softmax(policy_logits, -1).gather(-1, actions[..., None]).squeeze(-1)
ref_logp = F.log_softmax(ref_logits, -1).gather(-1, actions[..., None]).squeeze(-1)
kl = logp - ref_logp
reward = whitened[:24, None] - 0.05 * kl.detach()
advantage = reward - reward.mean()
ratio = torch.exp(logp - logp.detach())
pg_loss = -torch.min(ratio * advantage, ratio.clamp(0.8, 1.2) * advantage).mean()
pg_loss.backward()
print(
    f"kl {kl.mean().item():.5f}, pg loss {pg_loss.item():.5f},",
    f"grad norm {policy_logits.grad.norm().item():.5f}",
)
