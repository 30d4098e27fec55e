"""``eager.distributed``: what single-process programs ask of ``torch.distributed``.

Eager runs in one process with no communication backend, so ``is_available()`` is False and
``is_initialized()`` False: the guards programs write (``if dist.is_available() and
dist.is_initialized(): ...``) take their single-process branch. The collective calls and
queries of the default group raise PyTorch's error for an uninitialised group (what torch
itself raises when a program calls them without ``init_process_group``), and
``init_process_group`` says that no backend exists here.

    >>> import eager.distributed as dist
    >>> dist.is_available(), dist.is_initialized()
    (False, False)
"""

from __future__ import annotations

import os
from enum import Enum
from typing import Any, NoReturn

__all__ = ["is_available", "is_initialized", "is_gloo_available", "is_nccl_available",
           "is_mpi_available", "is_torchelastic_launched", "init_process_group",
           "destroy_process_group", "get_rank", "get_world_size", "get_backend", "barrier",
           "all_reduce", "all_gather", "all_gather_object", "broadcast", "broadcast_object_list",
           "reduce", "gather", "scatter", "reduce_scatter", "new_group", "ReduceOp",
           "NOT_INITIALIZED"]

NOT_INITIALIZED = ("Default process group has not been initialized, please make sure to call "
                   "init_process_group.")


class ReduceOp(Enum):
    """The reductions collectives take (``dist.ReduceOp.SUM``)."""

    SUM = "sum"
    PRODUCT = "product"
    MIN = "min"
    MAX = "max"
    BAND = "band"
    BOR = "bor"
    BXOR = "bxor"
    AVG = "avg"
    PREMUL_SUM = "premul_sum"


def is_available() -> bool:
    """False: eager has no inter-process communication backend."""
    return False


def is_initialized() -> bool:
    """False: no process group can be initialised without a backend."""
    return False


def is_gloo_available() -> bool:
    return False


def is_nccl_available() -> bool:
    return False


def is_mpi_available() -> bool:
    return False


def is_torchelastic_launched() -> bool:
    """Whether this process was started by torchelastic (``torchrun`` sets the variable)."""
    return os.getenv("TORCHELASTIC_RUN_ID") is not None


def init_process_group(backend: str | None = None, *args: Any, **kwargs: Any) -> NoReturn:
    """Raises: there is no backend to form a group with."""
    raise RuntimeError(f"init_process_group(backend={backend!r}): eager.distributed has no "
                       "communication backend (is_available() is False); run the program in "
                       "one process, without a process group")


def _not_initialized(*args: Any, **kwargs: Any) -> NoReturn:
    raise ValueError(NOT_INITIALIZED)


def destroy_process_group(group: Any = None) -> NoReturn:
    """Raises PyTorch's AssertionError: there is no group to destroy."""
    raise AssertionError("Process group cannot be None")


# Queries of the default group and the collectives: torch's error for an uninitialised group.
get_rank = get_world_size = get_backend = barrier = new_group = _not_initialized
all_reduce = all_gather = all_gather_object = broadcast = broadcast_object_list = \
    _not_initialized
reduce = gather = scatter = reduce_scatter = _not_initialized
