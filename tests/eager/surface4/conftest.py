"""Issue 16's third batch is checked with tests/eager/surface's torch oracle (``same``,
``same_error``): that folder joins the import path here."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "surface"))
