"""Connectionist temporal classification loss, as ``torch.nn.functional.ctc_loss``.

``ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean",
zero_infinity=False)`` is a composite: the primitive ``ctc_loss_core`` gives each sequence's
negative log likelihood (N,), then the reduction (``"mean"`` divides each by its target length,
at least 1, then averages, as PyTorch).

The kernels run the forward (alpha) and backward (beta) recursions in log space over the
extended label sequence ``blank, l1, blank, l2, ..., blank`` (length ``2 S + 1``), vectorized
over the batch and the labels, with a Python loop over time only. ``ctc_loss_grad`` is
PyTorch's gradient *formula*: ``exp(log_probs) - exp(log(sum of alpha * beta over the
positions of each class) + nll - log_probs)``, zero past each input's length. That is the
gradient with respect to the logits a ``log_softmax`` made ``log_probs`` from, which is what
PyTorch returns for ``log_probs`` too; through a ``log_softmax`` (as CTC is used) it is the
exact gradient. PyTorch has no second derivative of it, nor has this.

    >>> import numpy as np
    >>> lp = np.log(np.full((2, 1, 2), 0.5))
    >>> float(ctc_loss(lp, np.array([[1]]), np.array([2]), np.array([1]), reduction="sum"))
    0.2876820724517809
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval
from ..errors import OpError, OpValueError, ShapeError, describe_shapes
from ..registry import composite, primitive
from ._rules import require_float, shape_of
from .elementwise import cast, div
from .elementwise_logic import clip
from .reductions import mean
from .reductions import sum as reduce_sum
from .shape import reshape

_NEG = -np.inf


def _labels(targets, input_lengths, target_lengths, blank, n_batch):
    """The extended labels (N, 2 S + 1) (blank-padded), their lengths and whether position s
    may be reached from s - 2 (a label differing from the one two back)."""
    lengths = np.asarray(target_lengths, dtype=np.int64).reshape(-1)
    if targets.ndim == 2:
        seqs = [targets[i, :lengths[i]] for i in range(n_batch)]
    else:
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        seqs = [targets[s:s + n] for s, n in zip(starts, lengths, strict=True)]
    width = 2 * int(lengths.max(initial=0)) + 1
    ext = np.full((n_batch, width), blank, dtype=np.int64)
    for i, seq in enumerate(seqs):
        ext[i, 1:2 * len(seq):2] = seq
    skip = np.zeros(ext.shape, dtype=bool)
    skip[:, 2:] = (ext[:, 2:] != blank) & (ext[:, 2:] != ext[:, :-2])
    return ext, 2 * lengths + 1, skip


def _shift(a: np.ndarray, k: int, fill=_NEG) -> np.ndarray:
    """``a`` moved ``k`` places along the last axis (right for k > 0, left for k < 0),
    ``fill`` coming in."""
    out = np.full(a.shape, fill, dtype=a.dtype)
    if k > 0:
        out[..., k:] = a[..., :-k]
    else:
        out[..., :k] = a[..., -k:]
    return out


class _Lattice:
    """The extended labels of a batch and the emission log-probabilities along them."""

    def __init__(self, lp, targets, input_lengths, target_lengths, blank):
        self.t_max, self.n = lp.shape[:2]
        self.ext, self.ext_len, self.skip = _labels(targets, input_lengths, target_lengths,
                                                    blank, self.n)
        self.t_len = np.asarray(input_lengths, dtype=np.int64).reshape(-1)
        self.emit = np.take_along_axis(lp.astype(np.float64), np.broadcast_to(
            self.ext, (self.t_max,) + self.ext.shape), axis=2)  # (T, N, S')
        self.pos = np.arange(self.ext.shape[1])

    def alpha(self) -> tuple[np.ndarray, np.ndarray]:
        """log alpha (T, N, S') (frozen past each input's end) and each sequence's nll."""
        alpha = np.full(self.emit.shape, _NEG)
        alpha[0][:, :2] = self.emit[0][:, :2]
        alpha[0][self.pos[None, :] >= self.ext_len[:, None]] = _NEG
        for t in range(1, self.t_max):
            prev = alpha[t - 1]
            a = np.logaddexp(prev, _shift(prev, 1))
            a = np.where(self.skip, np.logaddexp(a, _shift(prev, 2)), a) + self.emit[t]
            alpha[t] = np.where((t < self.t_len)[:, None], a, prev)
        rows = np.arange(self.n)
        last = alpha[np.maximum(self.t_len - 1, 0), rows]  # (N, S')
        before = np.where(self.ext_len >= 2, last[rows, np.maximum(self.ext_len - 2, 0)], _NEG)
        nll = -np.logaddexp(last[rows, self.ext_len - 1], before)
        empty = self.t_len == 0  # no steps: only an empty target is possible
        nll[empty] = np.where(self.ext_len[empty] == 1, 0.0, np.inf)
        return alpha, nll

    def beta(self) -> np.ndarray:
        """log beta (T, N, S'), counting each step's own emission, -inf past each input."""
        beta = np.full(self.emit.shape, _NEG)
        ends = (self.ext_len - 1)[:, None]
        final = (self.pos[None, :] == ends) | (self.pos[None, :] == ends - 1)
        skip_ahead = _shift(self.skip, -2, fill=False)  # may s + 2 be reached from s?
        for t in range(self.t_max - 1, -1, -1):
            b = np.full(final.shape, _NEG)
            if t + 1 < self.t_max:
                nxt = beta[t + 1]
                b = np.logaddexp(nxt, _shift(nxt, -1))
                b = np.where(skip_ahead, np.logaddexp(b, _shift(nxt, -2)), b) + self.emit[t]
            last = (t == self.t_len - 1)[:, None]
            inside = (t < self.t_len - 1)[:, None]
            beta[t] = np.where(last, np.where(final, self.emit[t], _NEG),
                               np.where(inside, b, _NEG))
        return beta


