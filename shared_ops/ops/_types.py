"""Type aliases for the ops' public signatures.

An op's operand is any value a mode owns: an ndarray (or Python scalar), an eager Tensor, a
static Node. shared_ops cannot name the modes' types (it imports neither), hence ``Any``.
"""

from __future__ import annotations

from typing import Any

Value = Any
"""An ndarray, a Python scalar, an eager Tensor or a static Node."""

Axis = int | tuple[int, ...] | None
"""The ``axis`` attr of reductions: one axis, several, or None for all of them."""
