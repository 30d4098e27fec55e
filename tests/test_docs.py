"""The docs stay true: every file path that README.md and docs/*.md name exists in the repo,
and nothing links outside it (a user's clone has only what is in the repository)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# A path in backticks or a markdown link: at least one "/" or a known file suffix.
_CODE = re.compile(r"`([^`\s]+)`")
_LINK = re.compile(r"\]\(([^)\s#]+)(?:#[^)]*)?\)")
_SUFFIXES = (".py", ".md", ".json", ".toml", ".cfg", ".txt", ".html", ".svg", ".sh")
# Paths the docs name that a run creates (not in a clone) or that name a pattern.
_GENERATED = ("report/", ".venv", "report.html", "report.json")


def _named_paths(doc: Path) -> list[str]:
    text = doc.read_text()
    found = [m.group(1) for m in _LINK.finditer(text) if "://" not in m.group(1)]
    for m in _CODE.finditer(text):
        token = m.group(1).rstrip(".,:;")
        if token.startswith(("-", "%", "<", "$", "--")) or "*" in token or "=" in token:
            continue
        if ("/" in token and not token.startswith("/")) or token.endswith(_SUFFIXES):
            found.append(token)
    return found


def _exists(doc: Path, name: str) -> bool:
    """Relative to the doc or the root; a row about one package may name its sub-folders
    (``ops/`` in the row of ``shared_ops/``): those are found one or two levels down."""
    name = name.split(":")[0].rstrip("/")  # "model.py:12" names a line of a file
    if (doc.parent / name).exists() or (ROOT / name).exists():
        return True
    return any(p.exists() for pattern in (f"*/{name}", f"*/*/{name}") for p in ROOT.glob(pattern))


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_path_a_doc_names_exists(doc):
    missing = [name for name in _named_paths(doc)
               if _is_repo_path(name) and not _exists(doc, name)]
    assert not missing, f"{doc.name} names paths that do not exist: {missing}"


def _is_repo_path(name: str) -> bool:
    """A path with a directory part, or a bare Markdown file name; bare ``model.py`` or
    ``train.py`` in a code sample are the user's files, not the repository's."""
    if name.startswith(_GENERATED):
        return False
    return "/" in name or name.endswith(".md")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_doc_links_outside_the_repository(doc):
    assert "../shared" not in doc.read_text(), f"{doc.name} links outside the repository"


def test_the_architecture_docs_exist_and_are_linked_from_the_readme():
    readme = (ROOT / "README.md").read_text()
    for name in ("ARCHITECTURE.md", "PERFORMANCE.md", "ADDING_AN_OP.md"):
        assert (ROOT / "docs" / name).exists(), name
        assert f"docs/{name}" in readme, f"README does not link docs/{name}"
