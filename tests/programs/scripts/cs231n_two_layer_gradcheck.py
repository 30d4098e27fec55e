"""CS231n assignment style: a two-layer net's loss and gradients written by hand (affine,
ReLU, a numerically stable softmax loss with L2 regularisation), checked against autograd
and against centred finite differences (relative error), torch.autograd.gradcheck and
gradgradcheck on double inputs, then a solver with SGD-momentum updates written by hand,
learning-rate decay per epoch and the best validation parameters kept."""
# ruff: noqa: E731
import torch

torch.manual_seed(0)


def rel_error(x, y):
    return float(torch.max(torch.abs(x - y) / torch.clamp(torch.abs(x) + torch.abs(y), min=1e-8)))


def affine_forward(x, w, b):
    out = x.reshape(x.shape[0], -1) @ w + b
    return out, (x, w, b)


def affine_backward(dout, cache):
    x, w, b = cache
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T @ dout
    db = dout.sum(dim=0)
    return dx, dw, db


def relu_forward(x):
    return x.clamp(min=0), x


def relu_backward(dout, x):
    return dout * (x > 0)


def softmax_loss(x, y):
    shifted = x - x.max(dim=1, keepdim=True).values
    Z = shifted.exp().sum(dim=1, keepdim=True)
    log_probs = shifted - Z.log()
    probs = log_probs.exp()
    N = x.shape[0]
    loss = -log_probs[torch.arange(N), y].sum() / N
    dx = probs.clone()
    dx[torch.arange(N), y] -= 1
    dx /= N
    return loss, dx


class TwoLayerNet:
    def __init__(self, input_dim, hidden_dim, num_classes, weight_scale=1e-2, reg=0.0):
        self.params = {
            'W1': weight_scale * torch.randn(input_dim, hidden_dim, dtype=torch.float64),
            'b1': torch.zeros(hidden_dim, dtype=torch.float64),
            'W2': weight_scale * torch.randn(hidden_dim, num_classes, dtype=torch.float64),
            'b2': torch.zeros(num_classes, dtype=torch.float64)}
        self.reg = reg

    def loss(self, X, y=None):
        h, c1 = affine_forward(X, self.params['W1'], self.params['b1'])
        a, c2 = relu_forward(h)
        scores, c3 = affine_forward(a, self.params['W2'], self.params['b2'])
        if y is None:
            return scores
        loss, dscores = softmax_loss(scores, y)
        loss += 0.5 * self.reg * (torch.sum(self.params['W1'] ** 2)
                                  + torch.sum(self.params['W2'] ** 2))
        grads = {}
        da, grads['W2'], grads['b2'] = affine_backward(dscores, c3)
        dh = relu_backward(da, c2)
        _, grads['W1'], grads['b1'] = affine_backward(dh, c1)
        grads['W1'] += self.reg * self.params['W1']
        grads['W2'] += self.reg * self.params['W2']
        return loss, grads


def eval_numerical_gradient(f, x, h=1e-5):
    grad = torch.zeros_like(x)
    flat, gflat = x.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + h
        fxph = f(x)
        flat[i] = old - h
        fxmh = f(x)
        flat[i] = old
        gflat[i] = (fxph - fxmh) / (2 * h)
    return grad


N, D, H, C = 5, 6, 7, 3
X = torch.randn(N, D, dtype=torch.float64)
y = torch.randint(0, C, (N,))
model = TwoLayerNet(D, H, C, weight_scale=0.5, reg=0.1)
loss, grads = model.loss(X, y)
print(f"loss {loss.item():.6f}")
for name in sorted(grads):
    f = lambda _: model.loss(X, y)[0].item()
    num = eval_numerical_gradient(f, model.params[name])
    print(f"{name} relative error: {rel_error(num, grads[name]) < 1e-6}")

leaves = {k: v.clone().requires_grad_() for k, v in model.params.items()}
scores = torch.relu(X @ leaves['W1'] + leaves['b1']) @ leaves['W2'] + leaves['b2']
auto_loss = torch.nn.functional.cross_entropy(scores, y) + 0.05 * (
    leaves['W1'].pow(2).sum() + leaves['W2'].pow(2).sum())
auto_loss.backward()
print(abs(auto_loss.item() - loss.item()) < 1e-12,
      [rel_error(leaves[k].grad, grads[k]) < 1e-9 for k in sorted(grads)])


def two_layer(x, w1, w2):
    return torch.tanh(x @ w1) @ w2


inputs = (torch.randn(3, 4, dtype=torch.double, requires_grad=True),
          torch.randn(4, 5, dtype=torch.double, requires_grad=True),
          torch.randn(5, 2, dtype=torch.double, requires_grad=True))
print(torch.autograd.gradcheck(two_layer, inputs, eps=1e-6, atol=1e-4))
print(torch.autograd.gradgradcheck(two_layer, inputs))

X_train = torch.randn(200, 10, dtype=torch.float64)
true_W = torch.randn(10, 4, dtype=torch.float64)
y_train = (X_train @ true_W).argmax(1)
X_val, y_val = X_train[150:], y_train[150:]
X_train, y_train = X_train[:150], y_train[:150]
net = TwoLayerNet(10, 32, 4, weight_scale=0.1, reg=1e-3)
config = {k: {'velocity': torch.zeros_like(v)} for k, v in net.params.items()}
lr, momentum, lr_decay, batch_size = 0.5, 0.9, 0.9, 25
best_val, best_params = -1.0, None
gen = torch.Generator().manual_seed(1)
for epoch in range(5):
    perm = torch.randperm(150, generator=gen)
    for i in range(0, 150, batch_size):
        idx = perm[i:i + batch_size]
        loss, grads = net.loss(X_train[idx], y_train[idx])
        for k, w in net.params.items():
            v = config[k]['velocity']
            v.mul_(momentum).sub_(lr * grads[k])
            w += v
    lr *= lr_decay
    train_acc = (net.loss(X_train).argmax(1) == y_train).double().mean().item()
    val_acc = (net.loss(X_val).argmax(1) == y_val).double().mean().item()
    if val_acc > best_val:
        best_val = val_acc
        best_params = {k: v.clone() for k, v in net.params.items()}
    print(f"(Epoch {epoch + 1} / 5) loss {loss.item():.6f} train acc: {train_acc:.4f}; "
          f"val_acc: {val_acc:.4f}; lr {lr:.5f}")
print(best_val, sorted(best_params), best_params['b2'])
