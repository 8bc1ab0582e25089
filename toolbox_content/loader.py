"""Load and validate the guidance: Markdown files with YAML front matter, one file per piece per language.

A file is `content/<id>.<language>.md`:

    ---
    id: boundaries
    title: Keep your boundaries
    summary: One or two plain sentences shown in tips.
    topic: boundaries
    audience: [volunteer, resident]
    categories: []          # empty: applies to every category
    moments: [accept, follow_up]
    language: en
    sources: ["Fiche J", "Fiche K"]
    related: [heavy-need]
    priority: 10            # optional; lower comes first
    ---
    Markdown body. Link to another piece with [words](piece:other-id).

Everything is checked when the app starts and in the tests: unknown or missing fields, bad audience, category,
moment, topic or language values, a piece missing in a language, translations that disagree on where they apply,
and links to pieces that do not exist all raise `ContentError` naming the file.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from burenhulp.core.categories import SLUGS

# libyaml's safe loader when available: ten times faster than the pure-Python one, same safety.
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

CONTENT_DIR = Path(__file__).resolve().parent / "content"

LANGUAGES: tuple[str, ...] = ("nl", "fr", "en")
AUDIENCES: tuple[str, ...] = ("resident", "volunteer", "coordinator")
MOMENTS: tuple[str, ...] = ("ask", "proposal", "accept", "before_you_go", "follow_up", "referral", "queue")
CATEGORIES: tuple[str, ...] = SLUGS
TOPICS: tuple[str, ...] = (
    "basics",
    "boundaries",
    "heavy_needs",
    "privacy",
    "worries",
    "categories",
    "coordination",
    "tools",
)

REQUIRED_FIELDS = frozenset({"id", "title", "summary", "topic", "audience", "categories", "moments", "language"})
OPTIONAL_FIELDS = frozenset({"sources", "related", "priority"})
# Fields every translation of a piece must share (where and to whom it applies).
SHARED_FIELDS = ("topic", "audience", "categories", "moments", "related", "priority")

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FILE_RE = re.compile(r"^(?P<id>[a-z0-9-]+)\.(?P<lang>[a-z]{2})\.md$")
PIECE_LINK_RE = re.compile(r"\]\(piece:([^)\s]*)\)")
FRONT_MATTER_RE = re.compile(r"\A---\n(?P<meta>.*?)\n---\n(?P<body>.*)\Z", re.DOTALL)


class ContentError(Exception):
    """A guidance file is missing or malformed. The message names the file and what is wrong."""


@dataclass(frozen=True)
class Document:
    """One validated file: one piece in one language."""

    id: str
    language: str
    title: str
    summary: str
    topic: str
    audience: tuple[str, ...]
    categories: tuple[str, ...]
    moments: tuple[str, ...]
    sources: tuple[str, ...]
    related: tuple[str, ...]
    priority: int
    body: str
    path: Path = field(compare=False)

    @property
    def links(self) -> tuple[str, ...]:
        return tuple(PIECE_LINK_RE.findall(self.body))


def _fail(path: Path, message: str) -> ContentError:
    return ContentError(f"{path.name}: {message}")


def _str_list(path: Path, meta: dict[str, Any], name: str, allowed: tuple[str, ...] | None) -> tuple[str, ...]:
    value = meta.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, f"'{name}' must be a list of words, got {value!r}")
    if allowed is not None:
        bad = [v for v in value if v not in allowed]
        if bad:
            raise _fail(path, f"unknown {name} value(s) {bad}; allowed: {', '.join(allowed)}")
    if len(set(value)) != len(value):
        raise _fail(path, f"'{name}' lists a value twice: {value}")
    return tuple(value)


def _text(path: Path, meta: dict[str, Any], name: str) -> str:
    value = meta.get(name)
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, f"'{name}' must be a non-empty text")
    return value.strip()


def parse_file(path: Path) -> Document:
    """Read and check one file on its own (cross-file checks are in `load_documents`)."""
    match = FILE_RE.match(path.name)
    if not match:
        raise _fail(path, "the file name must be <id>.<language>.md, e.g. boundaries.nl.md")
    raw = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    fm = FRONT_MATTER_RE.match(raw)
    if not fm:
        raise _fail(path, "the file must start with front matter between two '---' lines")
    try:
        meta = yaml.load(fm.group("meta"), Loader=SAFE_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise _fail(path, f"the front matter is not valid YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise _fail(path, "the front matter must be a mapping of fields")
    unknown = set(meta) - REQUIRED_FIELDS - OPTIONAL_FIELDS
    if unknown:
        raise _fail(path, f"unknown front-matter field(s): {', '.join(sorted(map(str, unknown)))}")
    missing = REQUIRED_FIELDS - set(meta)
    if missing:
        raise _fail(path, f"missing front-matter field(s): {', '.join(sorted(missing))}")

    piece_id = _text(path, meta, "id")
    if not ID_RE.match(piece_id):
        raise _fail(path, f"id {piece_id!r} must be lower-case words joined by hyphens")
    if piece_id != match.group("id"):
        raise _fail(path, f"id {piece_id!r} does not match the file name")
    language = _text(path, meta, "language")
    if language not in LANGUAGES:
        raise _fail(path, f"unknown language {language!r}; allowed: {', '.join(LANGUAGES)}")
    if language != match.group("lang"):
        raise _fail(path, f"language {language!r} does not match the file name")
    topic = _text(path, meta, "topic")
    if topic not in TOPICS:
        raise _fail(path, f"unknown topic {topic!r}; allowed: {', '.join(TOPICS)}")
    audience = _str_list(path, meta, "audience", AUDIENCES)
    if not audience:
        raise _fail(path, "'audience' must name at least one of: " + ", ".join(AUDIENCES))
    priority = meta.get("priority", 50)
    if not isinstance(priority, int) or isinstance(priority, bool):
        raise _fail(path, f"'priority' must be a whole number, got {priority!r}")
    body = fm.group("body").strip()
    if not body:
        raise _fail(path, "the text under the front matter is empty")
    return Document(
        id=piece_id,
        language=language,
        title=_text(path, meta, "title"),
        summary=_text(path, meta, "summary"),
        topic=topic,
        audience=audience,
        categories=_str_list(path, meta, "categories", CATEGORIES),
        moments=_str_list(path, meta, "moments", MOMENTS),
        sources=_str_list(path, meta, "sources", None),
        related=_str_list(path, meta, "related", None),
        priority=priority,
        body=body,
        path=path,
    )


def load_documents(directory: Path = CONTENT_DIR) -> dict[str, dict[str, Document]]:
    """Every piece by id, then by language; raises ContentError on the first problem found."""
    if not directory.is_dir():
        raise ContentError(f"{directory}: the guidance folder does not exist")
    pieces: dict[str, dict[str, Document]] = {}
    for path in sorted(directory.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix != ".md":
            raise ContentError(f"{path.name}: only .md files belong in the guidance folder")
        doc = parse_file(path)
        pieces.setdefault(doc.id, {})[doc.language] = doc
    if not pieces:
        raise ContentError(f"{directory}: no guidance files found")
    for piece_id, by_lang in pieces.items():
        missing = [lang for lang in LANGUAGES if lang not in by_lang]
        if missing:
            raise ContentError(
                f"{piece_id}.{missing[0]}.md: missing translation of '{piece_id}' ({', '.join(missing)})"
            )
        for doc in by_lang.values():
            for target in doc.related:
                if target not in pieces:
                    raise _fail(doc.path, f"related piece {target!r} does not exist")
                if target == piece_id:
                    raise _fail(doc.path, "a piece cannot be related to itself")
            for target in doc.links:
                if target not in pieces:
                    raise _fail(doc.path, f"broken link to piece {target!r}")
        reference = by_lang[LANGUAGES[0]]
        for doc in by_lang.values():
            for name in SHARED_FIELDS:
                if getattr(doc, name) != getattr(reference, name):
                    raise _fail(
                        doc.path,
                        f"'{name}' is {getattr(doc, name)!r} but {reference.path.name} says {getattr(reference, name)!r}",
                    )
    return pieces


@functools.cache
def default_documents() -> dict[str, dict[str, Document]]:
    """The shipped guidance, read once per process (start-up validation and the library share it)."""
    return load_documents(CONTENT_DIR)
