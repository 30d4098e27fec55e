"""The torch-oracle helpers of tests/eager/surface (``same``, ``same_error``) for this
directory too: its folder joins the import path."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "surface"))
