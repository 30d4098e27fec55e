"""The peers of `bench_static.py`: the same steps in PyTorch eager and as one JAX jit function.

Each builder takes the workload's weights ``(in, out)`` and biases, its data and its loss
(``"bce"`` for the seed network, ``"ce"`` for the MLPs) and returns a no-argument step (or an
inference call with ``train=False``). `check_same_work` refuses to time a peer whose first
results differ from numpy-opt's.
"""

from __future__ import annotations

import numpy as np
from sgd_step import sgd_step  # a sibling (bench_static puts benchmarks/ on sys.path)


# --- torch eager ---------------------------------------------------------------------------------
def torch_step(torch, params, x, y, loss_kind, *, lr: float, train=True):
    layers = []
    for k in range(len(params) // 2):
        lin = torch.nn.Linear(*params[2 * k].shape)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(params[2 * k].T.copy()))
            lin.bias.copy_(torch.from_numpy(params[2 * k + 1]))
        layers += [lin, torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    if loss_kind == "bce":
        model.append(torch.nn.Sigmoid())
    xt = torch.from_numpy(x)
    if not train:
        def infer():
            with torch.no_grad():
                return model(xt)
        return infer
    yt = torch.from_numpy(y)
    crit = torch.nn.CrossEntropyLoss() if loss_kind == "ce" else torch.nn.BCELoss()
    return sgd_step(torch, model, lambda: crit(model(xt), yt), lr)


# --- JAX jit ------------------------------------------------------------------------------------
def jax_step(jax, params, x, y, loss_kind, *, lr: float, train=True):
    """The same step as one ``jax.jit`` function (float32, as JAX's default): a training step
    takes the params and returns (loss, new params), the old ones donated so that XLA may
    write the update over them; inference returns the logits. Each call blocks until every
    result is ready. Returns a no-argument step that returns the loss (or logits)."""
    jnp = jax.numpy
    n_layers = len(params) // 2

    def forward(ps, xb):
        h = xb
        for k in range(n_layers):
            h = h @ ps[2 * k] + ps[2 * k + 1]
            if k < n_layers - 1:
                h = jax.nn.relu(h)
        return h

    def loss_fn(ps, xb, yb):
        z = forward(ps, xb)
        if loss_kind == "bce":  # the seed network's sigmoid, then BCE on probabilities
            p = jax.nn.sigmoid(z)
            return -jnp.mean(yb * jnp.log(p) + (1 - yb) * jnp.log(1 - p))
        logp = jax.nn.log_softmax(z, axis=1)
        return -jnp.mean(jnp.take_along_axis(logp, yb[:, None], axis=1))

    def sgd(ps, xb, yb):
        loss, grads = jax.value_and_grad(loss_fn)(ps, xb, yb)
        return loss, tuple(p - lr * g for p, g in zip(ps, grads, strict=True))

    # Copies on the device, made once: the data are the same every step, as for the others.
    state = [tuple(jnp.array(p) for p in params)]
    xd = jnp.array(x)
    if not train:
        infer = jax.jit(forward)

        def run_infer():
            return infer(state[0], xd).block_until_ready()
        return run_infer
    yd = jnp.array(y.astype(np.int32) if loss_kind == "ce" else y)  # JAX's ints are 32-bit
    train_step = jax.jit(sgd, donate_argnums=0)

    def run_step():
        loss, state[0] = train_step(state[0], xd, yd)
        jax.block_until_ready((loss, state[0]))
        return loss
    return run_step


def check_same_work(name: str, peer: str, got, want) -> None:
    """Refuse to time a peer whose step computes something else than numpy-opt's."""
    if not np.allclose(np.asarray(got), np.asarray(want), rtol=1e-4, atol=1e-6):
        raise SystemExit(f"{name}: {peer} computes {np.asarray(got)!r} where numpy-opt "
                         f"computes {np.asarray(want)!r}: not the same step")
