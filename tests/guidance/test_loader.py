"""The guidance loader: every piece exists in nl, fr and en, and a malformed file fails loudly, naming the file."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from toolbox_content.guidance import Library
from toolbox_content.loader import CATEGORIES, CONTENT_DIR, LANGUAGES, ContentError, load_documents


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the shipped guidance that a test may break."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_shipped_piece_exists_in_dutch_french_and_english() -> None:
    pieces = load_documents(CONTENT_DIR)
    assert len(pieces) >= 25
    for piece_id, by_lang in pieces.items():
        assert sorted(by_lang) == sorted(LANGUAGES), piece_id
        for lang in LANGUAGES:
            assert (CONTENT_DIR / f"{piece_id}.{lang}.md").is_file()
        # Translations are real translations, not copies of the Dutch text.
        assert by_lang["fr"].body != by_lang["nl"].body != by_lang["en"].body, piece_id


def test_the_shipped_guidance_covers_every_category_and_the_required_topics() -> None:
    pieces = load_documents(CONTENT_DIR)
    for slug in CATEGORIES:
        assert any(slug in by_lang["nl"].categories for by_lang in pieces.values()), slug
    for required in ("what-neighbour-help-is", "saying-no", "boundaries", "heavy-need", "privacy", "worried"):
        assert required in pieces
    assert {"coordinator-volunteer-group", "coordinator-open-group", "coordinator-light-touch"} <= set(pieces)
    assert {"coordinator-referral", "tools-neighbour-help", "tools-volunteers", "before-you-go"} <= set(pieces)


def test_a_copy_of_the_shipped_guidance_loads(content: Path) -> None:
    assert load_documents(content).keys() == load_documents(CONTENT_DIR).keys()


def test_a_missing_translation_fails_naming_the_file(content: Path) -> None:
    (content / "boundaries.fr.md").unlink()
    with pytest.raises(ContentError, match=r"boundaries\.fr\.md: missing translation"):
        load_documents(content)


BREAKAGES: list[tuple[str, str, str, str]] = [
    ("hond.en.md", "priority: 5\n", "priority: 5\ncolour: blue\n", "unknown front-matter field.*colour"),
    ("hond.en.md", "audience: [volunteer]", "audience: [volunteers]", "unknown audience value.*volunteers"),
    ("hond.en.md", "categories: [hond]", "categories: [dog]", "unknown categories value.*dog"),
    ("hond.en.md", "moments: [proposal,", "moments: [afterwards,", "unknown moments value.*afterwards"),
    ("hond.en.md", "topic: categories", "topic: pets", "unknown topic 'pets'"),
    ("hond.en.md", "language: en", "language: de", "unknown language 'de'"),
    ("hond.en.md", "language: en", "language: fr", "does not match the file name"),
    ("hond.en.md", "id: hond", "id: dog", "does not match the file name"),
    ("hond.en.md", "title: ", "titel: ", "unknown front-matter field.*titel"),
    ("hond.nl.md", "related: [boundaries]", "related: [no-such-piece]", "related piece 'no-such-piece'"),
    ("boundaries.nl.md", "(piece:heavy-need)", "(piece:heavy-needs)", "broken link to piece 'heavy-needs'"),
    ("hond.fr.md", "categories: [hond]", "categories: [hond, tuin]", "'categories' is .* but hond.nl.md says"),
    ("hond.en.md", "---\nid:", "id:", "front matter between two '---' lines"),
    ("hond.en.md", "moments: [proposal, accept, before_you_go]", "moments: [proposal", "not valid YAML"),
    ("hond.en.md", "priority: 5", "priority: soon", "'priority' must be a whole number"),
]


@pytest.mark.parametrize(("name", "old", "new", "message"), BREAKAGES, ids=[b[3][:30] for b in BREAKAGES])
def test_a_malformed_file_fails_loudly_with_its_name(
    content: Path, name: str, old: str, new: str, message: str
) -> None:
    edit(content / name, old, new)
    with pytest.raises(ContentError, match=message) as failure:
        load_documents(content)
    assert str(failure.value).startswith(f"{name}: ")


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: (d / "notes.txt").write_text("hello", encoding="utf-8"),
        lambda d: (d / "Hond.en.md").write_text((d / "hond.en.md").read_text(encoding="utf-8"), encoding="utf-8"),
        lambda d: (d / "hond.en.md").write_text(
            (d / "hond.en.md").read_text(encoding="utf-8").split("---\n", 2)[0] + "---\n" + "x: 1\n---\n",
            encoding="utf-8",
        ),
    ],
    ids=["stray file", "bad file name", "no fields"],
)
def test_stray_or_badly_named_files_fail(content: Path, breakage: Callable[[Path], object]) -> None:
    breakage(content)
    with pytest.raises(ContentError):
        load_documents(content)


def test_an_empty_or_missing_folder_fails(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="does not exist"):
        load_documents(tmp_path / "nowhere")
    with pytest.raises(ContentError, match="no guidance files"):
        load_documents(tmp_path)


def test_script_and_raw_html_in_a_file_are_removed_when_rendered(content: Path) -> None:
    for lang in LANGUAGES:
        edit(
            content / f"hond.{lang}.md",
            "\n- ",
            '\n<script>alert("x")</script>\n\n<div onclick="steal()" style="color:red">Raw <b>bold</b></div>\n\n'
            '<iframe src="https://evil.example"></iframe>\n\n[click](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n- ',
        )
    library = Library(content)
    for lang in LANGUAGES:
        html = str(library.get("hond", lang).html)  # type: ignore[union-attr]
        for forbidden in (
            "<script",
            "alert(",
            "onclick",
            "onerror",
            "style=",
            "<iframe",
            "javascript:",
            "<img",
            "<div",
        ):
            assert forbidden not in html, (lang, forbidden)
        assert "Raw <b>bold</b>" in html
        assert "<ul>" in html and "<li>" in html


def test_links_between_pieces_become_guidance_urls(content: Path) -> None:
    html = str(Library(content).get("boundaries", "en").html)  # type: ignore[union-attr]
    assert 'href="/guidance/heavy-need/"' in html
    assert "piece:" not in html
