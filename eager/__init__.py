"""eager: define-by-run tensors with tape autograd, PyTorch's names and printing.

    >>> import eager
    >>> x = eager.tensor([2.0], requires_grad=True)
    >>> y = x ** 2
    >>> y.backward()
    >>> print(x.grad)
    tensor([4.])

``eager.nn``, ``eager.optim`` and ``eager.utils`` hold layers, optimizers and data loading.
"""

from __future__ import annotations

import builtins as _builtins
import importlib as _importlib
import math as _math
import os as _os

# eager.tensor first: loading the submodule binds the package's name ``tensor`` to it, and the
# creation function ``eager.tensor`` imported below must replace that binding (PyTorch names
# the module torch._tensor for the same reason).
from .tensor import Tensor, is_tensor  # isort: skip

from . import autograd
from .autograd import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from .creation import (
    Generator,
    arange,
    as_tensor,
    default_generator,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    initial_seed,
    linspace,
    manual_seed,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    randperm,
    tensor,
    zeros,
    zeros_like,
)
from .functions import *  # noqa: F403
from .functions_math import *  # noqa: F403  (issue 16's third batch)
from .functions_more import *  # noqa: F403  (issue 16's second batch)
from .functions_writes import *  # noqa: F403  (index_put_, resize_as_, swapdims)
from .printing import set_printoptions

from shared_ops.device import device  # isort: skip
from shared_ops.linalg_api_lu import lu_unpack  # noqa: F401  isort: skip  (torch.lu_unpack)
from . import version  # isort: skip
from .version import __version__  # noqa: F401  isort: skip  (torch.__version__)
from shared_ops.layout import (  # isort: skip  (torch's layout and memory-format names)
    channels_last,
    channels_last_3d,
    contiguous_format,
    layout,
    memory_format,
    preserve_format,
    sparse_coo,
    sparse_csr,
    strided,
)

from . import accelerator, backends, cuda  # isort: skip

# torch.random and its functions (PyTorch's stream, eager/random/).
from . import random  # isort: skip
from .random import get_rng_state, seed, set_rng_state  # isort: skip
from .random.factories import bernoulli, normal, randint_like  # isort: skip
from .random.gamma_factories import binomial, poisson  # isort: skip
from .random.gamma_factories import sample_dirichlet as _sample_dirichlet  # noqa: F401 isort: skip
from .random.gamma_factories import standard_gamma as _standard_gamma  # noqa: F401 isort: skip

# dtype names, as PyTorch exports them: torch-style dtype objects (eager/types/dtypes.py).
from .types.dtypes import BY_NUMPY as _BY_NUMPY  # noqa: E402
from .types.dtypes import (  # noqa: E402
    bfloat16,
    bool,  # noqa: A004
    complex64,
    complex128,
    dtype,
    finfo,
    float16,
    float32,
    float64,
    iinfo,
    int8,
    int16,
    int32,
    int64,
    uint8,
)
from .types.legacy import (  # noqa: E402
    BoolTensor,
    ByteTensor,
    CharTensor,
    DoubleTensor,
    FloatTensor,
    HalfTensor,
    IntTensor,
    LongTensor,
    ShortTensor,
)
from .types.promotion import can_cast, is_complex, promote_types, result_type  # noqa: E402
from .types.size import Size  # noqa: E402

from shared_ops import dtypes as _dtypes  # noqa: E402  isort: skip

half = float16
float = float32  # noqa: A001
double = float64
cfloat = complex64
cdouble = complex128
short = int16
int = int32  # noqa: A001
long = int64


def is_floating_point(input: Tensor) -> _builtins.bool:  # noqa: A002
    """True for tensors of a floating dtype."""
    return input.dtype.is_floating_point


def get_default_dtype() -> dtype:
    """The default floating dtype (float32 unless `set_default_dtype` changed it): what Python
    floats, ``zeros(...)`` and new layers' parameters make, as in PyTorch."""
    return _BY_NUMPY[_dtypes.default_float()]


def set_default_dtype(d: dtype, /) -> None:
    """PyTorch's ``set_default_dtype``: ``float64`` (or ``float16``, ``float32``) becomes the
    dtype of Python floats, floating factories, layers' parameters and of integers promoted by
    a float (``int_tensor * 1.5``), in both modes, until set again. A non-floating dtype raises
    PyTorch's TypeError; ``bfloat16`` (NumPy has none) a TypeError saying so.

        >>> set_default_dtype(float64); tensor([1.5]).dtype
        torch.float64
        >>> set_default_dtype(float32)
    """
    if not isinstance(d, dtype) or not d.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    _dtypes.set_default_float(d.dtype)  # bfloat16's .dtype raises its TypeError


def numel(input: Tensor) -> int:  # noqa: A002
    return input.numel()


_num_threads = [_os.cpu_count() or 1]


def set_num_threads(n: int) -> None:
    """Record ``n`` for ``get_num_threads``; eager's kernels run on NumPy's threads (its BLAS
    decides), so nothing else changes. ``n`` must be positive, as in PyTorch."""
    # int and bool are dtype names in this module: the builtins, by their module.
    if not isinstance(n, _builtins.int) or isinstance(n, _builtins.bool) or n <= 0:
        raise RuntimeError("set_num_threads expects a positive integer")
    _num_threads[0] = n


