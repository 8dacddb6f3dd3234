"""Exposure and hospital against other teams' gold: CCIE test100 (beside the CCIE BERT model's own
predictions) and ECR-COVID-19. Issue 17.

    .venv/bin/python benchmarks/fields.py                 # ECR test split and CCIE test100
    .venv/bin/python benchmarks/fields.py --split valid   # ECR valid split (where rules are tried first)

CCIE, per report (wrapped under a label, as ``ccie_eval.py``'s "wrapped" variant does) as sets over its cases: QYL (departure place) ↔ ``exposure_origin`` and ZSI spans where
a case is taken or admitted (转运至X, 收治于X, 在X隔离: ``ccie_eval.values``' ZSI_other) ↔ ``hospital``,
both lenient place matches; MDT (arrival date) ↔ ``exposure_date`` as month-day. ECR, for the annotated
patient's case (the report wrapped under a label, as in ``benchmarks/onset.py``): the Location of an
Inpatient event ↔ ``hospital`` (lenient), and a stated InfectionOriginContact (not 无…史) ↔ ``exposure``
(lenient; ECR writes travel as an event, not as an InfectionOriginContact, so precision is bounded).
Neither gold set annotates occupation or how a case was found (discovery): those are not scored.
"""
from __future__ import annotations

import argparse
import re
import sys

from onset import contract, month_day, prf   # importing onset puts the external scorers on sys.path

_NEGATED = re.compile(r"^(?:无|否认|没有|未)")


def _matches(pred: list[str], gold: list[str], same) -> tuple[int, int]:
    """(predictions matching a gold value, gold values matched by a prediction)."""
    return (sum(any(same(p, g) for g in gold) for p in pred), sum(any(same(p, g) for p in pred) for g in gold))


def _cell(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> str:
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"{100 * p:.1f} / {100 * r:.1f} / {100 * f:.1f} ({tp_pred}/{n_pred}, {tp_gold}/{n_gold})"


def ccie() -> list[str]:
    import ccie_eval
    from common import place_match, wrap

    docs = ccie_eval.load_gold()
    model = ccie_eval.load_model(len(docs))
    fields = (("QYL departure place ↔ exposure_origin", "QYL", "exposure_origin", place_match),
              ("MDT arrival date ↔ exposure_date", "MDT", "exposure_date", str.__eq__),
              ("ZSI where taken or admitted ↔ hospital", "ZSI_other", "hospital", place_match))
    counts = {(name, who): [0, 0, 0, 0] for name, *_ in fields for who in ("casedb", "model")}
    for i, doc in enumerate(docs):
        text = doc["text"]
        gold = ccie_eval.values(text, doc["spans"])
        theirs = ccie_eval.values(text, model[i]["pred"]) if model else None
        cases = [c for n in contract(wrap(text))["notices"] for c in n["cases"]]
        for name, gold_key, field, same in fields:
            ours = list(dict.fromkeys(month_day(c.get(field)) if field.endswith("date") else c.get(field)
                                      for c in cases if c.get(field)))
            for who, pred in (("casedb", ours), ("model", theirs[gold_key] if theirs else [])):
                tp_pred, tp_gold = _matches(pred, gold[gold_key], same)
                count = counts[(name, who)]
                for k, v in enumerate((tp_pred, len(pred), tp_gold, len(gold[gold_key]))):
                    count[k] += v
    return [f"| CCIE test100, {name} | {_cell(*counts[(name, 'casedb')])} | "
            f"{_cell(*counts[(name, 'model')]) if model else '–'} |" for name, *_ in fields]


def ecr(split: str) -> list[str]:
    import ecr_eval
    from common import pick_case, place_match, wrap

    hospital = [0, 0, 0]
    exposure = [0, 0, 0]
    for doc in ecr_eval.load(split):
        text = doc["text"]
        span = lambda e: text[e[0]:e[1]]   # noqa: E731
        admitted = [span(x) for ev in doc["events"] if ev["type"][2] == "Inpatient"
                    for x in ev["tuple"] if x[2] == "Location"]
        stated = [span(e) for e in doc["patient"] if e[2] == "InfectionOriginContact" and not _NEGATED.match(span(e))]
        patient = ecr_eval.gold_of(doc)
        case = pick_case(contract(wrap(text)), patient["label"], patient["sex"], patient["age"]) or {}
        for count, gold, pred in ((hospital, admitted, case.get("hospital")), (exposure, stated, case.get("exposure"))):
            count[0] += bool(gold) and pred is not None and any(place_match(pred, g) for g in gold)
            count[1] += pred is not None
            count[2] += bool(gold)
    return [f"| ECR-COVID-19 {split}, Inpatient location ↔ hospital | {prf(*hospital)} | – |",
            f"| ECR-COVID-19 {split}, stated InfectionOriginContact ↔ exposure | {prf(*exposure)} | – |"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=("test", "valid", "train"))
    args = parser.parse_args(argv)
    print("| field | casedb P / R / F1 | CCIE model P / R / F1 |")
    print("| --- | --- | --- |")
    print("\n".join(ecr(args.split)))
    if args.split == "test":
        print("\n".join(ccie()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
