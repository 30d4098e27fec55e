"""``eager.nn.modules.activation``: PyTorch's module path of activation layers (and
MultiheadAttention), for ``from torch.nn.modules.activation import ...`` in layers written for
PyTorch."""

from __future__ import annotations

from ..activation import (
    ELU,
    GELU,
    SELU,
    Hardtanh,
    LeakyReLU,
    LogSigmoid,
    LogSoftmax,
    Mish,
    ReLU,
    ReLU6,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Tanh,
)
from ..activation_more import (
    CELU,
    GLU,
    Hardshrink,
    Hardsigmoid,
    Hardswish,
    PReLU,
    Softmax2d,
    Softmin,
    Softshrink,
    Softsign,
    Tanhshrink,
    Threshold,
)
from ..activation_rrelu import RReLU
from ..attention import MultiheadAttention

__all__ = ['ELU', 'GELU', 'Hardtanh', 'LeakyReLU', 'LogSigmoid', 'LogSoftmax', 'Mish', 'ReLU',
           'ReLU6', 'SELU', 'SiLU', 'Sigmoid', 'Softmax', 'Softplus', 'Tanh', 'CELU', 'GLU',
           'Hardshrink', 'Hardsigmoid', 'Hardswish', 'PReLU', 'Softmax2d', 'Softmin', 'Softshrink',
           'Softsign', 'Tanhshrink', 'Threshold', 'RReLU', 'MultiheadAttention']
