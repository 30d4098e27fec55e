"""`LBFGS`: limited-memory BFGS with PyTorch's update, defaults, stopping rules and state.

Each ``step(closure)`` runs up to ``max_iter`` iterations on the parameters flattened into one
vector ``x`` with gradient ``g``:

    direction  d = -H g, H applied by the two-loop recursion over the last ``history_size``
               pairs (s = t d, y = g - g_prev), kept only when y.s > 1e-10, scaled by
               H_diag = y.s / y.y (the first iteration: d = -g)
    step size  t = lr, or min(1, 1 / |g|_1) * lr on the very first iteration
    update     x = x + t d, then re-evaluate ``closure`` (not after the last iteration)

stopping early when ``max(|g|) <= tolerance_grad``, the directional derivative ``g.d`` is
above ``-tolerance_change``, ``max(|t d|)`` or the change in loss falls under
``tolerance_change``, or ``max_eval`` evaluations are spent. The arithmetic is done on eager
Tensors in the parameters' dtype, as PyTorch does it on its own, so the iterates agree with
PyTorch's to rounding.
With ``line_search_fn="strong_wolfe"`` the step size is chosen by PyTorch's strong-Wolfe line
search (`line_search.py`) from ``t`` instead, its evaluations counting toward ``max_eval``.

    >>> import eager
    >>> x = eager.nn.Parameter(eager.tensor([3.0, -2.0]))
    >>> opt = LBFGS([x])
    >>> def closure():
    ...     opt.zero_grad()
    ...     loss = ((x - eager.tensor([1.0, 2.0])) ** 2).sum()
    ...     loss.backward()
    ...     return loss
    >>> _ = opt.step(closure)
    >>> [round(v, 4) for v in x.tolist()]
    [1.0, 2.0]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .. import creation
from ..autograd import enable_grad, no_grad
from ..functions import cat
from .line_search import strong_wolfe
from .optimizer import Optimizer


class LBFGS(Optimizer):
    """``LBFGS(params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7,
    tolerance_change=1e-9, history_size=100, line_search_fn=None)``; ``max_eval`` defaults to
    ``max_iter * 5 // 4``. One parameter group only, as in PyTorch."""

    def __init__(self, params: Iterable, lr: float = 1, max_iter: int = 20,
                 max_eval: int | None = None, tolerance_grad: float = 1e-7,
                 tolerance_change: float = 1e-9, history_size: int = 100,
                 line_search_fn: str | None = None) -> None:
        if not lr >= 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        super().__init__(params, {
            "lr": lr, "max_iter": max_iter, "max_eval": max_eval,
            "tolerance_grad": tolerance_grad, "tolerance_change": tolerance_change,
            "history_size": history_size, "line_search_fn": line_search_fn})
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]

    def _flat_grad(self) -> Any:
        """Every parameter's gradient in one vector (zeros for a parameter without one)."""
        return cat([p.grad.reshape(-1) if p.grad is not None else creation.zeros(p.numel(),
                    dtype=p.dtype) for p in self._params])

    def _move(self, step_size: Any, direction: Any) -> None:
        """x = x + step_size * direction, parameter by parameter, in place."""
        offset = 0
        for p in self._params:
            n = p.numel()
            p.add_(direction[offset:offset + n].view_as(p), alpha=step_size)
            offset += n

    def _along(self, closure: Callable[[], Any]) -> Callable:
        """The line search's objective: the loss and flat gradient at ``x + t d``, the
        parameters put back to ``x`` afterwards."""
        def evaluate(x: list, t: Any, d: Any) -> tuple[float, Any]:
            self._move(t, d)
            with enable_grad():
                loss = float(closure())
            g = self._flat_grad()
            for p, saved in zip(self._params, x, strict=True):
                p.copy_(saved)
            return loss, g

        return evaluate

    @staticmethod
    def _two_loop(g: Any, old_dirs: list, old_stps: list, ro: list, h_diag: Any,
                  history_size: int) -> tuple[Any, list]:
        """-H g by the two-loop recursion; returns it and the first loop's coefficients."""
        alphas: list = [None] * history_size
        q = g.neg()
        for i in range(len(old_dirs) - 1, -1, -1):
            alphas[i] = old_stps[i].dot(q) * ro[i]
            q.add_(old_dirs[i], alpha=-alphas[i])
        r = q * h_diag
        for i in range(len(old_dirs)):
            beta = old_dirs[i].dot(r) * ro[i]
            r.add_(old_stps[i], alpha=alphas[i] - beta)
        return r, alphas

    @no_grad()
    def step(self, closure: Callable[[], Any]) -> Any:  # type: ignore[override]
        """Run up to ``max_iter`` iterations; ``closure`` clears the gradients, computes the
        loss, calls ``backward`` and returns the loss. Returns the first loss computed."""
        if closure is None:
            raise RuntimeError("LBFGS requires a closure: step(closure)")
        group = self.param_groups[0]
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tol_grad, tol_change = group["tolerance_grad"], group["tolerance_change"]
        history_size = group["history_size"]
        line_search_fn = group["line_search_fn"]
        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        with enable_grad():
            orig_loss = closure()
        loss = float(orig_loss)
        evals = 1
        state["func_evals"] += 1
        g = self._flat_grad()
        if g.abs().max() <= tol_grad:
            return orig_loss

        d, t = state.get("d"), state.get("t")
        old_dirs, old_stps, ro = state.get("old_dirs"), state.get("old_stps"), state.get("ro")
        h_diag, alphas = state.get("H_diag"), state.get("al")
        prev_g, prev_loss = state.get("prev_flat_grad"), state.get("prev_loss")
        done_at_optimum = False
        for n_iter in range(1, max_iter + 1):
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d, old_dirs, old_stps, ro, h_diag = g.neg(), [], [], [], 1
            else:
                y, s = g - prev_g, d * t
                ys = y.dot(s)
                if ys > 1e-10:  # curvature condition: keep the pair
                    if len(old_dirs) == history_size:
                        old_dirs.pop(0)
                        old_stps.pop(0)
                        ro.pop(0)
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(1.0 / ys)
                    h_diag = ys / y.dot(y)
                d, alphas = self._two_loop(g, old_dirs, old_stps, ro, h_diag, history_size)
            prev_g = g.clone()
            prev_loss = loss
            t = min(1.0, 1.0 / g.abs().sum()) * lr if state["n_iter"] == 1 else lr
            gtd = g.dot(d)
            if gtd > -tol_change:  # not a descent direction any more
                break
            if line_search_fn is not None:
                if line_search_fn != "strong_wolfe":
                    raise RuntimeError("only 'strong_wolfe' is supported")
                loss, g, t, ls_evals = strong_wolfe(
                    self._along(closure), [p.clone() for p in self._params], t, d, loss, g,
                    gtd, max_ls=max_eval - evals)
                self._move(t, d)
                done_at_optimum = bool(g.abs().max() <= tol_grad)
            elif n_iter != max_iter:
                self._move(t, d)
                with enable_grad():
                    loss = float(closure())
                g = self._flat_grad()
                done_at_optimum = bool(g.abs().max() <= tol_grad)
                ls_evals = 1
            else:
                self._move(t, d)  # the last iteration: no evaluation after the move
                ls_evals = 0
            evals += ls_evals
            state["func_evals"] += ls_evals
            if n_iter == max_iter or evals >= max_eval or done_at_optimum:
                break
            if (d * t).abs().max() <= tol_change or abs(loss - prev_loss) < tol_change:
                break

        state.update({"d": d, "t": t, "old_dirs": old_dirs, "old_stps": old_stps, "ro": ro,
                      "H_diag": h_diag, "prev_flat_grad": prev_g, "prev_loss": prev_loss,
                      "al": alphas})
        return orig_loss
