"""Elementwise math primitives: exp, log, log1p, sqrt, abs, sign, sin, cos, tanh, sigmoid,
relu, pow.

Float functions are ``floating``: bool and integer inputs become float32 first, as in
PyTorch. Gradient rules reuse the output where it is cheaper (exp, sqrt, tanh, sigmoid).

    >>> import numpy as np
    >>> sqrt(np.array([4, 9]))
    array([2., 3.], dtype=float32)
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval
from ..errors import DTypeError
from ..registry import primitive
from ._rules import floating_unary, same_as_input
from .activation_grads import relu_grad, sigmoid_grad, tanh_grad
from .elementwise import add, div, mul, neg, numeric_binary, sub, unbroadcast
from .elementwise_logic import eq, where


def _float_op(name: str, kernel, vjp, **flags):
    return primitive(name, kernel, floating_unary(name), vjp, elementwise=True,
                     inplace_safe=True, floating=True, **flags)


# --- exp: primitive ----------------------------------------------------------------------------
def _exp_vjp(g, inputs, out):
    return (mul(g, out),)


exp = _float_op("exp", np.exp, _exp_vjp,
                doc="e ** x.")


# --- log, log1p: primitives (log1p: accurate near 0, where log(1 + x) loses digits) -----------
def _log_vjp(g, inputs, out):
    return (div(g, inputs[0]),)


def _log1p_vjp(g, inputs, out):
    return (div(g, add(inputs[0], 1)),)


log = _float_op("log", np.log, _log_vjp,
                doc="The natural logarithm.")
log1p = _float_op("log1p", np.log1p, _log1p_vjp, torch_name="Log1PBackward0",
                  doc="log(1 + x), accurate near 0.")


# --- sqrt: primitive ---------------------------------------------------------------------------
def _sqrt_vjp(g, inputs, out):
    return (div(mul(g, 0.5), out),)


sqrt = _float_op("sqrt", np.sqrt, _sqrt_vjp,
                 doc="The square root.")


# --- sin, cos: primitives ----------------------------------------------------------------------
def _sin_vjp(g, inputs, out):
    return (mul(g, cos(inputs[0])),)


def _cos_vjp(g, inputs, out):
    return (neg(mul(g, sin(inputs[0]))),)


sin = _float_op("sin", np.sin, _sin_vjp,
                doc="The sine.")
cos = _float_op("cos", np.cos, _cos_vjp,
                doc="The cosine.")


# --- tanh: primitive ---------------------------------------------------------------------------
def _tanh_vjp(g, inputs, out):
    return (tanh_grad(g, out),)


tanh = _float_op("tanh", np.tanh, _tanh_vjp,
                 doc="The hyperbolic tangent.")


# --- sigmoid: primitive ------------------------------------------------------------------------
# NOTE: a primitive, not 1 / (1 + exp(-x)) as a composite: the composite's gradient is
# inf / inf = nan for x < -710 (float64) or x < -89 (float32), while out * (1 - out) stays
# exact. The forward formula itself is safe under IEEE rules: exp(-x) = inf gives 1 / inf = 0.
def _sigmoid_kernel(x):
    e = np.asarray(np.negative(x))  # 0-d: NumPy gives a scalar, which `out=` cannot take
    np.exp(e, out=e)  # in place: no temporaries beyond the first
    # A 0-d one, not the Python 1: NumPy converts a Python scalar on every call (~0.6 us).
    one = np.array(1, e.dtype)
    e += one
    return np.divide(one, e, out=e)  # not np.reciprocal: 7% slower on 128x256 float32


def _sigmoid_vjp(g, inputs, out):
    return (sigmoid_grad(g, out),)


def _sigmoid_into(w):
    # The kernel's steps in out: exp(-x) = inf for very negative x, and 1 / inf = 0 is the
    # right limit, so no nan and no temporaries.
    out, one = w.out, w.scalar(1)
    w.call(np.negative, w.arg(0), out=out)
    w.call(np.exp, out, out=out)
    w.call(np.add, out, one, out=out)
    return w.call(np.divide, one, out, out=out)


sigmoid = _float_op("sigmoid", _sigmoid_kernel, _sigmoid_vjp, fresh=True, into=_sigmoid_into,
                    doc="1 / (1 + exp(-x)), with a gradient, out * (1 - out), that cannot "
                        "overflow.")


# --- relu: primitive ---------------------------------------------------------------------------
# NOTE: a primitive, not maximum(x, 0): one kernel on the eager hot path instead of a
# comparison and a select, and the gradient at exactly 0 is 0 (PyTorch's choice) rather than
# maximum's tie-split 1/2.
# NOTE: the maximum with an array of zeros, not with the scalar 0: on 128x256 float32 NumPy
# 2.4 took 24 us against the scalar and 8.6 us against (and into) a zeroed buffer, its
# vectorized two-array loop (measured, AVX2); the results are the same, -0.0 and nan too.
def _relu_kernel(x):
    if x.dtype.kind == "b":  # NumPy would answer; refuse as the rule does (it says why)
        raise TypeError("relu of bool")
    zeros = np.zeros(x.shape, x.dtype)
    return np.maximum(x, zeros, out=zeros)


def _relu_rule(x: Aval, **_) -> Aval:
    if x.dtype.kind == "b":
        raise DTypeError("relu", "not defined for bool inputs", shapes=[x.shape],
                         dtypes=[x.dtype])
    return x


def _relu_vjp(g, inputs, out):
    return (relu_grad(g, out),)


def _relu_into(w):
    return w.call(np.maximum, w.arg(0), w.scalar(0), out=w.out)


relu = primitive("relu", _relu_kernel, _relu_rule, _relu_vjp, elementwise=True,
                 inplace_safe=True, fresh=True, into=_relu_into,
                 doc="max(x, 0); the gradient at 0 is 0, as in PyTorch.")


# --- abs, sign: primitives (sign has no gradient: it is flat almost everywhere) ---------------
def _abs_vjp(g, inputs, out):
    return (mul(g, sign(inputs[0])),)


abs = primitive("abs", np.abs, same_as_input, _abs_vjp, elementwise=True,  # noqa: A001
                inplace_safe=True,
                doc="|x|; the gradient is sign(x), 0 at 0.")
sign = primitive("sign", np.sign, same_as_input, None, elementwise=True, inplace_safe=True,
                 differentiable_output=False,
                 doc="-1, 0 or 1 by the sign of x; no gradient.")


# --- pow: primitive ----------------------------------------------------------------------------
def _pow_vjp(g, inputs, out):
    x, y = inputs
    gx = mul(g, mul(y, pow(x, sub(y, 1))))
    # d(x**y)/dy = x**y * log(x). At x == 0, log is -inf; PyTorch defines that gradient as 0
    # (the limit for y > 0) instead of propagating 0 * -inf = nan, and so do we.
    gy = where(eq(x, 0), 0, mul(g, mul(out, log(x))))
    return unbroadcast(gx, x, inputs), unbroadcast(gy, y, inputs)


def _pow_kernel(x, y):
    if x.dtype.kind == "b":  # NumPy would compute bool ** bool as int8; torch refuses
        numeric_binary("pow")(x, y)
    return np.power(x, y)


def _pow_torch_name(attrs, ndims, constants) -> str:
    # PyTorch's overloads: Tensor ** Scalar, Tensor ** Tensor, Scalar ** Tensor.
    return "PowBackward2" if constants[0] else "PowBackward0" if constants[1] else \
        "PowBackward1"


pow = primitive("pow", _pow_kernel, numeric_binary("pow"), _pow_vjp,  # noqa: A001
                elementwise=True, inplace_safe=True, promote=True, ufunc=np.power,
                torch_name=_pow_torch_name,
                doc="x ** y, broadcasting; the exponent's gradient is 0 where x == 0.")

__all__ = ["exp", "log", "log1p", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "abs",
           "sign", "pow"]
