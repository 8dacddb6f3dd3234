"""Held-out accuracy: notices nobody tuned the parser on (tests/heldout, see FINDINGS.md there).

The dev set is what the parser was tuned on; this corpus measures how well it generalises.
"""
from pathlib import Path

import pytest

from tests.test_extract import SCORER, score_corpus

HELDOUT = Path(__file__).resolve().parent / "heldout"
#: measured 0.924 on 2026-11-28 (score.py over tests/heldout, 33 documents, 75 cases: round 1 (500-515) 0.977,
#: round 2 (520-536, fresh and untuned) 0.870, see FINDINGS.md); a drop below this floor is a regression
HELDOUT_FLOOR = 0.91


@pytest.mark.skipif(not SCORER.is_file(), reason="scorer not available")
def test_heldout_score_stays_above_floor():
    overall, tallies = score_corpus(HELDOUT)
    assert overall >= HELDOUT_FLOOR, f"held-out score {overall:.3f} fell below {HELDOUT_FLOOR}"
    assert tallies["cases"].f1() >= 0.95
