"""The DQN tutorial's learning step on a toy chain environment: a replay memory of namedtuple
transitions, gather of the taken actions' Q-values, a target network updated softly through
state_dicts, SmoothL1Loss, AdamW(amsgrad=True) and clip_grad_value_."""
import math
import random
from collections import deque, namedtuple

import torch
import torch.nn as nn
import torch.optim as optim

Transition = namedtuple("Transition", ("state", "action", "next_state", "reward"))
random.seed(0)
torch.manual_seed(0)


class ReplayMemory:
    def __init__(self, capacity):
        self.memory = deque([], maxlen=capacity)

    def push(self, *args):
        self.memory.append(Transition(*args))

    def sample(self, batch_size):
        return random.sample(self.memory, batch_size)

    def __len__(self):
        return len(self.memory)


class DQN(nn.Module):
    def __init__(self, n_observations, n_actions):
        super().__init__()
        self.layer1 = nn.Linear(n_observations, 32)
        self.layer2 = nn.Linear(32, 32)
        self.layer3 = nn.Linear(32, n_actions)

    def forward(self, x):
        x = torch.relu(self.layer1(x))
        x = torch.relu(self.layer2(x))
        return self.layer3(x)


N_STATES, BATCH_SIZE, GAMMA, TAU = 6, 16, 0.9, 0.05
policy_net, target_net = DQN(N_STATES, 2), DQN(N_STATES, 2)
target_net.load_state_dict(policy_net.state_dict())
optimizer = optim.AdamW(policy_net.parameters(), lr=1e-3, amsgrad=True)
memory = ReplayMemory(500)
steps_done = 0


def one_hot(s):
    return torch.nn.functional.one_hot(torch.tensor([s]), N_STATES).float()


def select_action(state):
    global steps_done
    eps = 0.05 + 0.85 * math.exp(-1.0 * steps_done / 60)
    steps_done += 1
    if random.random() > eps:
        with torch.no_grad():
            return policy_net(state).max(1).indices.view(1, 1)
    return torch.tensor([[random.randrange(2)]], dtype=torch.long)


def optimize_model():
    if len(memory) < BATCH_SIZE:
        return None
    batch = Transition(*zip(*memory.sample(BATCH_SIZE), strict=True))
    non_final_mask = torch.tensor(tuple(s is not None for s in batch.next_state),
                                  dtype=torch.bool)
    non_final_next_states = torch.cat([s for s in batch.next_state if s is not None])
    state_batch = torch.cat(batch.state)
    action_batch = torch.cat(batch.action)
    reward_batch = torch.cat(batch.reward)
    state_action_values = policy_net(state_batch).gather(1, action_batch)
    next_state_values = torch.zeros(BATCH_SIZE)
    with torch.no_grad():
        next_state_values[non_final_mask] = target_net(non_final_next_states).max(1).values
    expected = (next_state_values * GAMMA) + reward_batch
    loss = nn.SmoothL1Loss()(state_action_values, expected.unsqueeze(1))
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_value_(policy_net.parameters(), 100)
    optimizer.step()
    return loss.item()


for episode in range(8):
    s = 0
    state = one_hot(s)
    total = 0.0
    for step in range(12):
        length = step + 1
        action = select_action(state)
        s = max(0, s - 1) if action.item() == 0 else s + 1
        done = s == N_STATES - 1
        reward = torch.tensor([1.0 if done else -0.1])
        total += reward.item()
        next_state = None if done else one_hot(s)
        memory.push(state, action, next_state, reward)
        state = next_state
        loss = optimize_model()
        target_sd, policy_sd = target_net.state_dict(), policy_net.state_dict()
        for key in policy_sd:
            target_sd[key] = policy_sd[key] * TAU + target_sd[key] * (1 - TAU)
        target_net.load_state_dict(target_sd)
        if done:
            break
    print(f"episode {episode} steps {length} return {total:.2f} loss "
          f"{'none' if loss is None else format(loss, '.5f')}")
with torch.no_grad():
    q = policy_net(torch.eye(N_STATES))
print(q.argmax(1).tolist(), q.max().item() > q.min().item())
