"""Optimizers and learning-rate schedulers with PyTorch's names, defaults and update rules.

Every update is written in place into the parameter's own ndarray (NumPy ``out=``) and is
all-or-nothing: see `eager.optim.optimizer`. State dicts have PyTorch's layout: see
`eager.optim.state_dict`.
"""

from . import lr_scheduler, swa_utils
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .adam_variants import Adamax, NAdam, RAdam
from .asgd import ASGD
from .lbfgs import LBFGS
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .rprop import Rprop
from .sgd import SGD
from .sparse_adam import SparseAdam

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta",
           "LBFGS", "Adamax", "NAdam", "RAdam", "Rprop", "ASGD", "SparseAdam",
           "lr_scheduler", "swa_utils"]
