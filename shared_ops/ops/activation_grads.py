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

import math

import numpy as np

from ..registry import primitive
from ._rules import broadcast_binary
from .elementwise import mul, sub, unbroadcast


def _grad_op(name: str, kernel, vjp, doc: str, **flags):
    return primitive(name, kernel, broadcast_binary(name), vjp, elementwise=True,
                     promote=True, fresh=True, linear_in=(0,), doc=doc, **flags)


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


# Masks of this many elements or more are bool in the out form (see `_relu_grad_into`).
_BOOL_MASK_SIZE = 1 << 14


def _relu_grad_into(w):
    """``g * (out > 0)``, the mask in a scratch array first, so ``w.out`` may be g's (or the
    activation's) own array. NOTE: on a 512x1024 float32 gradient just made by a matmul, a
    bool mask and the product took 280 us against 450 us for a float mask in the output
    (more bytes, a cold buffer); on small arrays a mixed bool/float product costs a
    microsecond more than a float one, so those take a float mask."""
    shape, dtype = w.out_aval.shape, w.out_aval.dtype
    big = dtype.kind == "f" and math.prod(shape) >= _BOOL_MASK_SIZE
    mask = w.scratch(w.in_avals[1].shape, np.bool_ if big else dtype)
    positive = w.call(np.greater, w.arg(1), w.scalar(0), out=mask)
    return w.call(np.multiply, w.arg(0), positive, out=w.out)


relu_grad = _grad_op("relu_grad", _relu_grad_kernel, _relu_grad_vjp, nondiff_inputs=(1,),
                     inplace_safe=True, into=_relu_grad_into,
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


def _sigmoid_grad_into(w):
    # g * (1 - s) * s in the kernel's order, the derivative built in out first (so out must
    # not be an input's array: these ops do not write in place).
    out, s = w.out, w.arg(1)
    w.call(np.subtract, w.scalar(1), s, out=out)
    w.call(np.multiply, out, s, out=out)
    return w.call(np.multiply, w.arg(0), out, out=out)


sigmoid_grad = _grad_op("sigmoid_grad", _sigmoid_grad_kernel, _sigmoid_grad_vjp,
                        into=_sigmoid_grad_into,
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


def _tanh_grad_into(w):
    out, t = w.out, w.arg(1)  # g * (1 - t t), as sigmoid_grad's form
    w.call(np.multiply, t, t, out=out)
    w.call(np.subtract, w.scalar(1), out, out=out)
    return w.call(np.multiply, w.arg(0), out, out=out)


tanh_grad = _grad_op("tanh_grad", _tanh_grad_kernel, _tanh_grad_vjp, into=_tanh_grad_into,
                     doc="tanh_grad(g, t): g * (1 - t ** 2), t the tanh's output.")

__all__ = ["relu_grad", "sigmoid_grad", "tanh_grad"]
