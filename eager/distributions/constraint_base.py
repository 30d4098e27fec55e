"""`Constraint`, the base of ``torch.distributions.constraints``: a region of values whose
``check`` is a bool Tensor (one entry per event) and which prints as PyTorch's."""

from __future__ import annotations

from typing import Any


class Constraint:
    """A region of values; ``event_dim`` trailing dims make one event (checked together)."""

    is_discrete = False
    event_dim = 0

    def check(self, value: Any) -> Any:
        """True where ``value`` satisfies the constraint."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return type(self).__name__.lstrip("_") + "()"


__all__ = ["Constraint"]
