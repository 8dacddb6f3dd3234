"""Exposure and hospital against other teams' gold: CCIE test100 (beside the CCIE BERT model's own
predictions) and ECR-COVID-19. Issue 17.

    .venv/bin/python benchmarks/fields.py                 # ECR test split and CCIE test100
    .venv/bin/python benchmarks/fields.py --split valid   # ECR valid split (where rules are tried first)
    .venv/bin/python benchmarks/fields.py --split train   # ECR train and CCIE train (999 reports; no model figures)

CCIE, per report (wrapped under a label, as ``ccie_eval.py``'s "wrapped" variant does) as sets over its cases: QYL (departure place) ↔ ``exposure_origin`` and ZSI spans where
a case is taken or admitted (转运至X, 收治于X, 在X隔离: ``ccie_eval.values``' ZSI_other) ↔ ``hospital``,
both lenient place matches; MDT (arrival date) ↔ ``exposure_date`` as month-day. ECR, for the annotated
patient's case (the report wrapped under a label, as in ``benchmarks/onset.py``): the Location or Spot
(ECR writes a hospital as a Spot) of an Inpatient event ↔ ``hospital`` (lenient), and a stated InfectionOriginContact (not 无…史) ↔ ``exposure``
(lenient; ECR writes travel as an event, not as an InfectionOriginContact, so precision is bounded).
Neither gold set annotates occupation or how a case was found (discovery): those are not scored.

CCIE's conventions differ from casedb's in places, so each CCIE field is also scored where they agree
("conventions agree" rows), on a subset chosen by CCIE's own tags, the same for casedb and the model:

- QYL and MDT: CCIE marks where a case lives or works as a departure place too (常住深圳…前往湖北: QYL 深圳),
  and every arrival of a report, where casedb keeps the first exposure of a case and, for a trip out and
  back, the place gone to. Agreed: a report's first one-way journey by the tags, the first sentence
  (。；) in which a QYL is followed by an MDL that is not the same place (1月22日从武汉返回阜南); its QYL
  and MDT spans are the gold, and only reports with such a sentence are scored. The model's values come from
  its own first journey sentence by its predicted tags.
- ZSI: CCIE marks every hospital a report names, casedb the last one a case is taken to or treated in.
  Agreed: the last ZSI span of a report with an admitting word before it (转, 送, 收, 入住, 接往, 120)
  or a treatment after it (隔离, 治疗, 住院, 救治, 留观); reports without one are left out.
"""
from __future__ import annotations

import re
import sys

from onset import contract, month_day, prf, prf_cell, print_table   # importing onset puts the external scorers on sys.path

_NEGATED = re.compile(r"^(?:无|否认|没有|未)")
_SENTENCE_END = re.compile(r"[。；;\n]")
_ADMITTING = re.compile(r"转|送|收|入住|住进|接往|120")
_TREATMENT = re.compile(r"^[^，,。；;\n]{0,8}?(?:隔离|治疗|住院|救治|留观)")


def _journey(text: str, spans: list[tuple[int, int, str]]) -> dict[str, list[str]] | None:
    """QYL places and MDT month-days of the first sentence of ``text`` in which a QYL is followed by an MDL
    that is not the same place (a one-way journey by the tags), or None."""
    from common import parse_date_span, place_match

    bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
    for start, end in zip(bounds, bounds[1:]):
        inside = sorted(x for x in spans if start <= x[0] < end)
        departures = [x for x in inside if x[2] == "QYL"]
        if any(x[2] == "MDL" and x[0] > departures[0][0]
               and not any(place_match(text[x[0]:x[1]], text[q[0]:q[1]]) for q in departures)
               for x in inside if departures):
            dates = [parse_date_span(text, x[0], x[1])[0] for x in inside if x[2] == "MDT"]
            return {"QYL": list(dict.fromkeys(text[q[0]:q[1]] for q in departures)),
                    "MDT": list(dict.fromkeys(d for d in dates if d))}
    return None


def _last_admitted(text: str, spans: list[tuple[int, int, str]]) -> list[str]:
    """The last ZSI span of ``text`` with an admitting word before it or a treatment after it, as a list."""
    admitted = [text[s:e] for s, e, t in sorted(spans) if t == "ZSI"
                and (_ADMITTING.search(text[max(0, s - 6):s]) or _TREATMENT.match(text[e:e + 12]))]
    return admitted[-1:]


def _matches(pred: list[str], gold: list[str], same) -> tuple[int, int]:
    """(predictions matching a gold value, gold values matched by a prediction)."""
    return (sum(any(same(p, g) for g in gold) for p in pred), sum(any(same(p, g) for p in pred) for g in gold))


