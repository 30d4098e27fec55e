"""Direct preference optimization on a tiny policy as alignment repos write it: prompts and
chosen/rejected completions concatenated and right-padded, per-token log-probabilities with
log_softmax + gather on shifted logits and a loss mask, a frozen reference model made with
copy.deepcopy + requires_grad_(False) + eval(), the DPO sigmoid loss with beta and label
smoothing (logsigmoid), implicit rewards, reward accuracy and margins, and an SFT term."""

import copy

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(8)
V, PAD = 16, 0


class Policy(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 32)
        self.rnn = nn.GRU(32, 32, batch_first=True)
        self.head = nn.Linear(32, V)

    def forward(self, ids):
        return self.head(self.rnn(self.emb(ids))[0])


def build(prompt, chosen, rejected):
    seqs, masks = [], []
    for completion in (chosen, rejected):
        ids = prompt + completion
        seqs.append(torch.tensor(ids))
        masks.append(torch.tensor([0] * len(prompt) + [1] * len(completion)))
    return seqs, masks


g = torch.Generator().manual_seed(3)
pairs = []
for _ in range(8):
    prompt = torch.randint(1, V, (3,), generator=g).tolist()
    good = [(t + 1) % (V - 1) + 1 for t in prompt]  # the preferred answer: each token + 1
    bad = torch.randint(1, V, (int(torch.randint(2, 5, (1,), generator=g)),), generator=g).tolist()
    pairs.append(build(prompt, good, bad))
seqs = [s for p in pairs for s in p[0]]
masks = [m for p in pairs for m in p[1]]
ids = nn.utils.rnn.pad_sequence(seqs, batch_first=True, padding_value=PAD)
loss_mask = nn.utils.rnn.pad_sequence(masks, batch_first=True, padding_value=0).bool()
print("batch", tuple(ids.shape), "completion tokens", loss_mask.sum(1).tolist())


def get_batch_logps(logits, labels, mask, average_log_prob=False):
    logits, labels, mask = logits[:, :-1, :], labels[:, 1:].clone(), mask[:, 1:]
    labels[~mask] = 0
    per_token = torch.gather(logits.log_softmax(-1), dim=2, index=labels.unsqueeze(2)).squeeze(2)
    if average_log_prob:
        return (per_token * mask).sum(-1) / mask.sum(-1)
    return (per_token * mask).sum(-1)


def dpo_loss(pc, pr, rc, rr, beta=0.1, label_smoothing=0.0):
    logits = (pc - pr) - (rc - rr)
    losses = (
        -F.logsigmoid(beta * logits) * (1 - label_smoothing)
        - F.logsigmoid(-beta * logits) * label_smoothing
    )
    chosen_rewards = beta * (pc - rc).detach()
    rejected_rewards = beta * (pr - rr).detach()
    return losses, chosen_rewards, rejected_rewards


policy = Policy()
sft_opt = torch.optim.Adam(policy.parameters(), lr=1e-2)
for _ in range(10):
    logp = get_batch_logps(policy(ids), ids, loss_mask, average_log_prob=True)
    sft = -logp.mean()
    sft_opt.zero_grad()
    sft.backward()
    sft_opt.step()
print(f"sft nll {sft.item():.4f}")  # a little SFT first so that the reference is not uniform

reference = copy.deepcopy(policy).requires_grad_(False).eval()
print(
    "reference trainable",
    sum(p.requires_grad for p in reference.parameters()),
    "policy trainable",
    sum(p.requires_grad for p in policy.parameters()),
)
opt = torch.optim.AdamW(policy.parameters(), lr=5e-3)
for step in range(25):
    logps = get_batch_logps(policy(ids), ids, loss_mask)
    with torch.no_grad():
        ref_logps = get_batch_logps(reference(ids), ids, loss_mask)
    pc, pr = logps[0::2], logps[1::2]
    losses, cr, rr = dpo_loss(
        pc, pr, ref_logps[0::2], ref_logps[1::2], beta=0.5, label_smoothing=0.1
    )
    loss = losses.mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 5 == 0:
        acc = (cr > rr).float().mean()
        print(
            f"step {step}: loss {loss.item():.4f} reward acc {acc.item():.3f} "
            f"margin {(cr - rr).mean().item():.4f} chosen {cr.mean().item():.4f}"
        )
with torch.no_grad():
    drift = sum(
        (p - q).pow(2).sum()
        for p, q in zip(policy.parameters(), reference.parameters(), strict=False)
    )
print(f"distance from reference {drift.sqrt().item():.4f}")
print("reference grads", [p.grad for p in reference.parameters()][:2])
