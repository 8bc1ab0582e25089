"""Measure triage against labelled examples: `manage.py triage_eval [PATH ...]`.

Each file is JSON Lines with `lang`, `category`, `text` and `level` (light / heavy / crisis), like
`shared/examples/triage-sample.jsonl` (the default). Prints, per file: precision and recall per level, the "not
light" recall (heavy and crisis kept away from neighbours: the error that harms people), the confusion matrix, and
every misclassified line with the reasons that fired. A file that cannot be read or a line that is not valid gives a
clear message and exit code 1; otherwise the exit code is 0.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from burenhulp.core.shared import shared_dir
from matching.triage import LEVELS, triage

DEFAULT_PATH = shared_dir() / "examples" / "triage-sample.jsonl"


@dataclass(frozen=True)
class Example:
    line: int
    lang: str
    category: str
    text: str
    level: str


@dataclass
class Scores:
    total: int
    confusion: Counter[tuple[str, str]]
    misses: list[tuple[Example, str, list[Any]]]
    seconds: float

    def recall(self, level: str) -> float | None:
        actual = sum(n for (a, _), n in self.confusion.items() if a == level)
        return self.confusion[(level, level)] / actual if actual else None

    def precision(self, level: str) -> float | None:
        predicted = sum(n for (_, p), n in self.confusion.items() if p == level)
        return self.confusion[(level, level)] / predicted if predicted else None

    def not_light_recall(self) -> float | None:
        actual = sum(n for (a, _), n in self.confusion.items() if a != "light")
        kept = sum(n for (a, p), n in self.confusion.items() if a != "light" and p != "light")
        return kept / actual if actual else None

    def support(self, level: str) -> int:
        return sum(n for (a, _), n in self.confusion.items() if a == level)


def load_examples(path: Path) -> list[Example]:
    """Read one JSONL file; raise CommandError with the line number for anything that is not a valid example."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"{path}: cannot read the file ({exc}).") from exc
    examples = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CommandError(f"{path}:{number}: not valid JSON ({exc.msg}).") from exc
        if not isinstance(data, dict):
            raise CommandError(f"{path}:{number}: each line must be a JSON object.")
        missing = [k for k in ("category", "text", "level") if not isinstance(data.get(k), str)]
        if missing:
            raise CommandError(f"{path}:{number}: missing or not text: {', '.join(missing)}.")
        if data["level"] not in LEVELS:
            raise CommandError(f"{path}:{number}: level must be one of {', '.join(LEVELS)}, not {data['level']!r}.")
        examples.append(Example(number, str(data.get("lang", "?")), data["category"], data["text"], data["level"]))
    if not examples:
        raise CommandError(f"{path}: no examples in the file.")
    return examples


def evaluate(examples: list[Example]) -> Scores:
    confusion: Counter[tuple[str, str]] = Counter()
    misses: list[tuple[Example, str, list[Any]]] = []
    started = time.perf_counter()
    for ex in examples:
        result = triage(text=ex.text, category=ex.category)
        confusion[(ex.level, result.level)] += 1
        if result.level != ex.level:
            misses.append((ex, result.level, result.reasons))
    return Scores(len(examples), confusion, misses, time.perf_counter() - started)


def _pct(value: float | None) -> str:
    return "   –  " if value is None else f"{value:6.3f}"


class Command(BaseCommand):
    help = "Measure triage on labelled JSONL examples (lang, category, text, level): precision, recall, confusion."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, help=f"JSONL files (default: {DEFAULT_PATH})")

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[Path] = options["paths"] or [DEFAULT_PATH]
        for path in paths:
            self.report(path, evaluate(load_examples(path)))

    def report(self, path: Path, scores: Scores) -> None:
        out = self.stdout.write
        out(f"\n{path}  ({scores.total} examples)")
        out(f"{'level':<10}{'support':>8}{'precision':>11}{'recall':>9}")
        for level in LEVELS:
            out(
                f"{level:<10}{scores.support(level):>8}{_pct(scores.precision(level)):>11}{_pct(scores.recall(level)):>9}"
            )
        out(
            f"{'not light':<10}{scores.total - scores.support('light'):>8}{'':>11}{_pct(scores.not_light_recall()):>9}"
            "   (heavy + crisis kept from neighbours)"
        )
        out("\nconfusion (rows: expected, columns: triage)")
        out(f"{'':<10}" + "".join(f"{lv:>8}" for lv in LEVELS))
        for actual in LEVELS:
            out(f"{actual:<10}" + "".join(f"{scores.confusion[(actual, p)]:>8}" for p in LEVELS))
        accuracy = sum(scores.confusion[(lv, lv)] for lv in LEVELS) / scores.total
        per_request_ms = scores.seconds * 1000 / scores.total
        out(f"\naccuracy {accuracy:.3f}   {per_request_ms:.3f} ms per request")
        if scores.misses:
            out(f"\nmisclassified ({len(scores.misses)}):")
            for ex, got, reasons in scores.misses:
                terms = ", ".join(f"{r.get('rule')}:{r.get('term', '')}" for r in reasons) or "no rule fired"
                out(f"  line {ex.line} [{ex.lang} {ex.category}] expected {ex.level}, got {got}: {ex.text}")
                out(f"      reasons: {terms}")
        else:
            out("\nmisclassified: none")
