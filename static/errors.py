"""Errors specific to running static graphs: bad feeds, unknown fetches, failing nodes.

They subclass the shared `OpError` (so they print as ``what: detail at file.py:12 in fn``
with the user's line) and the matching builtin, so ``except ValueError`` keeps working.
"""

from __future__ import annotations

from shared_ops.errors import OpError


class StaticError(OpError):
    """Base of the errors a static Session raises about the graph or its inputs."""


class FeedError(StaticError, ValueError):
    """A feed with the wrong shape or dtype, a missing feed, or a feed for a non-placeholder."""


class FetchError(StaticError, LookupError):
    """A fetch that is not a node of the session's graph (unknown name, other graph...)."""


class NodeRuntimeError(StaticError, RuntimeError):
    """A node failed while running; the message shows its listing line and source line."""


class NumericsError(StaticError, FloatingPointError):
    """``check_numerics``: a node produced NaN or Inf; the message names the first one."""
