"""Newton's iteration to convergence with `while_loop`, in both modes, values and gradients.

The square root of ``a`` is the fixed point of ``x <- (x + a / x) / 2``. The loop runs until
``|x * x - a| < tol`` (a data-dependent trip count), at most ``MAX_STEPS`` times. Eager mode
runs the Python loop and differentiates through the iterations taken; static mode builds one
``while_loop`` node and, thanks to ``maximum_iterations``, differentiates it as a bounded scan.
Both must give sqrt(a) and d sqrt(a) / da = 1 / (2 sqrt(a)).

Run it: ``python examples/control_flow_newton.py``.
"""

import numpy as np

import eager
import shared_ops as ops
import static

TOL = 1e-5
MAX_STEPS = 30


def newton_sqrt(a):
    """sqrt(a) by Newton's iteration from x = a (a > 0), written once for both modes."""
    def not_converged(x):
        return ops.max(ops.abs(x * x - a)) > TOL

    def step(x):
        return (0.5 * (x + a / x),)

    (x,) = ops.while_loop(not_converged, step, (a * 1.0,), maximum_iterations=MAX_STEPS)
    return x


def run_eager(a_value: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sqrt(a), d sum(sqrt(a)) / da) in eager mode."""
    a = eager.tensor(a_value, requires_grad=True)
    root = newton_sqrt(a)
    root.sum().backward()
    return root.numpy().copy(), a.grad.numpy().copy()


def run_static(a_value: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sqrt(a), d sum(sqrt(a)) / da) from a static graph run by a Session."""
    with static.Graph() as graph:
        a = static.placeholder((None,), name="a")
        root = newton_sqrt(a)
        (grad_a,) = static.gradients(root.sum(), [a])
    return tuple(static.Session(graph).run([root, grad_a], {a: a_value}))


def main() -> None:
    a = np.array([2.0, 9.0, 0.25], np.float32)
    for mode, run in (("eager", run_eager), ("static", run_static)):
        root, grad = run(a)
        print(f"{mode:>6}: sqrt = {np.round(root, 5)}  d/da = {np.round(grad, 5)}")
    print(f"{'exact':>6}: sqrt = {np.round(np.sqrt(a), 5)}  d/da = {np.round(0.5 / np.sqrt(a), 5)}")


if __name__ == "__main__":
    main()
