"""``eager.nn``: Modules, layers, losses, initialization and the functional API, with
PyTorch's names, arguments, defaults and printing.

    >>> import eager.nn as nn
    >>> nn.Linear(10, 5)
    Linear(in_features=10, out_features=5, bias=True)
"""

from . import functional, init
from .activation import GELU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from .containers import ModuleDict, ModuleList, Sequential
from .conv import Conv2d
from .dropout import Dropout
from .embedding import Embedding
from .linear import Flatten, Identity, Linear
from .loss import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, NLLLoss
from .module import Module
from .normalization import LayerNorm
from .parameter import Parameter
from .pooling import AvgPool2d, MaxPool2d
from .rnn import GRU, LSTM, RNN, RNNBase
from .rnn_cells import GRUCell, LSTMCell, RNNCell

__all__ = [
    "functional", "init", "Module", "Parameter", "Sequential", "ModuleList", "ModuleDict",
    "Linear", "Identity", "Flatten", "Conv2d", "MaxPool2d", "AvgPool2d", "Dropout", "Embedding",
    "LayerNorm", "RNNCell", "GRUCell", "LSTMCell", "ReLU", "Sigmoid", "Tanh", "GELU", "Softmax",
    "LogSoftmax", "MSELoss", "BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "NLLLoss",
    "RNNBase", "RNN", "GRU", "LSTM",
]
