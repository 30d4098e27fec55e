"""The model zoo: each model written once as an eager Module over shared ops.

Importing this package registers the built-in models; `register_model` adds your own.

    >>> from compare.zoo import model_names
    >>> model_names()[:2]
    ['simplenet', 'mlp_digits']
"""

from . import cnn_digits, gru_seq, mlp_digits, simplenet, transformer  # noqa: F401 (register)
from .registry import ZOO, ModelCase, ZooEntry, get_model, model_names, register_model

__all__ = ["ZOO", "ModelCase", "ZooEntry", "get_model", "model_names", "register_model"]
