"""Gradient ops of the common activations: ``relu_grad``, ``sigmoid_grad``, ``tanh_grad``.

``relu``'s gradient written with other ops is ``g * cast(out > 0)``: three kernels and two
temporaries on every backward through every layer. As its own primitive (TensorFlow's
``ReluGrad``, PyTorch's ``threshold_backward``) it is one kernel in the eager backward and one
node in a static gradient graph. Each takes the cotangent ``g`` and the activation's *output*
(all three derivatives are cheapest from the output) and has a gradient rule of its own, so
second derivatives still work.

    >>> import numpy as np
    >>> sigmoid_grad(np.ones(2), np.array([0.5, 0.9]))
    array([0.25, 0.09])
"""

from __future__ import annotations

import numpy as np

from ..registry import primitive
from ._rules import broadcast_binary
from .elementwise import mul, sub, unbroadcast


def _grad_op(name: str, kernel, vjp, doc: str, **flags):
    return primitive(name, kernel, broadcast_binary(name), vjp, elementwise=True,
                     promote=True, doc=doc, **flags)


def _scaled(g: np.ndarray, d: np.ndarray) -> np.ndarray:
    """``g * d`` written over the temporary ``d`` when the shapes allow."""
    return np.multiply(g, d, out=d) if d.shape == g.shape else np.multiply(g, d)


# --- relu_grad: primitive ----------------------------------------------------------------------
def _relu_grad_kernel(g, out):
    # NOTE: a product with the 0/1 mask, not np.where: NumPy's where branches per element and
    # was 7x slower on a random 512x1024 float32 mask (measured); the mask made in g's dtype
    # first is ~10% faster than multiplying by a bool array (a casting loop).
    # The 0-d zero: NumPy converts a Python scalar on every call (~0.6 us, measured).
    mask = np.asarray(np.greater(out, np.array(0, out.dtype))).astype(g.dtype)
    return _scaled(g, mask)


def _relu_grad_vjp(c, inputs, out, needs=(True, True)):
    g, activation = inputs
    # Flat in the activation (a step function): only the cotangent carries a gradient.
    return unbroadcast(relu_grad(c, activation), g, inputs), None


relu_grad = _grad_op("relu_grad", _relu_grad_kernel, _relu_grad_vjp, nondiff_inputs=(1,),
                     doc="relu_grad(g, out): g where relu's output is positive, else 0.")


# --- sigmoid_grad: primitive -------------------------------------------------------------------
def _sigmoid_grad_kernel(g, s):
    # asarray: 0-d inputs give a scalar, `out=` needs an array; a 0-d one, not the Python 1,
    # which NumPy converts on every call.
    d = np.asarray(np.subtract(np.array(1, s.dtype), s))
    d *= s
    return _scaled(g, d)


def _sigmoid_grad_vjp(c, inputs, out, needs=(True, True)):
    g, s = inputs  # out = g s (1 - s): d/dg = s (1 - s), d/ds = g (1 - 2 s)
    gg = unbroadcast(sigmoid_grad(c, s), g, inputs) if needs[0] else None
    gs = unbroadcast(mul(mul(c, g), sub(1, mul(s, 2))), s, inputs) if needs[1] else None
    return gg, gs


sigmoid_grad = _grad_op("sigmoid_grad", _sigmoid_grad_kernel, _sigmoid_grad_vjp,
                        doc="sigmoid_grad(g, s): g * s * (1 - s), s the sigmoid's output.")


# --- tanh_grad: primitive ----------------------------------------------------------------------
def _tanh_grad_kernel(g, t):
    d = np.asarray(np.multiply(t, t))  # 0-d inputs: NumPy gives a scalar, `out=` needs an array
    np.subtract(1, d, out=d)
    return _scaled(g, d)


def _tanh_grad_vjp(c, inputs, out, needs=(True, True)):
    g, t = inputs  # out = g (1 - t^2): d/dg = 1 - t^2, d/dt = -2 g t
    gg = unbroadcast(tanh_grad(c, t), g, inputs) if needs[0] else None
    gt = unbroadcast(mul(mul(c, g), mul(t, -2)), t, inputs) if needs[1] else None
    return gg, gt


tanh_grad = _grad_op("tanh_grad", _tanh_grad_kernel, _tanh_grad_vjp,
                     doc="tanh_grad(g, t): g * (1 - t ** 2), t the tanh's output.")

__all__ = ["relu_grad", "sigmoid_grad", "tanh_grad"]
