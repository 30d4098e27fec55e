"""``torch.sparse.check_sparse_tensor_invariants``: whether `sparse_coo_tensor` checks its
indices against the size when not told (``check_invariants=None``); off by default, switched
globally (``enable()``/``disable()``) or for a block (``with check_sparse_tensor_invariants():``).

    >>> with check_sparse_tensor_invariants():
    ...     check_sparse_tensor_invariants.is_enabled()
    True
    >>> check_sparse_tensor_invariants.is_enabled()
    False
"""

from __future__ import annotations

from typing import Any


class check_sparse_tensor_invariants:  # noqa: N801 (torch's name)
    """Enable the checks inside a ``with`` block (``enable=True``), or switch them globally."""

    _enabled = False

    def __init__(self, enable: bool = True) -> None:
        self.state = enable
        self.saved_state: bool | None = None

    @staticmethod
    def is_enabled() -> bool:
        return check_sparse_tensor_invariants._enabled

    @staticmethod
    def enable() -> None:
        check_sparse_tensor_invariants._enabled = True

    @staticmethod
    def disable() -> None:
        check_sparse_tensor_invariants._enabled = False

    def __enter__(self) -> check_sparse_tensor_invariants:
        if self.saved_state is not None:
            raise RuntimeError("This context manager instance is already activated. Use a "
                               "different context manager instance for context nesting.")
        self.saved_state = check_sparse_tensor_invariants._enabled
        check_sparse_tensor_invariants._enabled = self.state
        return self

    def __exit__(self, *exc: Any) -> None:
        check_sparse_tensor_invariants._enabled = bool(self.saved_state)
        self.saved_state = None


__all__ = ["check_sparse_tensor_invariants"]
