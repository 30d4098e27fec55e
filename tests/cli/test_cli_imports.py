"""``--import MODULE[:ATTR]`` as a user runs it: from the current folder, bad specs."""

from __future__ import annotations

from cli_helpers import dualgraph, one_line_error


def test_bad_import_specs_are_one_line(tmp_path):
    assert "is not a module name" in one_line_error(dualgraph("--import", "a-b", "list"))
    assert "cannot import 'nosuchmod'" in one_line_error(
        dualgraph("--import", "nosuchmod", "list", cwd=tmp_path))
    (tmp_path / "m.py").write_text("x = 1\n")
    assert "expected a factory(dtype) -> ModelCase" in one_line_error(
        dualgraph("--import", "m:x", "list", cwd=tmp_path))
    assert "has no attribute 'y'" in one_line_error(
        dualgraph("--import", "m:y", "list", cwd=tmp_path))


def test_import_finds_the_current_folder_and_registers_the_factory(user_dir):
    done = dualgraph("--import", "mymodels:tiny", "list", cwd=user_dir)
    assert done.returncode == 0, done.stderr
    assert "tiny           eager-tensor batches, as eager code writes them" in done.stdout
