"""Pieces of an update that several optimizers share, written once: the gradient after
``maximize`` and L2 weight decay (the Adam family, Adagrad, RMSprop, Adadelta, ASGD), and for
`Adam`/`AdamW` and its relatives (`Adamax`, `NAdam`, `RAdam`) the two moment estimates and
decoupled weight decay. Each writes into the parameter's reused scratch arrays; the buffer
names are parameters where an optimizer reuses a buffer of its own to save one array.

    >>> import numpy as np
    >>> p, g = np.ones(2, np.float32), np.array([1.0, -2.0], np.float32)
    >>> first_moment(p, g, {}, {}, 0.9).tolist()
    [0.10000000149011612, -0.20000000298023224]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .buffers import _constant, held, scratch_buffer


def prepare_grad(p: np.ndarray, g: np.ndarray, group: dict, scratch: dict, decoupled: bool,
                 decay_key: str = "decay") -> np.ndarray:
    """The gradient after ``maximize`` and an L2 weight decay (not a decoupled one)."""
    if group["maximize"]:
        g = np.negative(g, out=scratch_buffer(scratch, "grad", p))
    wd = group["weight_decay"]
    if wd != 0 and not decoupled:
        decay = np.multiply(p, _constant(scratch, "wd", wd, p),
                            out=scratch_buffer(scratch, decay_key, p))
        g = np.add(g, decay, out=scratch_buffer(scratch, "grad", p))
    return g


def first_moment(p: np.ndarray, g: np.ndarray, state: dict, scratch: dict,
                 beta1: float) -> np.ndarray:
    """m = m + (1 - beta1) (g - m) (PyTorch's lerp), from zero on the first step."""
    m = scratch_buffer(scratch, "exp_avg", p)
    old = held(state, "exp_avg")
    if old is None:
        np.multiply(g, _constant(scratch, "1-beta1", 1 - beta1, p), out=m)
    else:
        np.subtract(g, old, out=m)
        np.multiply(m, _constant(scratch, "1-beta1", 1 - beta1, p), out=m)
        np.add(old, m, out=m)
    return m


def second_moment(p: np.ndarray, g: np.ndarray, state: dict, scratch: dict, beta2: float,
                  tmp_key: str = "tmp") -> np.ndarray:
    """v = beta2 v + (1 - beta2) g^2, from zero on the first step."""
    v = scratch_buffer(scratch, "exp_avg_sq", p)
    np.multiply(g, g, out=v)
    np.multiply(v, _constant(scratch, "1-beta2", 1 - beta2, p), out=v)
    old = held(state, "exp_avg_sq")
    if old is not None:
        tmp = np.multiply(old, _constant(scratch, "beta2", beta2, p),
                          out=scratch_buffer(scratch, tmp_key, p))
        np.add(v, tmp, out=v)
    return v


def decoupled_decay(p: np.ndarray, delta: np.ndarray, group: dict, scratch: dict,
                    decay_key: str = "decay") -> Any:
    """Add ``lr * wd * p`` to the update when the weight decay is decoupled: the step's
    ``p * (1 - lr wd) - u`` is ``p - (lr wd p + u)``, one subtraction at commit."""
    wd = group["weight_decay"]
    if wd != 0 and group.get("decoupled_weight_decay"):
        decay = np.multiply(p, _constant(scratch, "lr*wd", group["lr"] * wd, p),
                            out=scratch_buffer(scratch, decay_key, p))
        np.add(delta, decay, out=delta)
    return delta
