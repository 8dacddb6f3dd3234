"""Held-out accuracy on real pages (tests/heldout, tests/heldout_round3; see the README of each).

Each round was scored before anyone tuned the parser on it (round 1: 0.967, round 2: 0.870, round 3:
0.502 untuned); the rounds have been worked on since, so these are regression floors, and a fresh round is
what measures generalisation.
"""
from pathlib import Path

import pytest

from tests.test_extract import score_corpus

HERE = Path(__file__).resolve().parent
#: (folder, score floor, cases-F1 floor), each a little under what score.py measures today:
#: tests/heldout 0.967 (33 documents); tests/heldout_round3 0.599 (24 real pages, 2026-12-05)
ROUNDS = [(HERE / "heldout", 0.95, 0.95), (HERE / "heldout_round3", 0.58, 0.75)]


@pytest.mark.parametrize("folder,floor,cases_floor", ROUNDS, ids=[r[0].name for r in ROUNDS])
def test_heldout_score_stays_above_floor(folder, floor, cases_floor):
    overall, tallies = score_corpus(folder)
    assert overall >= floor, f"{folder.name} score {overall:.3f} fell below {floor}"
    assert tallies["cases"].f1() >= cases_floor
