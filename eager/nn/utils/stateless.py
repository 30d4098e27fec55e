"""``torch.nn.utils.stateless``: the deprecated home of ``functional_call``.

It warns (torch's FutureWarning, with eager's names) and calls `eager.func.functional_call`.
"""

from __future__ import annotations

import warnings
from typing import Any

from ...func.functional_call import functional_call as _func_functional_call

__all__ = ["functional_call"]


def functional_call(module: Any, parameters_and_buffers: dict, args: Any = None,
                    kwargs: dict | None = None, *, tie_weights: bool = True,
                    strict: bool = False) -> Any:
    """Deprecated: ``eager.func.functional_call`` (a drop-in replacement) after a warning."""
    warnings.warn("`eager.nn.utils.stateless.functional_call` is deprecated as of PyTorch 2.0 "
                  "and will be removed in a future version of PyTorch. Please use "
                  "`eager.func.functional_call` instead which is a drop-in replacement.",
                  FutureWarning, stacklevel=2)
    return _func_functional_call(module, parameters_and_buffers, args, kwargs,
                                 tie_weights=tie_weights, strict=strict)
