"""The debuggability catalogue: injected faults run in both modes, graded per mode.

    >>> from compare.faults import CATALOGUE
    >>> "wrong_width" in CATALOGUE
    True
"""

from .catalogue import CATALOGUE, Fault
from .runner import run_catalogue, run_fault

__all__ = ["CATALOGUE", "Fault", "run_catalogue", "run_fault"]
