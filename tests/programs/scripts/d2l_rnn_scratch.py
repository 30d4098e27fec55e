"""d2l.ai chapter 9 style: an RNN language model written from scratch (one-hot inputs,
a hand-made parameter list, gradient clipping by hand, perplexity) and batch norm written
from scratch with moving statistics updated without autograd."""
import collections
import math
import re

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
lines = ["The Time Machine, by H. G. Wells [1898]", "I", "The Time Traveller (for so it",
         "will be convenient to speak of him)"] * 8
lines = [re.sub("[^A-Za-z]+", " ", line).strip().lower() for line in lines]
tokens = [ch for line in lines for ch in line + " "]
counter = collections.Counter(tokens)
token_freqs = sorted(counter.items(), key=lambda x: x[1], reverse=True)
vocab = ["<unk>"] + [tok for tok, freq in token_freqs if freq >= 1]
idx = {tok: i for i, tok in enumerate(vocab)}
corpus = torch.tensor([idx.get(tok, 0) for tok in tokens])
V = len(vocab)
print("vocab", V, "corpus", corpus.shape[0], token_freqs[:3])


def get_params(vocab_size, num_hiddens):
    def normal(shape):
        return torch.randn(size=shape) * 0.01
    W_xh = normal((vocab_size, num_hiddens))
    W_hh = normal((num_hiddens, num_hiddens))
    b_h = torch.zeros(num_hiddens)
    W_hq = normal((num_hiddens, vocab_size))
    b_q = torch.zeros(vocab_size)
    params = [W_xh, W_hh, b_h, W_hq, b_q]
    for param in params:
        param.requires_grad_(True)
    return params


def rnn(inputs, state, params):
    W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        H = torch.tanh(torch.mm(X, W_xh) + torch.mm(H, W_hh) + b_h)
        Y = torch.mm(H, W_hq) + b_q
        outputs.append(Y)
    return torch.cat(outputs, dim=0), (H,)


def grad_clipping(params, theta):
    norm = torch.sqrt(sum(torch.sum(p.grad ** 2) for p in params))
    if norm > theta:
        for param in params:
            param.grad[:] *= theta / norm
    return norm


params = get_params(V, 32)
batch, steps = 4, 10
lr = 1.0
for epoch in range(6):
    offset = epoch % steps
    n = (corpus.numel() - offset - 1) // (batch * steps) * (batch * steps)
    Xs = corpus[offset:offset + n].reshape(batch, -1)
    Ys = corpus[offset + 1:offset + 1 + n].reshape(batch, -1)
    state = (torch.zeros((batch, 32)),)
    total, count = 0.0, 0
    for i in range(0, Xs.shape[1], steps):
        X, Y = Xs[:, i:i + steps], Ys[:, i:i + steps]
        state = tuple(s.detach_() for s in state)
        inputs = F.one_hot(X.T, V).type(torch.float32)
        y_hat, state = rnn(inputs, state, params)
        y = Y.T.reshape(-1)
        l = F.cross_entropy(y_hat, y.long()).mean()
        for p in params:
            if p.grad is not None:
                p.grad.zero_()
        l.backward()
        norm = grad_clipping(params, 1)
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad
        total += l.item() * y.numel()
        count += y.numel()
    print(f"epoch {epoch} perplexity {math.exp(total / count):.4f} last norm {float(norm):.4f}")


def predict(prefix, num_preds):
    state = (torch.zeros((1, 32)),)
    outputs = [idx[prefix[0]]]

    def get_input():
        return F.one_hot(torch.tensor([outputs[-1]]).reshape((1, 1)), V).float()

    for y in prefix[1:]:
        _, state = rnn(get_input(), state, params)
        outputs.append(idx[y])
    for _ in range(num_preds):
        y, state = rnn(get_input(), state, params)
        outputs.append(int(y.argmax(dim=1).reshape(1)))
    return "".join([vocab[i] for i in outputs])


print(repr(predict("time ", 10)))


def batch_norm(X, gamma, beta, moving_mean, moving_var, eps, momentum):
    if not torch.is_grad_enabled():
        X_hat = (X - moving_mean) / torch.sqrt(moving_var + eps)
    else:
        assert len(X.shape) in (2, 4)
        if len(X.shape) == 2:
            mean = X.mean(dim=0)
            var = ((X - mean) ** 2).mean(dim=0)
        else:
            mean = X.mean(dim=(0, 2, 3), keepdim=True)
            var = ((X - mean) ** 2).mean(dim=(0, 2, 3), keepdim=True)
        X_hat = (X - mean) / torch.sqrt(var + eps)
        moving_mean = (1.0 - momentum) * moving_mean + momentum * mean
        moving_var = (1.0 - momentum) * moving_var + momentum * var
    Y = gamma * X_hat + beta
    return Y, moving_mean.data, moving_var.data


class BatchNorm(nn.Module):
    def __init__(self, num_features, num_dims):
        super().__init__()
        shape = (1, num_features) if num_dims == 2 else (1, num_features, 1, 1)
        self.gamma = nn.Parameter(torch.ones(shape))
        self.beta = nn.Parameter(torch.zeros(shape))
        self.moving_mean = torch.zeros(shape)
        self.moving_var = torch.ones(shape)

    def forward(self, X):
        if self.moving_mean.device != X.device:
            self.moving_mean = self.moving_mean.to(X.device)
            self.moving_var = self.moving_var.to(X.device)
        Y, self.moving_mean, self.moving_var = batch_norm(
            X, self.gamma, self.beta, self.moving_mean, self.moving_var, eps=1e-5, momentum=0.1)
        return Y


net = nn.Sequential(nn.Conv2d(1, 4, kernel_size=3), BatchNorm(4, num_dims=4), nn.Sigmoid(),
                    nn.AvgPool2d(kernel_size=2, stride=2), nn.Flatten(),
                    nn.Linear(4 * 3 * 3, 8), BatchNorm(8, num_dims=2), nn.Sigmoid(),
                    nn.Linear(8, 3))
ref = nn.BatchNorm2d(4)
x = torch.randn(16, 1, 8, 8)
labels = torch.randint(0, 3, (16,))
trainer = torch.optim.SGD(net.parameters(), lr=0.5)
loss_fn = nn.CrossEntropyLoss(reduction="none")
for step in range(5):
    trainer.zero_grad()
    l = loss_fn(net(x), labels)
    l.mean().backward()
    trainer.step()
    loss = l.mean()
    ref(net[0](x).detach())
    print(f"bn step {step} loss {loss.item():.5f}")
print(net[1].moving_mean.reshape(-1))
print(ref.running_mean)
print(torch.allclose(net[1].moving_var.reshape(-1), ref.running_var, atol=0.05))
with torch.no_grad():
    print(net(x[:2]))
print(net[1].gamma.reshape((-1,)), net[1].gamma.grad.shape)
