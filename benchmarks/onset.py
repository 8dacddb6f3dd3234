"""Onset date against other teams' gold: ECR-COVID-19 (Onset events) and CCIE test100 (FBT spans, beside
the CCIE BERT model's own FBT predictions). Issue 17.

    .venv/bin/python benchmarks/onset.py                 # ECR test split and CCIE test100
    .venv/bin/python benchmarks/onset.py --split valid   # ECR valid split (where rules are tried first)

ECR: per report, the gold is the Date of its first Onset event (month-day; reports without a dated Onset
have none) and casedb's is the ``onset_date`` of the case standing for the annotated patient (the report
wrapped under a label, as ``ecr_eval.py``'s "wrapped" variant does). CCIE: the gold is the set of FBT
(onset) dates of a report, casedb's the onset dates of its cases (the report wrapped the same way), the model's its predicted FBT spans.
Precision / recall / F1 over reports' dates, as the external scorers count them.

CCIE marks every onset a report writes (另一人1月30日发病, 1月28日出现干咳，1月31日出现头痛: both), casedb one
per case (its first). The "conventions agree" row scores only the reports in which CCIE marks a single
onset date, for casedb and the model alike.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXTERNAL = REPO.parent / "shared" / "eval" / "external"
sys.path.insert(0, str(EXTERNAL))

from casedb.extract import extract_text, to_contract  # noqa: E402


def contract(text: str) -> dict:
    return to_contract(extract_text(text).notices)


def month_day(iso: str | None) -> str | None:
    return iso[5:10] if iso else None


def prf(tp: int, n_pred: int, n_gold: int) -> str:
    return prf_cell(tp, n_pred, tp, n_gold)


def prf_cell(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> str:
    """P / R / F1 % with the counts, where the predictions matched and the gold values matched may differ."""
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"{100 * p:.1f} / {100 * r:.1f} / {100 * f:.1f} ({tp_pred}/{n_pred}, {tp_gold}/{n_gold})"


def print_table(description: str, ecr_rows, ccie_rows, argv=None) -> int:
    """The benchmarks' command line: ``--split``; the ECR rows of that split, and CCIE test100's for ``test``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--split", default="test", choices=("test", "valid", "train"))
    args = parser.parse_args(argv)
    print("| field | casedb P / R / F1 | CCIE model P / R / F1 |")
    print("| --- | --- | --- |")
    print(ecr_rows(args.split))
    if args.split == "test":
        print(ccie_rows())
    return 0


def ecr(split: str) -> str:
    import ecr_eval
    from common import parse_date_span, pick_case, wrap

    tp = n_pred = n_gold = 0
    for doc in ecr_eval.load(split):
        text = doc["text"]
        gold = None
        for event in sorted(doc["events"], key=lambda ev: ev["type"][0]):
            if event["type"][2] != "Onset":
                continue
            dates = [parse_date_span(text, x[0], x[1])[0] for x in event["tuple"] if x[2] == "Date"]
            gold = next((d for d in dates if d), None)
            if gold:
                break
        patient = ecr_eval.gold_of(doc)
        case = pick_case(contract(wrap(text)), patient["label"], patient["sex"], patient["age"])
        pred = month_day(case.get("onset_date")) if case else None
        n_gold += gold is not None
        n_pred += pred is not None
        tp += gold is not None and pred == gold
    return f"| ECR-COVID-19 {split}, onset date (first Onset event) | {prf(tp, n_pred, n_gold)} | – |"


def ccie() -> str:
    import ccie_eval
    from common import parse_date_span, wrap

    docs = ccie_eval.load_gold()
    model = ccie_eval.load_model(len(docs))
    counts = {(name, agreed): [0, 0, 0] for name in ("casedb", "model") for agreed in (False, True)}
    for i, doc in enumerate(docs):
        text = doc["text"]
        gold = {parse_date_span(text, s, e)[0] for s, e, t in doc["spans"] if t == "FBT"} - {None}
        ours = {month_day(c.get("onset_date")) for n in contract(wrap(text))["notices"] for c in n["cases"]} - {None}
        theirs = ({parse_date_span(text, s, e)[0] for s, e, t in model[i]["pred"] if t == "FBT"} - {None}
                  if model else set())
        for name, pred in (("casedb", ours), ("model", theirs)):
            for agreed in (False, True) if len(gold) == 1 else (False,):
                count = counts[(name, agreed)]
                count[0] += len(pred & gold)
                count[1] += len(pred)
                count[2] += len(gold)
    return "\n".join(f"| CCIE test100, onset date (FBT){', conventions agree (one FBT date)' if agreed else ''} | "
                     f"{prf(*counts[('casedb', agreed)])} | {prf(*counts[('model', agreed)]) if model else '–'} |"
                     for agreed in (False, True))


def main(argv=None) -> int:
    return print_table(__doc__.splitlines()[0], ecr, ccie, argv)


if __name__ == "__main__":
    sys.exit(main())
