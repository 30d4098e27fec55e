"""The command line as a user meets it: --version, bad output paths."""

from __future__ import annotations

from importlib.metadata import version

from cli_helpers import dualgraph, one_line_error


def test_version():
    done = dualgraph("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"dualgraph {version('dualgraph')}"


def test_out_that_is_a_file_is_one_line_and_status_2(tmp_path):
    blocker = tmp_path / "taken"
    blocker.write_text("")
    line = one_line_error(dualgraph("render", "simplenet", "--out", str(blocker / "sub")))
    assert line == f"dualgraph: --out {blocker / 'sub'}: {blocker} is a file, not a folder"
    line = one_line_error(dualgraph("compare", "simplenet", "--out", str(blocker)))
    assert "is a file, not a folder" in line
    line = one_line_error(dualgraph("faults", "--json", str(tmp_path)))
    assert line.endswith("is a folder, expected a file path")


def test_out_that_cannot_be_created_is_one_line_and_status_2():
    # /proc refuses new folders even to root (a read-only folder would not stop root).
    line = one_line_error(dualgraph("render", "simplenet", "--out", "/proc/dualgraph-test/x"))
    assert line.startswith("dualgraph: --out /proc/dualgraph-test/x: cannot create the folder")
