"""A user's models through ``dualgraph --import mymodels:F compare F``: eager-tensor batches
work, and an error in the model lands in the failing mode's column with the user's line."""

from __future__ import annotations

import json

from cli_helpers import MODELS, dualgraph

RUN = ("--steps", "1", "--repeats", "0", "--no-faults", "--no-html")


def test_batches_given_as_eager_tensors_run_and_agree(user_dir):
    done = dualgraph("--import", "mymodels:tiny", "compare", "tiny", *RUN, "--out", "o",
                     cwd=user_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    doc = json.loads((user_dir / "o" / "report.json").read_text())
    (model,) = doc["models"]
    assert model["agreement"]["agrees"] and model["parameter_count"] == 5
    assert doc["environment"]["cpu_count"] >= 1 and doc["environment"]["python"]


def test_model_error_names_the_user_line_in_the_failing_column(user_dir):
    line = next(i for i, text in enumerate(MODELS.splitlines(), 1) if "BAD LINE" in text)
    done = dualgraph("--import", "mymodels:bad", "compare", "bad", *RUN, "--out", "o",
                     cwd=user_dir)
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
    err = json.loads((user_dir / "o" / "report.json").read_text())["models"][0]["error"]
    assert (err["phase"], err["user_line"]) == ("static", f"mymodels.py:{line} in forward")
    # The whole message is printed, never cut to the table's width.
    assert "matmul: shapes (6, 3) and (6, 3) do not align (3 != 6)" in done.stdout
    row = next(r for r in done.stdout.splitlines() if r.startswith("│ bad"))
    cells = [c.strip() for c in row.strip("│").split("│")]
    assert cells[1] == "error" and cells[6].startswith("NodeRuntimeError")  # static step
    assert cells[5] == ""  # nothing in the eager column
