"""``eager.nn.modules.rnn``: PyTorch's module path of recurrent layers
(``from torch.nn.modules.rnn import ...`` in layers written for PyTorch)."""

from __future__ import annotations

from ..rnn import GRU, LSTM, RNN, RNNBase
from ..rnn_cells import GRUCell, LSTMCell, RNNCell, RNNCellBase

__all__ = ['GRU', 'LSTM', 'RNN', 'RNNBase', 'GRUCell', 'LSTMCell', 'RNNCell', 'RNNCellBase']