def ccie(split: str = "test100") -> list[str]:
    """The CCIE rows of ``split`` (test100, or train: the file the rules are written from, without the model)."""
    import json

    import ccie_eval
    from common import place_match, wrap

    if split == "test100":
        docs = ccie_eval.load_gold()
        model = ccie_eval.load_model(len(docs))
    else:
        docs = [json.loads(line) for line in (ccie_eval.CCIE_DIR / f"{split}.jsonl").open(encoding="utf-8")]
        for d in docs:
            d["spans"] = [(e["start"], e["end"], e["label"]) for e in d["entities"]]
        model = None
    fields = (("QYL departure place ↔ exposure_origin", "QYL", "exposure_origin", place_match),
              ("MDT arrival date ↔ exposure_date", "MDT", "exposure_date", str.__eq__),
              ("ZSI where taken or admitted ↔ hospital", "ZSI_other", "hospital", place_match))
    counts = {(name, who, agreed): [0, 0, 0, 0] for name, *_ in fields for who in ("casedb", "model")
              for agreed in (False, True)}
    for i, doc in enumerate(docs):
        text = doc["text"]
        theirs_spans = model[i]["pred"] if model else []
        gold = ccie_eval.values(text, doc["spans"])
        theirs = ccie_eval.values(text, theirs_spans)
        journey, their_journey = _journey(text, doc["spans"]), _journey(text, theirs_spans) or {"QYL": [], "MDT": []}
        agreed_gold = {"ZSI_other": _last_admitted(text, doc["spans"]), **(journey or {})}
        agreed_theirs = {"ZSI_other": _last_admitted(text, theirs_spans), **their_journey}
        cases = [c for n in contract(wrap(text))["notices"] for c in n["cases"]]
        for name, gold_key, field, same in fields:
            ours = list(dict.fromkeys(month_day(c.get(field)) if field.endswith("date") else c.get(field)
                                      for c in cases if c.get(field)))
            for agreed, golds, preds in ((False, gold, theirs), (True, agreed_gold, agreed_theirs)):
                if agreed and not agreed_gold.get(gold_key):
                    continue   # no item of this report where the conventions agree
                for who, pred in (("casedb", ours), ("model", preds[gold_key])):
                    tp_pred, tp_gold = _matches(pred, golds[gold_key], same)
                    count = counts[(name, who, agreed)]
                    for k, v in enumerate((tp_pred, len(pred), tp_gold, len(golds[gold_key]))):
                        count[k] += v
    return [f"| CCIE {split}, {name}{', conventions agree' if agreed else ''} | "
            f"{prf_cell(*counts[(name, 'casedb', agreed)])} | {prf_cell(*counts[(name, 'model', agreed)]) if model else '–'} |"
            for name, *_ in fields for agreed in (False, True)]


def ecr(split: str) -> list[str]:
    import ecr_eval
    from common import pick_case, place_match, wrap

    hospital = [0, 0, 0]
    exposure = [0, 0, 0]
    for doc in ecr_eval.load(split):
        text = doc["text"]
        span = lambda e: text[e[0]:e[1]]   # noqa: E731
        admitted = [span(x) for ev in doc["events"] if ev["type"][2] == "Inpatient"
                    for x in ev["tuple"] if x[2] in ("Location", "Spot")]
        stated = [span(e) for e in doc["patient"] if e[2] == "InfectionOriginContact" and not _NEGATED.match(span(e))]
        patient = ecr_eval.gold_of(doc)
        case = pick_case(contract(wrap(text)), patient["label"], patient["sex"], patient["age"]) or {}
        for count, gold, pred in ((hospital, admitted, case.get("hospital")), (exposure, stated, case.get("exposure"))):
            count[0] += bool(gold) and pred is not None and any(place_match(pred, g) for g in gold)
            count[1] += pred is not None
            count[2] += bool(gold)
    return [f"| ECR-COVID-19 {split}, Inpatient place ↔ hospital | {prf(*hospital)} | – |",
            f"| ECR-COVID-19 {split}, stated InfectionOriginContact ↔ exposure | {prf(*exposure)} | – |"]


def main(argv=None) -> int:
    return print_table(__doc__.splitlines()[0],
                       lambda split: "\n".join(ecr(split) + (ccie("train") if split == "train" else [])),
                       lambda: "\n".join(ccie()), argv)


if __name__ == "__main__":
    sys.exit(main())
