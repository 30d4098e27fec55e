"""The ``out=`` tests reuse tests/eager/types' table of torch-function calls (one row per
function, the torch oracle's inputs): that folder joins the import path here."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "types"))
