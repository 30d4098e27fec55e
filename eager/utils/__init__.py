"""Utilities: ``eager.utils.data`` (datasets and the DataLoader) and
``eager.utils.checkpoint`` (activation checkpointing)."""

from . import checkpoint, data

__all__ = ["checkpoint", "data"]
