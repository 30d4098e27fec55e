"""d2l.ai chapters 3-4 written from scratch: softmax regression (softmax by exp and a keepdim
sum, cross entropy by picking y_hat[range(n), y]), an Accumulator of metrics, an MLP with
relu as torch.max against zeros, dropout from scratch with a rand mask, and minibatch SGD
written by hand under torch.no_grad with params updated in place."""
# ruff: noqa: B905
import random

import torch

torch.manual_seed(0)
random.seed(0)


def synthetic_classes(n, num_inputs, num_classes):
    centers = torch.randn(num_classes, num_inputs) * 2
    y = torch.randint(0, num_classes, (n,))
    X = centers[y] + torch.randn(n, num_inputs)
    return X, y


def data_iter(batch_size, features, labels):
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(indices[i: min(i + batch_size, num_examples)])
        yield features[batch_indices], labels[batch_indices]


def softmax(X):
    X_exp = torch.exp(X)
    partition = X_exp.sum(1, keepdim=True)
    return X_exp / partition


def cross_entropy(y_hat, y):
    return -torch.log(y_hat[range(len(y_hat)), y])


def accuracy(y_hat, y):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())


class Accumulator:
    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def __getitem__(self, idx):
        return self.data[idx]


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def relu(X):
    a = torch.zeros_like(X)
    return torch.max(X, a)


def dropout_layer(X, dropout):
    assert 0 <= dropout <= 1
    if dropout == 1:
        return torch.zeros_like(X)
    if dropout == 0:
        return X
    mask = (torch.rand(X.shape) > dropout).float()
    return mask * X / (1.0 - dropout)


X = torch.arange(16, dtype=torch.float32).reshape((2, 8))
print(dropout_layer(X, 0.))
print(dropout_layer(X, 0.5))
print(dropout_layer(X, 1.))

Xs = torch.normal(0, 1, (2, 5))
X_prob = softmax(Xs)
print(X_prob, X_prob.sum(1))
y = torch.tensor([0, 2])
y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
print(y_hat[[0, 1], y], cross_entropy(y_hat, y), accuracy(y_hat, y) / len(y))

features, labels = synthetic_classes(600, 20, 4)
num_inputs, num_outputs = 20, 4
W = torch.normal(0, 0.01, size=(num_inputs, num_outputs), requires_grad=True)
b = torch.zeros(num_outputs, requires_grad=True)


def net(X):
    return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)


for epoch in range(3):
    metric = Accumulator(3)
    for Xb, yb in data_iter(64, features, labels):
        y_hat = net(Xb)
        l = cross_entropy(y_hat, yb)
        l.sum().backward()
        sgd([W, b], 0.1, Xb.shape[0])
        metric.add(l.sum().item(), accuracy(y_hat, yb), yb.numel())
    print(f"softmax epoch {epoch + 1}, loss {metric[0] / metric[2]:.4f}, "
          f"train acc {metric[1] / metric[2]:.3f}")

num_hiddens1, num_hiddens2 = 32, 16
W1 = torch.nn.Parameter(torch.randn(num_inputs, num_hiddens1) * 0.01)
b1 = torch.nn.Parameter(torch.zeros(num_hiddens1))
W2 = torch.nn.Parameter(torch.randn(num_hiddens1, num_hiddens2) * 0.01)
b2 = torch.nn.Parameter(torch.zeros(num_hiddens2))
W3 = torch.nn.Parameter(torch.randn(num_hiddens2, num_outputs) * 0.01)
b3 = torch.nn.Parameter(torch.zeros(num_outputs))
params = [W1, b1, W2, b2, W3, b3]


def mlp(X, training=True):
    H1 = relu(X.reshape((-1, num_inputs)) @ W1 + b1)
    if training:
        H1 = dropout_layer(H1, 0.2)
    H2 = relu(H1 @ W2 + b2)
    if training:
        H2 = dropout_layer(H2, 0.5)
    return H2 @ W3 + b3


loss = torch.nn.CrossEntropyLoss(reduction='none')
for epoch in range(4):
    metric = Accumulator(3)
    for Xb, yb in data_iter(32, features, labels):
        l = loss(mlp(Xb), yb)
        l.sum().backward()
        sgd(params, 0.5, Xb.shape[0])
        metric.add(l.sum().item(), 0, yb.numel())
    with torch.no_grad():
        acc = accuracy(mlp(features, training=False), labels) / len(labels)
    print(f"mlp epoch {epoch + 1}, loss {metric[0] / metric[2]:.4f}, acc {acc:.3f}")
print(W1.grad.abs().sum(), type(W1).__name__, W1.shape, W1.dtype)
