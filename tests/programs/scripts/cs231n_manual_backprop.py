"""CS231n assignment style: a two-layer net with a softmax loss and its backward pass written
by hand (vectorized, with L2 regularization), checked with a centered numeric gradient and the
relative error, then against autograd; batch norm's backward by hand; an SGD loop with
learning-rate decay and train/val accuracy."""
import torch

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)


def rel_error(x, y):
    return torch.max(torch.abs(x - y) / torch.clamp(torch.abs(x) + torch.abs(y), min=1e-8)).item()


def loss_and_grads(params, X, y, reg):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    h = X.mm(W1) + b1
    a = h.clamp(min=0)
    scores = a.mm(W2) + b2
    shifted = scores - scores.max(dim=1, keepdim=True).values
    probs = shifted.exp() / shifted.exp().sum(dim=1, keepdim=True)
    loss = -probs[torch.arange(N), y].log().mean() + reg * ((W1 * W1).sum() + (W2 * W2).sum())
    dscores = probs.clone()
    dscores[range(N), y] -= 1
    dscores /= N
    grads = {"W2": a.t().mm(dscores) + 2 * reg * W2, "b2": dscores.sum(0)}
    da = dscores.mm(W2.t())
    dh = da * (h > 0)
    grads["W1"] = X.t().mm(dh) + 2 * reg * W1
    grads["b1"] = dh.sum(0)
    return loss, grads


def grad_check_sparse(f, x, analytic, num_checks=3, h=1e-5):
    """The assignment's spot check: centered differences at a few random entries."""
    worst = 0.0
    for ix in torch.randint(x.numel(), (num_checks,)).tolist():
        saved = x.view(-1)[ix].item()
        x.view(-1)[ix] = saved + h
        up = f()
        x.view(-1)[ix] = saved - h
        down = f()
        x.view(-1)[ix] = saved
        numeric, exact = (up - down) / (2 * h), analytic.view(-1)[ix].item()
        worst = max(worst, abs(numeric - exact) / max(abs(numeric) + abs(exact), 1e-8))
    return worst


N, D, H, C = 5, 4, 10, 3
X = torch.randn(N, D)
y = torch.tensor([0, 1, 2, 2, 1])
params = {"W1": 1e-1 * torch.randn(D, H), "b1": torch.zeros(H),
          "W2": 1e-1 * torch.randn(H, C), "b2": torch.zeros(C)}
loss, grads = loss_and_grads(params, X, y, reg=0.05)
print(f"loss {loss.item():.8f}")
for name in sorted(params):
    err = grad_check_sparse(lambda: loss_and_grads(params, X, y, 0.05)[0].item(), params[name],
                            grads[name])
    print(f"{name} spot-check relative error: {err:.2e}" if err > 1e-6 else f"{name} ok")
auto = {k: v.clone().requires_grad_() for k, v in params.items()}
loss_a, _ = loss_and_grads(auto, X, y, 0.05)
loss_a.backward()
print("autograd agrees:", all(torch.allclose(auto[k].grad, grads[k]) for k in params))


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mu = x.mean(0)
    var = x.var(0, unbiased=False)
    xhat = (x - mu) / torch.sqrt(var + eps)
    return gamma * xhat + beta, (xhat, gamma, var, eps)


def batchnorm_backward_alt(dout, cache):
    xhat, gamma, var, eps = cache
    n = dout.shape[0]
    dgamma = (dout * xhat).sum(0)
    dbeta = dout.sum(0)
    dxhat = dout * gamma
    dx = (n * dxhat - dxhat.sum(0) - xhat * (dxhat * xhat).sum(0)) / (n * torch.sqrt(var + eps))
    return dx, dgamma, dbeta


xb = (5 * torch.randn(6, 4) + 12).requires_grad_()
gamma = torch.rand(4, requires_grad=True)
beta = torch.randn(4, requires_grad=True)
out, cache = batchnorm_forward(xb, gamma, beta)
print("means", out.mean(0).detach(), "stds", out.std(0, unbiased=False).detach())
dout = torch.randn(6, 4)
out.backward(dout)
detached = tuple(c.detach() if torch.is_tensor(c) else c for c in cache)
dx, dgamma, dbeta = batchnorm_backward_alt(dout, detached)
print(f"bn dx err {rel_error(dx, xb.grad):.1e} dgamma err {rel_error(dgamma, gamma.grad):.1e}"
      if rel_error(dx, xb.grad) > 1e-8 else "bn backward ok", rel_error(dbeta, beta.grad) < 1e-10)

torch.set_default_dtype(torch.float32)
Xtr = torch.randn(300, 6)
ytr = (Xtr[:, :3].sum(1) > 0).long() + (Xtr[:, 3] > 0.5).long()
Xval, yval = Xtr[240:], ytr[240:]
Xtr, ytr = Xtr[:240], ytr[:240]
p = {"W1": 1e-1 * torch.randn(6, 32), "b1": torch.zeros(32),
     "W2": 1e-1 * torch.randn(32, 3), "b2": torch.zeros(3)}
lr, history = 0.5, []
for it in range(60):
    idx = torch.randint(0, 240, (48,))
    loss, g = loss_and_grads(p, Xtr[idx], ytr[idx], reg=1e-3)
    for k in p:
        p[k] -= lr * g[k]
    history.append(loss.item())
    if it % 20 == 19:
        lr *= 0.9
        def pred(Z):
            return ((Z.mm(p["W1"]) + p["b1"]).clamp(min=0).mm(p["W2"]) + p["b2"]).argmax(1)
        train_acc = (pred(Xtr) == ytr).double().mean()
        print(f"iter {it + 1} loss {loss.item():.4f} train acc {train_acc:.4f}"
              f" val acc {(pred(Xval) == yval).float().mean():.4f} lr {lr:.4f}")
print(torch.tensor(history[::10]))
print(torch.get_default_dtype(), torch.tensor([1.0]).dtype,
      torch.zeros(1, dtype=torch.float64).dtype)
