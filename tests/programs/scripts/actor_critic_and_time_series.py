"""Actor-critic on a toy bandit-walk, and a time-series transformer with positional encoding."""
import math
from collections import namedtuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.distributions import Categorical

torch.manual_seed(11)
SavedAction = namedtuple("SavedAction", ["log_prob", "value"])


class Policy(nn.Module):
    """A shared trunk, then an action head (probabilities) and a value head."""

    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(4, 64), nn.ReLU())
        self.heads = nn.ModuleDict({"action": nn.Linear(64, 2), "value": nn.Linear(64, 1)})
        self.saved_actions, self.rewards = [], []

    def forward(self, x):
        h = self.trunk(x)
        return F.softmax(self.heads["action"](h), dim=-1), self.heads["value"](h)


model = Policy()
optimizer = optim.Adam(model.parameters(), lr=3e-2)
eps = np.finfo(np.float32).eps.item()
state = np.zeros(4, dtype=np.float32)
for episode in range(6):
    state[:] = 0.0
    for t in range(12):
        probs, value = model(torch.from_numpy(state).float())
        m = Categorical(probs)
        action = m.sample()
        model.saved_actions.append(SavedAction(m.log_prob(action), value))
        state[t % 4] += 1.0 if action.item() == 1 else -1.0
        model.rewards.append(float(state.sum()) / 10)
    R, returns = 0, []
    for r in model.rewards[::-1]:
        R = r + 0.99 * R
        returns.insert(0, R)
    returns = torch.tensor(returns)
    returns = (returns - returns.mean()) / (returns.std() + eps)
    policy_losses, value_losses = [], []
    for (log_prob, value), R in zip(model.saved_actions, returns, strict=True):
        advantage = R - value.item()
        policy_losses.append(-log_prob * advantage)
        value_losses.append(F.smooth_l1_loss(value, torch.tensor([R])))
    optimizer.zero_grad()
    loss = torch.stack(policy_losses).sum() + torch.stack(value_losses).sum()
    loss.backward()
    optimizer.step()
    del model.rewards[:], model.saved_actions[:]
    print(f"episode {episode} loss {loss.item():.4f} state {state.sum():.1f}")


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=64):
        super().__init__()
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, 1, d_model)
        pe[:, 0, 0::2] = torch.sin(position * div_term)
        pe[:, 0, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return x + self.pe[: x.size(0)]


class TSTransformer(nn.Module):
    def __init__(self, d=16):
        super().__init__()
        self.inp = nn.Linear(1, d)
        self.pos = PositionalEncoding(d)
        layer = nn.TransformerEncoderLayer(d, 2, 32, dropout=0.0)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.out = nn.Linear(d, 1)

    def forward(self, src, mask, padding):
        h = self.enc(self.pos(self.inp(src)), mask=mask, src_key_padding_mask=padding)
        return self.out(h)


series = torch.sin(torch.arange(0, 40, dtype=torch.float32) / 3).view(40, 1, 1)
src = series[:-1].repeat(1, 4, 1)
tgt = series[1:].repeat(1, 4, 1)
T = src.size(0)
mask = nn.Transformer.generate_square_subsequent_mask(T)
causal = torch.triu(torch.ones(T, T), diagonal=1).bool()
padding = torch.zeros(4, T, dtype=torch.bool)
padding[3, -5:] = True
print("masks agree:", torch.equal(mask == float("-inf"), causal))
net = TSTransformer()
opt = optim.AdamW(net.parameters(), lr=5e-3)
for step in range(8):
    pred = net(src, causal, padding)
    keep = ~padding.T.unsqueeze(-1)
    loss = ((pred - tgt) ** 2).masked_select(keep).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"ts step {step} loss {loss.item():.5f}")
steps = torch.div(torch.arange(10), 3, rounding_mode="floor")
print(steps.tolist())
