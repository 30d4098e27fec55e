"""A branch on the sign of a reduction with `cond`, in both modes, values and gradients.

``score = sum(x @ w)``; when it is positive the model returns ``tanh(x @ w) * scale``, else
``(x @ w) ** 2``. In eager mode Python takes one branch and autograd follows it; in static
mode one ``cond`` node holds both branches as subgraphs and its gradient is a ``cond`` of the
branches' gradients, so the same branch is differentiated. Both modes must agree.

Run it: ``python examples/control_flow_branch.py``.
"""

import numpy as np

import eager
import shared_ops as ops
import static


def branchy(x, w, scale):
    """The model, written once with shared ops: the branch depends on the data."""
    h = ops.matmul(x, w)

    def positive(h):
        return ops.tanh(h) * scale

    def negative(h):
        return h * h

    return ops.cond(ops.sum(h) > 0, positive, negative, h)


def data(sign: float) -> dict[str, np.ndarray]:
    """Inputs whose score has the given sign (seeded)."""
    rng = np.random.default_rng(7)
    x = rng.standard_normal((4, 3)).astype(np.float32)
    w = rng.standard_normal((3, 2)).astype(np.float32)
    if np.sign((x @ w).sum()) != sign:
        w = -w
    return {"x": x, "w": w, "scale": np.array(1.5, np.float32)}


def run_eager(values: dict[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    """(output, d sum(out)/dw, d sum(out)/dscale) in eager mode."""
    x = eager.tensor(values["x"])
    w = eager.tensor(values["w"], requires_grad=True)
    scale = eager.tensor(values["scale"], requires_grad=True)
    out = branchy(x, w, scale)
    out.sum().backward()
    grad_scale = np.zeros((), np.float32) if scale.grad is None else scale.grad.numpy()
    return out.numpy().copy(), w.grad.numpy().copy(), np.array(grad_scale)


def run_static(values: dict[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    """The same three arrays from a static graph."""
    with static.Graph() as graph:
        x = static.placeholder((None, 3), name="x")
        w = static.variable(values["w"], name="w")
        scale = static.variable(values["scale"], name="scale")
        out = branchy(x, w, scale)
        grad_w, grad_scale = static.gradients(out.sum(), [w, scale])
    return tuple(static.Session(graph).run([out, grad_w, grad_scale], {x: values["x"]}))


def main() -> None:
    for sign in (1.0, -1.0):
        values = data(sign)
        for mode, run in (("eager", run_eager), ("static", run_static)):
            out, grad_w, grad_scale = run(values)
            print(f"score {sign:+.0f} {mode:>6}: out[0] = {np.round(out[0], 4)}  "
                  f"dw[0] = {np.round(grad_w[0], 4)}  dscale = {float(grad_scale):.4f}")


if __name__ == "__main__":
    main()