def get_num_threads() -> int:
    """The count last given to ``set_num_threads`` (the CPU count before any)."""
    return _num_threads[0]


_num_interop_threads = [_os.cpu_count() or 1]


def set_num_interop_threads(n: int) -> None:
    """Record ``n`` for ``get_num_interop_threads`` (eager runs one op at a time, so no
    inter-op pool uses it); ``n`` must be positive, as in PyTorch."""
    if not isinstance(n, _builtins.int) or isinstance(n, _builtins.bool) or n <= 0:
        raise RuntimeError("set_num_interop_threads expects a positive integer")
    _num_interop_threads[0] = n


def get_num_interop_threads() -> int:
    """The count last given to ``set_num_interop_threads`` (the CPU count before any)."""
    return _num_interop_threads[0]


# torch's math constants (torch.pi in Fourier features and angles, torch.inf in masks)
pi, e, inf, nan = _math.pi, _math.e, _math.inf, _math.nan

from . import complex_functions as _complex_functions  # noqa: E402
from . import functions as _functions  # noqa: E402
from . import functions_math as _functions_math  # noqa: E402
from . import functions_more as _functions_more  # noqa: E402
from . import functions_writes as _functions_writes  # noqa: E402
from .complex_functions import *  # noqa: E402,F403  (torch.complex, polar, view_as_real...)

__all__ = [
    "autograd", "enable_grad", "is_grad_enabled", "no_grad", "set_grad_enabled",
    "inference_mode", "is_inference_mode_enabled", "Generator",
    "arange", "as_tensor", "default_generator", "empty", "empty_like", "eye", "from_numpy",
    "full", "full_like", "initial_seed", "linspace", "manual_seed", "ones", "ones_like", "rand",
    "rand_like", "randint", "randn", "randn_like", "randperm", "tensor", "zeros", "zeros_like",
    "set_printoptions", "Tensor", "is_tensor", "float16", "half", "float32", "float",
    "float64", "double", "uint8", "int8", "int16", "short", "int32", "int", "int64", "long",
    "bool", "bfloat16", "dtype", "is_floating_point", "get_default_dtype", "set_default_dtype",
    "finfo", "iinfo", "numel", "Size", "BoolTensor", "ByteTensor", "CharTensor", "DoubleTensor",
    "FloatTensor", "HalfTensor", "IntTensor", "LongTensor", "ShortTensor", "can_cast",
    "is_complex", "promote_types", "result_type", *_functions.__all__,
    "device", "accelerator", "cuda", "backends", "set_num_threads", "get_num_threads",
    "set_num_interop_threads", "get_num_interop_threads", "layout", "version",
    "memory_format", "strided", "sparse_coo", "sparse_csr", "contiguous_format",
    "channels_last", "channels_last_3d", "preserve_format",
    "random", "get_rng_state", "set_rng_state", "seed", "bernoulli", "normal", "randint_like",
    "poisson", "binomial", "pi", "e", "inf", "nan",
    "complex64", "complex128", "cfloat", "cdouble", *_complex_functions.__all__,
    *_functions_more.__all__, *_functions_math.__all__, *_functions_writes.__all__,
]

# nn / optim / utils / serialization are written alongside: import them on first use
# (PEP 562), so this package imports before, and independently of, them.
_LAZY = {"nn": "nn", "optim": "optim", "utils": "utils", "linalg": "linalg",
         "distributions": "distributions", "amp": "amp", "autocast": "amp",
         "testing": "testing", "special": "special", "sparse": "sparse",
         "compile": "torch_compile", "compiler": "compiler", "func": "func", "vmap": "func",
         "save": "serialization", "load": "serialization", "serialization": "serialization",
         "jit": "jit", "multiprocessing": "multiprocessing", "distributed": "distributed",
         "hub": "hub", "is_autocast_enabled": "amp", "get_autocast_dtype": "amp",
         "set_autocast_dtype": "amp", "profiler": "profiler",
         "sparse_coo_tensor": "sparse", "fft": "fft", "stft": "complex_stft",
         "istft": "complex_stft"}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'eager' has no attribute {name!r}")
    mod = _importlib.import_module(f"{__name__}.{module}")
    value = mod if module == name else getattr(mod, name)
    globals()[name] = value
    return value
from .autograd import functional as _autograd_functional  # noqa: E402,F401  (needs .tensor)
from .control_flow import cond, scan, while_loop  # noqa: E402,F401  (control flow, H9)
from .foreach_ops import FOREACH_FUNCTIONS as _FOREACH_FUNCTIONS  # noqa: E402
from .summary import summary  # noqa: E402,F401  (torchinfo-like layer table, issue 19)

globals().update(_FOREACH_FUNCTIONS)  # torch._foreach_add, ...: private names, as torch's

# torch's out= on every function above whose torch counterpart takes one (eager/out_argument.py)
from .out_argument import add_out_arguments as _add_out_arguments  # noqa: E402  isort: skip

_add_out_arguments(globals())
