"""The program suite's own machinery: the import rewrite touches import lines only, and the
output comparison catches each kind of difference it is meant to catch."""

from __future__ import annotations

import pytest
from program_runner import TRAINS_WITH_DROPOUT, compare_outputs, rewrite_imports, run_program


def test_rewrite_turns_each_import_form_into_eager():
    source = (
        "import math\n"
        "import torch\n"
        "import torch.nn as nn\n"
        "import torch.nn.functional as F\n"
        "from torch import nn\n"
        "from torch.utils.data import DataLoader, Dataset\n"
        "from torch.optim.lr_scheduler import StepLR\n"
        "    import torch\n"
        "x = torch.ones(2)  # import torch in a comment stays\n"
        "s = 'from torch import nn'\n"
    )
    assert rewrite_imports(source).splitlines() == [
        "import math",
        "import eager as torch",
        "import eager.nn as nn",
        "import eager.nn.functional as F",
        "from eager import nn",
        "from eager.utils.data import DataLoader, Dataset",
        "from eager.optim.lr_scheduler import StepLR",
        "    import eager as torch",
        "x = torch.ones(2)  # import torch in a comment stays",
        "s = 'from torch import nn'",
    ]


@pytest.mark.parametrize("line", ["import torch.nn", "import torch, numpy",
                                  "import torchvision"])
def test_rewrite_refuses_forms_it_cannot_carry_over(line):
    if line == "import torchvision":
        # Not torch: another package whose name starts with it is left alone.
        assert rewrite_imports(line) == line
        return
    with pytest.raises(ValueError, match="line 1: cannot rewrite"):
        rewrite_imports(line)


def test_run_program_captures_stdout_and_runs_main(tmp_path):
    path = tmp_path / "prog.py"
    path.write_text("if __name__ == '__main__':\n    print('main', 1 + 1)\n")
    assert run_program(path) == "main 2\n"


def test_equal_outputs_and_float32_noise_pass():
    assert compare_outputs("loss 0.123456 at 3\n", "loss 0.123457 at 3\n") == []
    assert compare_outputs("w = 1.00000012e-05", "w = 1.0000001e-05") == []


@pytest.mark.parametrize(("expected", "actual", "why"), [
    ("loss 0.5000", "loss 0.5100", "0.5000 != 0.5100"),
    ("Accuracy: 4/32", "Accuracy: 5/32", "4 != 5"),
    ("torch.Size([2, 3])", "(2, 3)", "text differs"),
    ("a\nb", "a", "2 lines printed under torch, 1 under eager"),
    ("loss inf", "loss 3.0", "text differs"),
])
def test_each_kind_of_difference_is_reported(expected, actual, why):
    problems = compare_outputs(expected, actual)
    assert any(why in problem for problem in problems), problems


def test_digits_inside_words_are_text():
    # h2o and log10 are names, not numbers: a renamed layer is a text difference.
    assert compare_outputs("h2o", "h3o") != []
    assert compare_outputs("(h2o): Linear", "(h2o): Linear") == []


def test_every_program_is_in_one_suite():
    # A program added under scripts/ must be listed in one of the test files.
    from pathlib import Path

    here = Path(__file__).resolve().parent
    listed = "".join(path.read_text() for path in here.glob("test_programs_*.py"))
    programs = sorted(path.stem for path in (here / "scripts").glob("*.py"))
    assert len(programs) >= 8
    assert [name for name in programs if f'"{name}"' not in listed] == []
    assert set(programs) >= TRAINS_WITH_DROPOUT  # the dropout table names real programs


def test_a_programs_process_wide_switches_do_not_reach_the_next_program(tmp_path):
    torch = pytest.importorskip("torch")
    program = tmp_path / "switches.py"
    program.write_text("import torch\ntorch.use_deterministic_algorithms(True)\n"
                       "torch.set_default_dtype(torch.float64)\n"
                       "torch.set_grad_enabled(False)\nprint(torch.ones(1).dtype)\n")
    assert run_program(program).strip() == "torch.float64"
    assert not torch.are_deterministic_algorithms_enabled()
    assert torch.get_default_dtype() == torch.float32 and torch.is_grad_enabled()
    eager_program = tmp_path / "eager_switches.py"
    eager_program.write_text(rewrite_imports(program.read_text()))
    import eager

    assert run_program(eager_program).strip() == "torch.float64"
    assert not eager.are_deterministic_algorithms_enabled()
    assert eager.get_default_dtype() == eager.float32 and eager.is_grad_enabled()
