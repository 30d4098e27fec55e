"""Subcommands run as subprocesses: summary and bench."""

from __future__ import annotations

from cli_helpers import dualgraph


def test_summary_prints_the_table(user_dir):
    done = dualgraph("summary", "simplenet")
    assert done.returncode == 0, done.stderr
    assert "├─Linear (fc1): 1-1" in done.stdout and "Total params: 61" in done.stdout
    static = dualgraph("--import", "mymodels:tiny", "summary", "tiny", "--static", cwd=user_dir)
    assert static.returncode == 0, static.stderr
    assert "[?, 1]" in static.stdout and "Total params: 5" in static.stdout


def test_bench_never_runs_helpers_and_fails_when_nothing_ran(tmp_path):
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "helper.py").write_text("open('ran', 'w')\n")
    done = dualgraph("bench", "--root", str(tmp_path), "--out", str(tmp_path / "o"))
    assert done.returncode == 1 and "nothing to run" in done.stdout
    assert not (tmp_path / "ran").exists()


def test_bench_lists_workloads_from_the_checkout():
    done = dualgraph("bench", "--list")
    assert done.returncode == 0, done.stderr
    assert "bench_static" in done.stdout and "W1: seed SimpleNet 10-5-1" in done.stdout
