"""``eager.nn.modules``: PyTorch's package path of the layers. Custom layers written for
PyTorch import their bases from its submodules (``from torch.nn.modules.loss import _Loss``,
``from torch.nn.modules.batchnorm import _BatchNorm``, ``torch.nn.modules.module.Module``);
each submodule here re-exports eager's classes under the same names, so those imports work
with only ``torch`` changed to ``eager``. The package itself holds every layer, as PyTorch's.

    >>> from eager.nn.modules.loss import _Loss
    >>> from eager.nn.modules.utils import _pair
    >>> issubclass(eager.nn.MSELoss, _Loss), _pair(3)
    (True, (3, 3))
"""

from __future__ import annotations

from . import (
    activation,
    adaptive,
    batchnorm,
    channelshuffle,
    container,
    conv,
    distance,
    dropout,
    flatten,
    fold,
    instancenorm,
    lazy,
    linear,
    loss,
    module,
    normalization,
    padding,
    pixelshuffle,
    pooling,
    rnn,
    sparse,
    transformer,
    upsampling,
    utils,
)
from .activation import *  # noqa: F403 (the layers, as torch.nn.modules has them)
from .adaptive import *  # noqa: F403
from .batchnorm import *  # noqa: F403
from .channelshuffle import *  # noqa: F403
from .container import *  # noqa: F403
from .conv import *  # noqa: F403
from .distance import *  # noqa: F403
from .dropout import *  # noqa: F403
from .flatten import *  # noqa: F403
from .fold import *  # noqa: F403
from .instancenorm import *  # noqa: F403
from .lazy import *  # noqa: F403
from .linear import *  # noqa: F403
from .loss import *  # noqa: F403
from .module import *  # noqa: F403
from .normalization import *  # noqa: F403
from .padding import *  # noqa: F403
from .pixelshuffle import *  # noqa: F403
from .pooling import *  # noqa: F403
from .rnn import *  # noqa: F403
from .sparse import *  # noqa: F403
from .transformer import *  # noqa: F403
from .upsampling import *  # noqa: F403

__all__ = ["activation", "adaptive", "batchnorm", "channelshuffle", "container", "conv", "distance",
           "dropout", "flatten", "fold", "instancenorm", "lazy", "linear", "loss", "module",
           "normalization", "padding", "pixelshuffle", "pooling", "rnn", "sparse", "transformer",
           "upsampling", "utils"]
for _sub in (activation, adaptive, batchnorm, channelshuffle, container, conv, distance, dropout,
             flatten, fold, instancenorm, lazy, linear, loss, module, normalization, padding,
             pixelshuffle, pooling, rnn, sparse, transformer, upsampling):
    __all__ += [name for name in _sub.__all__ if not name.startswith("_")]
del _sub
