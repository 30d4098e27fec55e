"""``dualgraph compare --baseline old/report.json``: what changed since a previous report."""

from __future__ import annotations

import json

from cli_helpers import dualgraph, one_line_error

RUN = ("compare", "simplenet", "--steps", "1", "--repeats", "0", "--no-faults", "--no-html")


def test_baseline_compares_figures_and_agreement(tmp_path):
    # An old report in which simplenet disagreed, set up 100x faster and had a model since
    # removed: the new run must call the setup slower, the agreement changed, "gone" named.
    old = {"tool": "dualgraph compare", "created": "2026-01-01T00:00:00+00:00", "models": [
        {"name": "simplenet", "agreement": {"agrees": False},
         "timing": {"static": {"trace_ms": 0.001, "compile_ms": 0.001}}},
        {"name": "retired", "agreement": {"agrees": True}}]}
    (tmp_path / "old.json").write_text(json.dumps(old))
    done = dualgraph(*RUN, "--out", str(tmp_path / "new"), "--baseline",
                     str(tmp_path / "old.json"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "since the baseline report of 2026-01-01T00:00:00+00:00" in done.stdout
    assert "agreement changed: simplenet: disagrees or failed -> agrees" in done.stdout
    assert "slower: simplenet static setup" in done.stdout and "models gone: retired" in done.stdout
    diff = json.loads((tmp_path / "new" / "report.json").read_text())["baseline"]
    (setup,) = diff["rows"]  # the only figure both reports have
    assert setup["figure"] == "static setup" and setup["verdict"] == "slower"
    assert setup["ratio"] > 10 and diff["only_old"] == ["retired"]


def test_bad_baseline_is_one_line(tmp_path):
    bad = tmp_path / "r.json"
    bad.write_text("{not json")
    line = one_line_error(dualgraph(*RUN, "--out", str(tmp_path / "o"), "--baseline", str(bad)))
    assert line.startswith(f"dualgraph: --baseline {bad}: not JSON")
    assert not (tmp_path / "o").exists()  # refused before anything was written
