"""The strong-Wolfe line search of `LBFGS(line_search_fn="strong_wolfe")`, as PyTorch runs it.

Along a descent direction ``d`` from ``x`` (loss ``f``, directional derivative ``gtd < 0``) a
step ``t`` is accepted when it satisfies both strong Wolfe conditions:

    sufficient decrease   f(x + t d) <= f + c1 t gtd
    curvature             |g(x + t d) . d| <= -c2 gtd

The search first grows ``t`` (cubic extrapolation inside ``[t + 0.01 (t - t_prev), 10 t]``)
until an interval is known to bracket such a step, then shrinks the bracket (the zoom phase)
by cubic interpolation, nudging a trial that lands too near an end ``0.1`` of the bracket's
width inside. Every trial is one evaluation of the objective; at most ``max_ls`` are made, and
the zoom stops once the bracket is narrower than ``tolerance_change`` along ``d``. Scalars
stay 0-d Tensors wherever PyTorch's do (its cubic works in the parameters' dtype), so the
chosen steps agree with PyTorch's to rounding.

    >>> import eager
    >>> float(cubic_minimizer(0.0, eager.tensor(1.0), eager.tensor(-2.0), 1.0,
    ...                       eager.tensor(0.0), eager.tensor(1.0)))
    0.8164966...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# f(x + t d) and its flat gradient, for a step t along d from x.
Objective = Callable[[Any, Any, Any], tuple[float, Any]]


def cubic_minimizer(x1: Any, f1: Any, g1: Any, x2: Any, f2: Any, g2: Any,
                    bounds: tuple[Any, Any] | None = None) -> Any:
    """The minimizer of the cubic through (x1, f1) and (x2, f2) with slopes g1 and g2,
    clamped to ``bounds`` (by default the two points); their midpoint when the cubic has no
    real minimizer."""
    if bounds is None:
        bounds = (x1, x2) if x1 <= x2 else (x2, x1)
    low, high = bounds
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1 ** 2 - g1 * g2
    if not d2_square >= 0:  # (a nan lands here too, as in PyTorch)
        return (low + high) / 2.0
    d2 = d2_square.sqrt()
    # Written from the farther point, so that the division stays well conditioned.
    if x1 <= x2:
        min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(min_pos, low), high)


class _Bracket:
    """Two (or, once the search is done, one) trial steps with their losses, gradients and
    directional derivatives; ``low`` indexes the one with the smaller loss."""

    def __init__(self, steps: list, losses: list, grads: list, slopes: list) -> None:
        self.t, self.f, self.g, self.gtd = steps, losses, grads, slopes
        self.sort()

    def sort(self) -> None:
        self.low, self.high = (0, 1) if self.f[0] <= self.f[-1] else (1, 0)

    def set(self, i: int, t: Any, f: Any, g: Any, gtd: Any) -> None:
        self.t[i], self.f[i], self.g[i], self.gtd[i] = t, f, g, gtd

    def width(self) -> Any:
        return abs(self.t[1] - self.t[0])

    def result(self, evals: int) -> tuple[Any, Any, Any, int]:
        """(loss, flat gradient, step) at the lower end, and ``evals``."""
        return self.f[self.low], self.g[self.low], self.t[self.low], evals


def strong_wolfe(obj_func: Objective, x: Any, t: Any, d: Any, f: float, g: Any, gtd: Any,
                 c1: float = 1e-4, c2: float = 0.9, tolerance_change: float = 1e-9,
                 max_ls: int = 25) -> tuple[float, Any, Any, int]:
    """Search along ``d`` from ``x`` starting at step ``t``; ``obj_func(x, t, d)`` returns the
    loss and flat gradient at ``x + t d``. Returns ``(loss, flat_grad, t, evaluations)`` at the
    accepted step (the bracket's lower end when the search ran out)."""
    d_norm = d.abs().max()
    g = g.clone()
    f_new, g_new = obj_func(x, t, d)
    evals = 1
    gtd_new = g_new.dot(d)
    t_prev, f_prev, g_prev, gtd_prev = 0, f, g, gtd
    bracket, ls_iter = None, 0
    while ls_iter < max_ls:
        too_far = f_new > (f + c1 * t * gtd) or (ls_iter > 1 and f_new >= f_prev)
        if not too_far and abs(gtd_new) <= -c2 * gtd:
            return f_new, g_new, t, evals  # both conditions hold at t
        if too_far or gtd_new >= 0:
            # No sufficient decrease, or uphill again: the step lies between t_prev and t.
            bracket = _Bracket([t_prev, t], [f_prev, f_new], [g_prev, g_new.clone()],
                               [gtd_prev, gtd_new])
            break
        # Still going down steeply: extrapolate past t.
        t_prev, t = t, cubic_minimizer(t_prev, f_prev, gtd_prev, t, f_new, gtd_new,
                                       bounds=(t + 0.01 * (t - t_prev), t * 10))
        f_prev, g_prev, gtd_prev = f_new, g_new.clone(), gtd_new
        f_new, g_new = obj_func(x, t, d)
        evals += 1
        gtd_new = g_new.dot(d)
        ls_iter += 1
    if bracket is None:
        # All max_ls trials went downhill steeply: the zoom below has no trial left, and the
        # search ends at the lower of 0 and the last t (no slopes are needed for that).
        return _Bracket([0, t], [f, f_new], [g, g_new], [None, None]).result(evals)
    evals += _zoom(obj_func, x, d, f, gtd, bracket, max_ls - ls_iter, d_norm, c1, c2,
                   tolerance_change)
    return bracket.result(evals)


def _zoom(obj_func: Objective, x: Any, d: Any, f: float, gtd: Any, bracket: _Bracket,
          trials: int, d_norm: Any, c1: float, c2: float, tolerance_change: float) -> int:
    """Shrink ``bracket`` in place until its lower end satisfies the strong Wolfe conditions,
    it is too narrow, or the ``trials`` are spent; returns the evaluations made."""
    insufficient_progress, evals, done = False, 0, False
    while not done and evals < trials:
        if bracket.width() * d_norm < tolerance_change:
            break
        t = cubic_minimizer(bracket.t[0], bracket.f[0], bracket.gtd[0],
                            bracket.t[1], bracket.f[1], bracket.gtd[1])
        t, insufficient_progress = _keep_off_the_ends(t, bracket.t, insufficient_progress)
        f_new, g_new = obj_func(x, t, d)
        evals += 1
        gtd_new = g_new.dot(d)
        low, high = bracket.low, bracket.high
        if f_new > (f + c1 * t * gtd) or f_new >= bracket.f[low]:
            # No better than the low end: t becomes the high end.
            bracket.set(high, t, f_new, g_new.clone(), gtd_new)
            bracket.sort()
            continue
        if abs(gtd_new) <= -c2 * gtd:
            done = True
        elif gtd_new * (bracket.t[high] - bracket.t[low]) >= 0:
            # The slope at t points away from the high end: the old low end replaces it.
            bracket.set(high, bracket.t[low], bracket.f[low], bracket.g[low],
                        bracket.gtd[low])
        bracket.set(low, t, f_new, g_new.clone(), gtd_new)
    return evals


def _keep_off_the_ends(t: Any, steps: list, insufficient_progress: bool) -> tuple[Any, bool]:
    """A trial within a tenth of the bracket's width from an end is moved that tenth inside
    when the previous trial was also that close or ``t`` is at (or past) an end; returns the
    trial and whether this one made insufficient progress."""
    top, bottom = max(steps), min(steps)
    eps = 0.1 * (top - bottom)
    if not min(top - t, t - bottom) < eps:
        return t, False
    if insufficient_progress or t >= top or t <= bottom:
        return (top - eps if abs(t - top) < abs(t - bottom) else bottom + eps), False
    return t, True


__all__ = ["cubic_minimizer", "strong_wolfe"]