def _check(lp: Aval, targets: Aval, input_lengths: Aval, target_lengths: Aval) -> None:
    if len(lp.shape) != 3:
        raise ShapeError("ctc_loss", f"expected log_probs of shape (T, N, C), got "
                         f"{describe_shapes(lp.shape)}", shapes=[lp.shape])
    require_float("ctc_loss", lp)
    if targets.dtype.kind not in "iu" or input_lengths.dtype.kind not in "iu" or \
            target_lengths.dtype.kind not in "iu":
        raise OpValueError("ctc_loss", f"targets and lengths must be integers, got "
                           f"{targets.dtype}, {input_lengths.dtype}, {target_lengths.dtype}")


def _core_kernel(lp, targets, input_lengths, target_lengths, blank=0, zero_infinity=False):
    t_len = np.asarray(input_lengths).reshape(-1)
    if t_len.size and t_len.max() > lp.shape[0]:
        raise OpValueError("ctc_loss", f"Expected input_lengths to have value at most "
                           f"{lp.shape[0]}, but got value {int(t_len.max())}")
    nll = _Lattice(lp, targets, input_lengths, target_lengths, blank).alpha()[1]
    if zero_infinity:
        nll = np.where(np.isinf(nll), 0.0, nll)
    return nll.astype(lp.dtype)


def _core_rule(lp: Aval, targets: Aval, input_lengths: Aval, target_lengths: Aval,
               **_) -> Aval:
    _check(lp, targets, input_lengths, target_lengths)
    return Aval((lp.shape[1],), lp.dtype)


def _core_vjp(g, inputs, out, **attrs):
    return (ctc_loss_grad(g, *inputs, **attrs), None, None, None)


ctc_loss_core = primitive("ctc_loss_core", _core_kernel, _core_rule, _core_vjp,
                          nondiff_inputs=(1, 2, 3), torch_name="CtcLossBackward0")


def _grad_kernel(g, lp, targets, input_lengths, target_lengths, blank=0, zero_infinity=False):
    lattice = _Lattice(lp, targets, input_lengths, target_lengths, blank)
    alpha, nll = lattice.alpha()
    t_max, n, c = lp.shape
    t_len = lattice.t_len
    # log of the summed alpha * beta over the positions of each class, per step and sequence
    lcab = np.full((t_max, n, c), _NEG)
    tt, nn_, ss = np.meshgrid(np.arange(t_max), np.arange(n), lattice.pos, indexing="ij")
    np.logaddexp.at(lcab, (tt, nn_, lattice.ext[nn_, ss]), alpha + lattice.beta())
    lp64 = lp.astype(np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        grad = np.exp(lp64) - np.exp(lcab + nll[None, :, None] - lp64)
    grad = grad * np.asarray(g, dtype=np.float64)[None, :, None]
    grad[np.arange(t_max)[:, None] >= t_len[None, :]] = 0.0
    if zero_infinity:
        grad[:, np.isinf(nll)] = 0.0
    return grad.astype(lp.dtype)


def _grad_rule(g: Aval, lp: Aval, *rest: Aval, **_) -> Aval:
    return lp


def _grad_vjp(c, inputs, out, **attrs):
    raise OpError("ctc_loss_grad", "the derivative of the CTC loss's gradient is not "
                  "implemented (nor is it in PyTorch)")


ctc_loss_grad = primitive("ctc_loss_grad", _grad_kernel, _grad_rule, _grad_vjp,
                          nondiff_inputs=(1, 2, 3, 4))


@composite
def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank: int = 0,
             reduction: str = "mean", zero_infinity: bool = False):
    """The CTC loss of ``log_probs`` (T, N, C) against ``targets`` ((N, S) padded, or the
    concatenated targets), each sequence ``input_lengths[n]`` steps long with
    ``target_lengths[n]`` labels."""
    if reduction not in ("mean", "sum", "none"):
        raise OpValueError("ctc_loss", f"reduction must be one of ('mean', 'sum', 'none'), got "
                           f"{reduction!r}")
    c = shape_of(log_probs)[-1]
    if not 0 <= int(blank) < (c if c is not None else int(blank) + 1):
        raise OpValueError("ctc_loss", f"blank must be in label range, got blank={blank} for "
                           f"{c} classes")
    nll = ctc_loss_core(log_probs, targets, input_lengths, target_lengths, blank=int(blank),
                        zero_infinity=bool(zero_infinity))
    if reduction == "none":
        return nll
    if reduction == "sum":
        return reduce_sum(nll)
    lengths = clip(cast(reshape(target_lengths, shape=(-1,)), dtype=np.dtype(nll.dtype)), 1.0)
    return mean(div(nll, lengths))


__all__ = ["ctc_loss", "ctc_loss_core", "ctc_loss_grad"]
