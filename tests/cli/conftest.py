"""Fixtures of the CLI tests (the helpers they import live in cli_helpers.py: a module named
``conftest`` is ambiguous when several test folders have one)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import MODELS


@pytest.fixture
def user_dir(tmp_path) -> Path:
    """A folder holding the user's ``mymodels.py`` (run commands with ``cwd=`` it)."""
    (tmp_path / "mymodels.py").write_text(MODELS)
    return tmp_path
