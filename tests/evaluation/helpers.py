"""A small, valid instrument with one scale of each type, for tests to change one thing in."""

from __future__ import annotations

import copy
import json
from typing import Any

from tip.evaluation.analysis.instrument_model import Instrument
from tip.evaluation.instruments import parse_instrument


def text(en: str) -> dict[str, str]:
    return {"en": en, "cy": f"{en} (cy)"}


BASE: dict[str, Any] = {
    "id": "northshire-check",
    "version": 1,
    "languages": ["en", "cy"],
    "title": text("Check"),
    "description": text("A test instrument"),
    "respondent": "self",
    "licence": "MIT",
    "source": text("Written for the tests"),
    "validated": False,
    "validation_note": text("Not validated"),
    "scales": [
        {
            "id": "agree",
            "type": "likert",
            "points": [{"value": v, "label": text(f"point {v}")} for v in range(1, 6)],
            "not_applicable": text("Not applicable"),
        },
        {
            "id": "tf",
            "type": "true_false",
            "true_label": text("True"),
            "false_label": text("False"),
            "dont_know_label": text("Don't know"),
        },
        {"id": "count", "type": "numeric", "minimum": 0, "maximum": 10, "whole_number": True},
        {"id": "notes", "type": "free_text", "max_length": 20},
        {
            "id": "pick",
            "type": "single_choice",
            "options": [{"value": v, "label": text(v)} for v in ("red", "green")],
        },
        {
            "id": "many",
            "type": "multiple_choice",
            "max_selected": 2,
            "options": [{"value": v, "label": text(v)} for v in ("a", "b", "c")],
        },
    ],
    "items": [
        {"id": "l1", "text": text("Likert one"), "scale": "agree"},  # items[0]
        {"id": "l2", "text": text("Likert two"), "scale": "agree", "reverse": True},  # items[1]
        {"id": "l3", "text": text("Likert three"), "scale": "agree"},  # items[2]
        {"id": "k1", "text": text("Knowledge one"), "scale": "tf", "answer_key": True},  # [3]
        {"id": "k2", "text": text("Knowledge two"), "scale": "tf", "answer_key": False},  # [4]
        {"id": "n1", "text": text("How many"), "scale": "count", "required": True},  # items[5]
        {"id": "t1", "text": text("Say more"), "scale": "notes"},  # items[6]
        {"id": "s1", "text": text("Pick one"), "scale": "pick"},  # items[7]
        {"id": "m1", "text": text("Pick some"), "scale": "many"},  # items[8]
    ],
    "subscales": [
        {
            "id": "ratings",
            "title": text("Ratings"),
            "items": ["l1", "l2", "l3"],
            "method": "mean",
            "min_answered": 2,
        },
        {
            "id": "knowledge",
            "title": text("Knowledge"),
            "items": ["k1", "k2"],
            "method": "sum",
            "min_answered": 1,
        },
    ],
    "total": {
        "title": text("Ratings added up"),
        "items": ["l1", "l2", "l3"],
        "method": "sum",
        "min_answered": 2,
    },
}


def base() -> dict[str, Any]:
    return copy.deepcopy(BASE)


def build(data: dict[str, Any] | None = None) -> Instrument:
    return parse_instrument(json.dumps(base() if data is None else data), fmt="json")
