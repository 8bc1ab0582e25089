"""Fill the nl and fr catalogues from the translation sources in locale/src/*.json.

Each area keeps its translations in its own file, {"English msgid": {"nl": "...", "fr": "..."}}, so that people
working on different areas never edit the same catalogue lines. `make messages` extracts the strings
(makemessages), runs this, and compiles. Fuzzy guesses from msgmerge are dropped: only reviewed text ships.
Plural entries use {"nl": ["one", "other"], "fr": [...]} .
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("nl", "fr")


def load_sources() -> dict[str, dict[str, object]]:
    merged: dict[str, dict[str, object]] = {}
    for path in sorted((ROOT / "locale" / "src").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for msgid, tr in data.items():
            merged.setdefault(msgid, {}).update(tr)
    return merged


def main() -> int:
    sources = load_sources()
    missing: dict[str, list[str]] = {}
    for lang in LANGS:
        po_path = ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(po_path))
        for entry in po:
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
                entry.msgstr = ""
                entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
            tr = sources.get(key, {}).get(lang)
            if entry.msgid_plural:
                if isinstance(tr, list):
                    entry.msgstr_plural = dict(enumerate(tr))
            elif isinstance(tr, str):
                entry.msgstr = tr
            if not (entry.msgstr or any(entry.msgstr_plural.values())):
                missing.setdefault(lang, []).append(entry.msgid)
        po.metadata["Language"] = lang
        po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
        po.save()
    for lang, ids in missing.items():
        print(f"{lang}: {len(ids)} strings without a translation", file=sys.stderr)
        for msgid in ids[:40]:
            print(f"  {msgid!r}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
