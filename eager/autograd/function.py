"""``eager.autograd.function``, PyTorch's module of the same name: custom Functions
(`Function`, `FunctionCtx`, `once_differentiable`) and the tape entry (`TapeNode`).

The definitions live in `tape_node` (recorded ops) and `custom_function` (user-defined ops);
this module gathers them under PyTorch's import path.
"""

from __future__ import annotations

from .custom_function import BackwardCFunction, Function, FunctionCtx
from .once_differentiable import once_differentiable
from .tape_node import TapeNode, backward_name, is_constant

__all__ = ["Function", "FunctionCtx", "BackwardCFunction", "once_differentiable", "TapeNode",
           "backward_name", "is_constant"]
