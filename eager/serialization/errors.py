"""`CheckpointError`: what ``eager.save`` / ``eager.load`` raise about a file or a value."""

from __future__ import annotations

from shared_ops.errors import OpError


class CheckpointError(OpError, ValueError):
    """A file that ``eager.load`` cannot read, or an object ``eager.save`` cannot store.

    Built as ``CheckpointError("load", detail)``; prints as ``load: detail``."""
