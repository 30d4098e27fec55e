"""The zoo's training losses, written once with shared ops (they run on eager Tensors and on
static Nodes alike). They live in the zoo, not in the framework, so that the loss's graph nodes
and errors point at a line here, as a user's own loss would point at theirs.
"""

from __future__ import annotations

import shared_ops as ops


def class_loss(logits, target):
    """Cross-entropy of class logits against class indices (digits, GRU, transformer)."""
    return ops.cross_entropy(logits, target)


def binary_loss(logits, target):
    """Binary cross-entropy of one logit against a 0/1 target, in its stable form (SimpleNet)."""
    return ops.binary_cross_entropy_with_logits(logits, target)
