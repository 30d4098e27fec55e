"""``eager.profiler``, ``torch.profiler``: per-op CPU times of a block of eager code.

``with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:`` records
every primitive op the block runs (forward and backward), timed around its NumPy kernel, and
every `record_function` range; ``prof.key_averages().table(sort_by="cpu_time_total")``
prints them as PyTorch does. Rows are named by the project's ops (``matmul``, ``add``), not
PyTorch's ``aten::`` names. Nothing is hooked while no profile records (`recorder`).
"""

from .events import EventList, FunctionEventAvg
from .profile import (
    ProfilerAction,
    ProfilerActivity,
    profile,
    record_function,
    schedule,
    supported_activities,
    tensorboard_trace_handler,
)


def kineto_available() -> bool:
    """False: there is no Kineto (GPU tracing) library here."""
    return False


__all__ = ["EventList", "FunctionEventAvg", "ProfilerAction", "ProfilerActivity",
           "kineto_available", "profile", "record_function", "schedule",
           "supported_activities", "tensorboard_trace_handler"]
