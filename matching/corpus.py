"""Labelled triage examples: JSON Lines with `lang`, `category`, `text`, `level` (and, in the training corpus, `writer`).

One reader for the training corpus (`matching/data/triage-corpus.jsonl`), the development sets and any holdout, so
that every command reads and refuses the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from matching.classifier import CLASSES, DATA_DIR

CORPUS_PATH = DATA_DIR / "triage-corpus.jsonl"


class CorpusError(ValueError):
    """A file that cannot be read, or a line that is not a valid example (the message names file and line)."""


@dataclass(frozen=True)
class Example:
    line: int
    lang: str
    category: str
    text: str
    level: str
    writer: str = ""


def load_examples(path: Path) -> list[Example]:
    """Read one JSONL file; raise CorpusError with the line number for anything that is not a valid example."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: cannot read the file ({exc}).") from exc
    examples = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(f"{path}:{number}: not valid JSON ({exc.msg}).") from exc
        if not isinstance(data, dict):
            raise CorpusError(f"{path}:{number}: each line must be a JSON object.")
        missing = [k for k in ("category", "text", "level") if not isinstance(data.get(k), str)]
        if missing:
            raise CorpusError(f"{path}:{number}: missing or not text: {', '.join(missing)}.")
        if data["level"] not in CLASSES:
            raise CorpusError(f"{path}:{number}: level must be one of {', '.join(CLASSES)}, not {data['level']!r}.")
        examples.append(
            Example(
                line=number,
                lang=str(data.get("lang", "?")),
                category=data["category"],
                text=data["text"],
                level=data["level"],
                writer=str(data.get("writer", "")),
            )
        )
    if not examples:
        raise CorpusError(f"{path}: no examples in the file.")
    return examples
