"""d2l.ai chapter 10 written from scratch: GRU and LSTM cells from a hand-made parameter
list (normal(shape) * 0.01, three() tuples of gate weights), one-hot inputs from F.one_hot of
the transposed batch, a state tuple begun with zeros, outputs joined by torch.cat, gradient
clipping by the global norm computed by hand, perplexity per epoch, and greedy prediction
of a prefix with a tiny character vocabulary."""
# ruff: noqa: E731, UP034
import math

import torch
from torch.nn import functional as F

torch.manual_seed(0)

text = "the time machine by h g wells " * 12
vocab = sorted(set(text))
idx = {c: i for i, c in enumerate(vocab)}
corpus = torch.tensor([idx[c] for c in text])
V = len(vocab)
print(V, corpus[:20])


def batches(batch_size, num_steps):
    n = (len(corpus) - 1) // (batch_size * num_steps) * batch_size * num_steps
    X = corpus[:n].reshape(batch_size, -1)
    Y = corpus[1:n + 1].reshape(batch_size, -1)
    for i in range(0, X.shape[1], num_steps):
        yield X[:, i:i + num_steps], Y[:, i:i + num_steps]


def normal(shape):
    return torch.randn(size=shape) * 0.01


def three(num_inputs, num_hiddens):
    return (normal((num_inputs, num_hiddens)), normal((num_hiddens, num_hiddens)),
            torch.zeros(num_hiddens))


def get_gru_params(vocab_size, num_hiddens):
    W_xz, W_hz, b_z = three(vocab_size, num_hiddens)
    W_xr, W_hr, b_r = three(vocab_size, num_hiddens)
    W_xh, W_hh, b_h = three(vocab_size, num_hiddens)
    W_hq = normal((num_hiddens, vocab_size))
    b_q = torch.zeros(vocab_size)
    params = [W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h, W_hq, b_q]
    for param in params:
        param.requires_grad_(True)
    return params


def gru(inputs, state, params):
    W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        Z = torch.sigmoid((X @ W_xz) + (H @ W_hz) + b_z)
        R = torch.sigmoid((X @ W_xr) + (H @ W_hr) + b_r)
        H_tilda = torch.tanh((X @ W_xh) + ((R * H) @ W_hh) + b_h)
        H = Z * H + (1 - Z) * H_tilda
        Y = H @ W_hq + b_q
        outputs.append(Y)
    return torch.cat(outputs, dim=0), (H,)


def get_lstm_params(vocab_size, num_hiddens):
    W_xi, W_hi, b_i = three(vocab_size, num_hiddens)
    W_xf, W_hf, b_f = three(vocab_size, num_hiddens)
    W_xo, W_ho, b_o = three(vocab_size, num_hiddens)
    W_xc, W_hc, b_c = three(vocab_size, num_hiddens)
    W_hq = normal((num_hiddens, vocab_size))
    b_q = torch.zeros(vocab_size)
    params = [W_xi, W_hi, b_i, W_xf, W_hf, b_f, W_xo, W_ho, b_o, W_xc, W_hc, b_c, W_hq, b_q]
    for param in params:
        param.requires_grad_(True)
    return params


def lstm(inputs, state, params):
    [W_xi, W_hi, b_i, W_xf, W_hf, b_f, W_xo, W_ho, b_o, W_xc, W_hc, b_c, W_hq, b_q] = params
    (H, C) = state
    outputs = []
    for X in inputs:
        I = torch.sigmoid((X @ W_xi) + (H @ W_hi) + b_i)
        F_ = torch.sigmoid((X @ W_xf) + (H @ W_hf) + b_f)
        O = torch.sigmoid((X @ W_xo) + (H @ W_ho) + b_o)
        C_tilda = torch.tanh((X @ W_xc) + (H @ W_hc) + b_c)
        C = F_ * C + I * C_tilda
        H = O * torch.tanh(C)
        Y = (H @ W_hq) + b_q
        outputs.append(Y)
    return torch.cat(outputs, dim=0), (H, C)


class RNNModelScratch:
    def __init__(self, vocab_size, num_hiddens, get_params, init_state, forward_fn):
        self.vocab_size, self.num_hiddens = vocab_size, num_hiddens
        self.params = get_params(vocab_size, num_hiddens)
        self.init_state, self.forward_fn = init_state, forward_fn

    def __call__(self, X, state):
        X = F.one_hot(X.T, self.vocab_size).type(torch.float32)
        return self.forward_fn(X, state, self.params)

    def begin_state(self, batch_size):
        return self.init_state(batch_size, self.num_hiddens)


def grad_clipping(params, theta):
    norm = torch.sqrt(sum(torch.sum((p.grad ** 2)) for p in params))
    if norm > theta:
        for param in params:
            param.grad[:] *= theta / norm
    return norm


def predict(prefix, num_preds, net):
    state = net.begin_state(batch_size=1)
    outputs = [idx[prefix[0]]]
    get_input = lambda: torch.tensor([outputs[-1]]).reshape((1, 1))
    for y in prefix[1:]:
        _, state = net(get_input(), state)
        outputs.append(idx[y])
    for _ in range(num_preds):
        y, state = net(get_input(), state)
        outputs.append(int(y.argmax(dim=1).reshape(1)))
    return ''.join([vocab[i] for i in outputs])


def train(net, lr, num_epochs, batch_size=4, num_steps=10):
    loss = torch.nn.CrossEntropyLoss()
    for epoch in range(num_epochs):
        state = None
        total, count = 0.0, 0
        for X, Y in batches(batch_size, num_steps):
            if state is None:
                state = net.begin_state(batch_size)
            else:
                state = tuple(s.detach_() for s in state)
            y_hat, state = net(X, state)
            y = Y.T.reshape(-1)
            l = loss(y_hat, y.long()).mean()
            for p in net.params:
                p.grad = None
            l.backward()
            norm = grad_clipping(net.params, 1)
            with torch.no_grad():
                for p in net.params:
                    p -= lr * p.grad
            total += l.item() * y.numel()
            count += y.numel()
        if epoch % 4 == 3:
            print(f"epoch {epoch + 1} perplexity {math.exp(total / count):.3f} "
                  f"norm {float(norm):.4f}")


gru_net = RNNModelScratch(V, 24, get_gru_params, lambda b, h: (torch.zeros((b, h)),), gru)
X = torch.arange(10).reshape((2, 5))
Y, new_state = gru_net(X, gru_net.begin_state(X.shape[0]))
print(Y.shape, len(new_state), new_state[0].shape)
train(gru_net, 2.0, 12)
print(predict('the ', 12, gru_net))
lstm_net = RNNModelScratch(V, 24, get_lstm_params,
                           lambda b, h: (torch.zeros((b, h)), torch.zeros((b, h))), lstm)
train(lstm_net, 2.0, 12)
print(predict('time ', 12, lstm_net))
