"""Programs using issue 16's layers print the same under torch and with only their imports
changed to eager's: a 3-D CNN over volumes (Conv3d, 3-d pooling, lazy layers, weight and
spectral normalization, exp2) and a spatial transformer before a CRNN trained with CTC
(affine_grid, grid_sample, CTCLoss)."""

from __future__ import annotations

import pytest
from program_runner import check_program

pytest.importorskip("torch")


@pytest.mark.parametrize("name", ["volume_classifier", "stn_ctc_reader"])
def test_program_prints_the_same_under_eager(name, tmp_path):
    check_program(name, tmp_path)
