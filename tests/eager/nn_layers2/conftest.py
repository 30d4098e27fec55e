"""The torch-oracle helpers of tests/eager/nn (``nn_parity``, ``torch_errors``) for this
directory too: that folder joins the import path."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "nn"))
