"""Every string the platform shows exists in Dutch and French (English is the source language)."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_every_string_is_translated(lang: str) -> None:
    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [], f"{len(untranslated)} strings without {lang}: {untranslated[:20]}"
    assert fuzzy == []


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_placeholders_survive_translation(lang: str) -> None:
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    broken = [
        e.msgid
        for e in po.translated_entries()
        if not e.msgid_plural and sorted(placeholder.findall(e.msgid)) != sorted(placeholder.findall(e.msgstr))
    ]
    assert broken == []
