"""The DataLoader's machinery (PyTorch's ``torch.utils.data._utils``): collation, fetching,
the worker loop and the iterators that drive them.

Module-level so that worker processes started with ``spawn`` can import what they run.
"""

from __future__ import annotations

import atexit
import sys

IS_WINDOWS = sys.platform == "win32"

MP_STATUS_CHECK_INTERVAL = 5.0
"""Seconds a worker waits on its index queue before checking that the main process lives, and
the longest a shutdown waits for a worker to exit before terminating it."""

python_exit_status = False
"""True once the interpreter is exiting: shutdown then leaves daemonic workers to
multiprocessing's own exit handler instead of talking to queues that may be half torn down."""


def _set_python_exit_flag() -> None:
    global python_exit_status
    python_exit_status = True


atexit.register(_set_python_exit_flag)

from . import collate, fetch, worker  # noqa: E402  (they read the names above)

__all__ = ["IS_WINDOWS", "MP_STATUS_CHECK_INTERVAL", "collate", "fetch", "python_exit_status",
           "worker"]
