"""Triage: may neighbours be asked, or does a coordinator look first? (DESIGN §4, §4.1)

Light is what nothing raises. Four raisers read every request (`triage()`):

1. the lexicon: transparent rules, a list of terms per rule (`matching/lexicon/default.py`), each rule tied to a
   level; its level stands;
2. the learned safety net (`matching/classifier.py`), for wording the lexicon was never written for;
3. the language gate (`matching/language.py`): a text not in Dutch, French or English goes to a coordinator first;
4. the unclear gate (`is_unclear`): empty, one word, emoji only, or only words that carry no need.

`triage()` is a pure function over the text and the requester's answers; every result lists what raised it as
JSON-serialisable codes (`{"rule": "debt", "level": "heavy", "term": "deurwaarder"}`, `{"rule": "language",
"lang": "tr"}`, `{"rule": "model", "level": "heavy", "score": 0.83}`), which `describe_reasons()` turns into words a
coordinator understands, in the active language. A term is always the lexicon's own form (or a neighbourhood's term
as its coordinators typed it), never the resident's words (issue #14, M4).

How a text is read:

1. Normalise: lower case, accents folded (é → e), `œ` → `oe`, English "n't" → "not", split into word tokens with
   clause breaks (`#`: commas, ";", "maar", "but", "mais", …) and sentence breaks (`##`: ".", "!", "?", new line).
2. Defuse everyday expressions that only look alarming ("ik sterf van de honger", "I'm dying to try", "killer",
   "mijn plantjes gaan dood"), plus a neighbourhood's own "light" words: their tokens no longer count.
3. Every rule's terms are matched on the token string. A term is a short pattern: `schimmel*` (prefix, for
   inflections), `*achterstand` (end of a Dutch compound: huurachterstand), `*schimmel*` (anywhere in a compound),
   `a|b` (alternatives, `_` joins words inside one: `warm_water|stroom`), `..` (up to three words in between), `...` (up to six), `word?` (optional word), or
   `re:<regex>` on the token string for the few cases that need a look-ahead.
4. A match is dropped when:
   - a negation ("geen", "niet", "no", "not", "pas", "jamais", …) stands in the three words before it in the same
     clause (or, in Dutch word order, "niet"/"nooit" in the two words after it: "hij bedreigt me niet"), unless the
     negation is part of the term itself ("geen verwarming", "can't breathe") or follows a verb
     of ability ("ik kan me niet meer wassen": losing an ability is the signal, not its absence);
   - the clause holds one of the rule's `suppress` words (a pharmacy for "medication": fetching, not giving), and
     none of its `unless` words;
   - the rule `needs` a context word that the sentence lacks, or the category is outside the rule's categories.
5. The level is the highest level of the rules that fired; "is it about health, housing, money or safety?" adds a
   heavy reason. `urgent` only raises the priority of a heavy or crisis result.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from django.utils.translation import gettext, gettext_lazy

from matching import classifier
from matching.language import UNKNOWN as UNKNOWN_LANGUAGE
from matching.language import Vocabulary
from matching.language import detect as detect_language
from matching.lexicon import (
    DEFUSERS,
    LAUGHS,
    MODALS,
    NEGATORS,
    NOT_LAUGHED_OFF,
    OTHER_CRISIS,
    RESOLVABLE,
    RESOLVED,
    RESOLVED_AGAIN,
    RULES,
    LexRule,
)
from matching.reasons import language_name

Level = Literal["light", "heavy", "crisis"]
Reason = dict[str, Any]

LEVELS: tuple[Level, ...] = ("light", "heavy", "crisis")
_RANK = {"light": 0, "heavy": 1, "crisis": 2}

# Higher number = more pressing. Urgent adds one step to a heavy or crisis result; a crisis always outranks any
# heavy request, urgent or not. Light requests stay at 0 (urgent shortens their proposal window instead).
PRIORITY = {"light": 0, "heavy": 2, "crisis": 4}

# How many words before a term a negation may stand, and how many words before the negation a verb of ability may.
NEGATION_WINDOW = 3
POST_NEGATION_WINDOW = 2
MODAL_WINDOW = 2
# How many terms per rule are kept in the reasons (the rest add nothing for the coordinator).
TERMS_PER_RULE = 3

CHECK_IN_REQUESTS = 5
CHECK_IN_DAYS = 14


@dataclass(frozen=True)
class TriageResult:
    level: Level
    reasons: list[Reason] = field(default_factory=list)
    priority: int = 0

    @property
    def is_light(self) -> bool:
        return self.level == "light"


# --- 1. Normalising -------------------------------------------------------------------------------------------

_FOLD_EXTRA = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "’": "'", "‘": "'", "`": "'"})
# Laughing emoji are read as the word "haha" (a joke marker, see LAUGHS).
_LAUGH_EMOJI = "\U0001f602\U0001f923\U0001f605\U0001f606\U0001f604\U0001f601\U0001f61c\U0001f61d"
_TOKEN_RE = re.compile(rf"[^\W_]+|[.!?\n]+|[,;:()\[\]/+&…–—-]|['\"]|[{_LAUGH_EMOJI}]+", re.UNICODE)
_SENTENCE_PUNCT = re.compile(r"[.!?\n…]+")
_CLAUSE_PUNCT = frozenset(",;:()[]/+&–—")
# Words that open a new clause: a negation before them does not reach past them.
_CLAUSE_WORDS = frozenset(
    {
        "maar",
        "doch",
        "alhoewel",
        "hoewel",
        "behalve",
        "but",
        "however",
        "although",
        "though",
        "except",
        "mais",
        "cependant",
        "pourtant",
        "sauf",
        "toutefois",
    }
)
# Punctuation spoken into a phone's dictation ("zij verliest haar plas komma ze schaamt zich"): a clause break.
_SPOKEN_COMMAS = frozenset({"komma", "virgule", "comma"})
# A negation does not reach into a clause that a complementiser opens: "ze wil niet dat wij haar verschonen" is about
# a need, "I don't want that he hits her again" too.
_COMPLEMENTISERS = frozenset({"dat", "that", "que", "qu"})
# Words that take back what was just said ("naar de spoed… nee grapje"): a term right before one is a joke, unless
# the joke itself is denied ("geen grapje", "not kidding", "je ne rigole pas").
_JOKES = frozenset({"grapje", "grapke", "grap", "zwans", "kidding", "jk", "joking", "rigole", "plaisante", "blague"})
JOKE_WINDOW = 4
# English contractions whose "t" after the apostrophe is a negation: don't, can't, isn't …
_NT_STEMS = frozenset(
    {"don", "doesn", "didn", "can", "couldn", "won", "wouldn", "isn", "aren", "wasn", "weren", "haven", "hasn", "hadn"}
)
_WORD = "[a-z0-9]"
BREAK = "#"
SENTENCE = "##"


def fold(text: str) -> str:
    """Lower case, accents removed: 'Moisissure à l’Étage' → "moisissure a l'etage"."""
    text = text.lower().translate(_FOLD_EXTRA)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@dataclass
class _Doc:
    tokens: list[str]
    spans: list[tuple[int, int]]  # original character span of each token
    string: str
    starts: list[int]  # offset of each token in `string`
    original: str

    def token_at(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def rebuild(self) -> None:
        self.starts = []
        pos = 0
        for tok in self.tokens:
            self.starts.append(pos)
            pos += len(tok) + 1
        self.string = " ".join(self.tokens)


def _tokenise(text: str) -> _Doc:
    tokens: list[str] = []
    spans: list[tuple[int, int]] = []

    def add(tok: str, span: tuple[int, int]) -> None:
        if tok in (BREAK, SENTENCE) and tokens and tokens[-1] in (BREAK, SENTENCE):
            if tok == SENTENCE:
                tokens[-1] = SENTENCE
            return
        tokens.append(tok)
        spans.append(span)

    prev_apostrophe = False
    for m in _TOKEN_RE.finditer(text):
        raw = m.group(0)
        span = m.span()
        if raw in ("-", "–", "—") and m.start() > 0 and text[m.start() - 1].isalnum():
            continue  # a hyphen inside a word joins two words: "burn-out", "GAS-boete"
        if raw == "'" or raw == '"':
            prev_apostrophe = raw == "'"
            continue
        if raw[0] in _LAUGH_EMOJI:
            add("haha", span)
        elif _SENTENCE_PUNCT.fullmatch(raw):
            add(SENTENCE, span)
        elif raw in _CLAUSE_PUNCT:
            add(BREAK, span)
        else:
            word = fold(raw)
            if prev_apostrophe and word == "t" and tokens and tokens[-1] in _NT_STEMS:
                word = "not"
            if word == "cannot":
                add("can", span)
                word = "not"
            if word in _SPOKEN_COMMAS:
                add(BREAK, span)
                prev_apostrophe = False
                continue
            if word in _CLAUSE_WORDS:
                add(BREAK, (span[0], span[0]))
            # A word that folds to several (e.g. "ﬁ" ligatures) stays one token.
            add(re.sub(r"[^a-z0-9]", "", word) or "_", span)
        prev_apostrophe = False
    doc = _Doc(tokens=tokens, spans=spans, string="", starts=[], original=text)
    doc.rebuild()
    return doc


# --- 2. Compiling terms ---------------------------------------------------------------------------------------

_GAPS = {"..": f"(?: {_WORD}+){{0,3}}", "...": f"(?: {_WORD}+){{0,6}}"}


def _token_pattern(token: str) -> str:
    alts = []
    for alt in token.split("|"):
        if not alt:
            continue
        # "_" joins words inside one alternative: "niet_genoeg|weinig".
        core = re.escape(alt.strip("*")).replace("_", " ")
        alts.append((f"{_WORD}*" if alt.startswith("*") else "") + core + (f"{_WORD}*" if alt.endswith("*") else ""))
    if not alts:
        raise ValueError(f"empty term part in {token!r}")
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


def term_pattern(term: str) -> str:
    """One lexicon term → a regular expression over the token string (see the module docstring)."""
    if term.startswith("re:"):
        return f"(?<!{_WORD})(?:{term[3:]})(?!{_WORD})"
    # Apostrophes and hyphens split words in the text too ("m'habiller", "burn-out").
    parts = re.sub(r"['’\-]", " ", fold(term)).split()
    if not parts or parts[0] in _GAPS or parts[0].endswith("?"):
        raise ValueError(f"a term must start with a word: {term!r}")
    out = _token_pattern(parts[0])
    for part in parts[1:]:
        if part in _GAPS:
            out += _GAPS[part]
        elif part.endswith("?") and len(part) > 1:
            out += f"(?: {_token_pattern(part[:-1])})?"
        else:
            out += " " + _token_pattern(part)
    return f"(?<!{_WORD})(?:{out})(?!{_WORD})"


_EDGE_START = f"(?<!{_WORD})"


def compile_terms(terms: Iterable[str]) -> re.Pattern[str] | None:
    """All terms in one pattern. The shared word-start check stands in front of the alternation, so the engine
    only tries the terms where a word begins (several times faster than a check inside every term). No capturing
    groups: they would cost the engine its fast paths (eight times slower); `which_term` finds the term afterwards."""
    patterns = [term_pattern(t) for t in terms if t.strip()]
    if not patterns:
        return None
    bodies = [p.removeprefix(_EDGE_START) for p in patterns]
    return re.compile(_EDGE_START + "(?:" + "|".join(bodies) + ")")


def compile_each(terms: Iterable[str]) -> tuple[re.Pattern[str] | None, ...]:
    """Every term on its own, in order (None for an empty one), to tell which term a match of the whole list was."""
    return tuple(re.compile(term_pattern(t)) if t.strip() else None for t in terms)


def which_term(each: Sequence[re.Pattern[str] | None], string: str, pos: int) -> int:
    """The index of the term whose match starts at `pos`: the alternation takes the first term that matches there,
    so the first one that matches on its own is the one (-1 if none, which cannot happen for a real match)."""
    for index, pattern in enumerate(each):
        if pattern is not None and pattern.match(string, pos):
            return index
    return -1


def _alternatives(part: str) -> list[str]:
    return [alt for alt in part.split("|") if alt.strip("*")]


def _alt_matches(alt: str, words: Sequence[str], at: int) -> int:
    """How many words from `at` the alternative covers (0: no match). `*` marks a prefix, suffix or infix."""
    core = alt.strip("*").split("_")
    if at + len(core) > len(words):
        return 0
    for k, piece in enumerate(core):
        word = words[at + k]
        first, last = k == 0, k == len(core) - 1
        if (first and alt.startswith("*")) and (last and alt.endswith("*")):
            ok = piece in word
        elif last and alt.endswith("*"):
            ok = word.startswith(piece) and (not (first and alt.startswith("*")))
        elif first and alt.startswith("*"):
            ok = word.endswith(piece)
        else:
            ok = word == piece
        if not ok:
            return 0
    return len(core)


def term_label(term: str, words: Sequence[str] = ()) -> str:
    """A lexicon term in plain words, for the reasons: for each part of the term the lexicon's own form that
    matched (or its first form), without the pattern syntax and without the words the resident put in between
    ("slaat|sloeg .. me|mij" on "sloeg hij mij" → "sloeg mij"; "*schimmel*" → "schimmel"). Only words the lexicon
    lists can appear: never the resident's own (issue #14, M4). A raw regex has no label ("")."""
    if term.startswith("re:"):
        return ""
    out = []
    at = 0
    for part in re.sub(r"['’\-]", " ", fold(term)).split():
        if part in _GAPS or (part.endswith("?") and len(part) > 1):
            continue
        alts = _alternatives(part)
        chosen = ""
        for j in range(at, len(words)):
            hit = next(((alt, n) for alt in alts if (n := _alt_matches(alt, words, j))), None)
            if hit is not None:
                chosen, at = hit[0], j + hit[1]
                break
        out.append((chosen or (alts[0] if alts else "")).strip("*").replace("_", " "))
    return " ".join(w for w in out if w)


@dataclass(frozen=True)
class _Compiled:
    rule: LexRule
    terms: re.Pattern[str]
    each: tuple[re.Pattern[str] | None, ...]
    suppress: re.Pattern[str] | None
    unless: re.Pattern[str] | None
    needs: re.Pattern[str] | None
    except_words: re.Pattern[str] | None


def _compile_rule(rule: LexRule) -> _Compiled:
    terms = compile_terms(rule.terms)
    if terms is None:
        raise ValueError(f"rule {rule.code} has no terms")
    return _Compiled(
        rule=rule,
        terms=terms,
        each=compile_each(rule.terms),
        suppress=compile_terms(rule.suppress),
        unless=compile_terms(rule.unless),
        needs=compile_terms(rule.needs),
        except_words=re.compile("|".join(rule.except_words)) if rule.except_words else None,
    )


_COMPILED: tuple[_Compiled, ...] = tuple(_compile_rule(r) for r in RULES)
_DEFUSE = compile_terms(DEFUSERS)
_RESOLVED = compile_terms(RESOLVED)
_RESOLVED_AGAIN = compile_terms(RESOLVED_AGAIN)
_NEGATORS = frozenset(NEGATORS)
_MODALS = frozenset(MODALS)
_POST_NEGATORS = frozenset({"niet", "nie", "nooit"})
_PRONOUNS = frozenset({"hij", "zij", "ze", "me", "mij", "hem", "haar", "ons", "er", "het", "je", "u", "jou", "mijn"})
_NOT_ONLY = frozenset({"alleen", "enkel", "slechts", "meer", "zomaar"})


@lru_cache(maxsize=256)
def _compile_extra(
    level: str, terms: tuple[str, ...]
) -> tuple[re.Pattern[str] | None, tuple[re.Pattern[str] | None, ...]]:
    """A neighbourhood's own words. Plain words match their inflections and compounds the way the built-ins do:
    "schuldbemiddelaar" also finds "schuldbemiddelaars"; a word of five letters or more is also found at the end of
    a Dutch compound ("schimmel" in "badkamerschimmel")."""
    patterns: list[str | None] = []
    for raw in terms:
        term = raw.strip()
        patterns.append(None)
        if not term or term.startswith("re:"):
            continue  # raw regexes stay a developer tool, never typed in a form
        parts = re.sub(r"['’\-]", " ", fold(term)).split()
        parts = [re.sub(r"[^a-z0-9*|?.]", "", p) for p in parts]
        parts = [p for p in parts if p.strip("*|?.")]
        if not parts:
            continue
        if all(c not in "".join(parts) for c in "*|"):
            last = parts[-1]
            if len(last) >= 3:
                parts[-1] = ("*" if len(last) >= 5 and len(parts) == 1 else "") + last + "*"
        try:
            patterns[-1] = term_pattern(" ".join(parts))
        except ValueError:
            continue
    found = [p for p in patterns if p is not None]
    each = tuple(re.compile(p) if p is not None else None for p in patterns)
    return (re.compile("|".join(found)) if found else None), each


# --- 3. Matching ----------------------------------------------------------------------------------------------


def _sentence_bounds(doc: _Doc, index: int) -> tuple[int, int]:
    """Character range of the sentence around token `index` in the token string."""
    lo = index
    while lo > 0 and doc.tokens[lo - 1] != SENTENCE:
        lo -= 1
    hi = index
    while hi < len(doc.tokens) - 1 and doc.tokens[hi + 1] != SENTENCE:
        hi += 1
    return doc.starts[lo], doc.starts[hi] + len(doc.tokens[hi])


def _clause_bounds(doc: _Doc, index: int) -> tuple[int, int]:
    """Character range of the clause around token `index`: up to a comma, "maar", "but", "mais" or a sentence end."""
    lo = index
    while lo > 0 and doc.tokens[lo - 1] not in (BREAK, SENTENCE):
        lo -= 1
    hi = index
    while hi < len(doc.tokens) - 1 and doc.tokens[hi + 1] not in (BREAK, SENTENCE):
        hi += 1
    return doc.starts[lo], doc.starts[hi] + len(doc.tokens[hi])


def _negated(doc: _Doc, first: int, last: int) -> bool:
    """Is the match (tokens first..last) cancelled by a negation just before it?"""
    if any(doc.tokens[i] in _NEGATORS for i in range(first, last + 1)):
        return False  # the negation is part of the term: "geen verwarming", "can not breathe"
    i = first - 1 if doc.tokens[first] not in _COMPLEMENTISERS else -1
    steps = 0
    while i >= 0 and steps < NEGATION_WINDOW:
        tok = doc.tokens[i]
        if tok in (BREAK, SENTENCE) or tok in _COMPLEMENTISERS:
            break
        if tok in _NEGATORS:
            # "ik kan niet meer …", "je ne peux plus …": the negation is about an ability, which is the signal.
            before = [doc.tokens[j] for j in range(max(0, i - MODAL_WINDOW), i)]
            return not any(b in _MODALS for b in before)
        i -= 1
        steps += 1
    # Dutch puts the negation after the verb and its pronouns: "hij slaat me niet", "bedreigt hij me niet".
    # Only pronouns may stand between ("de deurwaarder is nog niet gekomen" still counts), and "niet alleen",
    # "niet enkel" (not only) and "niet meer" (no longer: it did happen) do not cancel.
    j = last + 1
    while j < len(doc.tokens) and j - last <= POST_NEGATION_WINDOW + 1:
        tok = doc.tokens[j]
        if tok in _POST_NEGATORS:
            after = doc.tokens[j + 1] if j + 1 < len(doc.tokens) else ""
            return after not in _NOT_ONLY
        if tok not in _PRONOUNS:
            return False
        j += 1
    return False


def _taken_back(doc: _Doc, last: int, *, laughs: bool = False) -> bool:
    """Is the match (ending at token `last`) followed within JOKE_WINDOW tokens by a joke word that is not denied
    (or, with `laughs`, by laughter: "haha", "mdr", a laughing emoji)?"""
    for j in range(last + 1, min(len(doc.tokens), last + 1 + JOKE_WINDOW)):
        if laughs and doc.tokens[j] in LAUGHS:
            return True
        if doc.tokens[j] in _JOKES:
            before = doc.tokens[j - 1] if j > 0 else ""
            after = doc.tokens[j + 1] if j + 1 < len(doc.tokens) else ""
            return before not in _NEGATORS and before not in {"een", "a", "une", "un"} and after not in _NEGATORS
    return False


def _resolved(doc: _Doc, first: int) -> bool:
    """Is the need of the match at token `first` over (RESOLVED in its clause or the clause after it, not negated,
    and not back again)?"""
    lo, hi = _clause_bounds(doc, first)
    end = doc.token_at(hi - 1)
    if end + 2 < len(doc.tokens) and doc.tokens[end + 1] == BREAK:
        hi = _clause_bounds(doc, end + 2)[1]
    if _RESOLVED is None or (_RESOLVED_AGAIN is not None and _RESOLVED_AGAIN.search(doc.string, lo, hi)):
        return False
    for m in _RESOLVED.finditer(doc.string, lo, hi):
        at = doc.token_at(m.start())
        before = doc.tokens[max(0, at - NEGATION_WINDOW) : at]
        if not any(t in _NEGATORS for t in before):
            return True
    return False


def _context(pattern: re.Pattern[str] | None, sentence: str) -> bool:
    return pattern is not None and pattern.search(sentence) is not None


def _matches(
    doc: _Doc,
    pattern: re.Pattern[str],
    labels: Sequence[str],
    each: Sequence[re.Pattern[str] | None],
    *,
    negatable: bool = True,
    compiled: _Compiled | None = None,
) -> Iterable[str]:
    """The label of the term behind every match that survives negation and context checks: the lexicon's (or the
    neighbourhood's) words, never the resident's own (issue #14, M4). `labels` are the terms of `pattern`, by index:
    a rule's terms (turned into words by `term_label`) or a neighbourhood's terms as typed."""
    for m in pattern.finditer(doc.string):
        first = doc.token_at(m.start())
        last = doc.token_at(max(m.start(), m.end() - 1))
        words = doc.tokens[first : last + 1]
        if "~" in words:
            continue  # part of an everyday expression
        if compiled is not None:
            if compiled.except_words is not None and any(compiled.except_words.fullmatch(w) for w in words):
                continue
            lo, hi = _sentence_bounds(doc, first)
            sentence = doc.string[lo:hi]
            scope = doc.string if compiled.rule.needs_scope == "text" else sentence
            if compiled.needs is not None and not _context(compiled.needs, scope):
                continue
            # An everyday word excuses a term only in its own clause: "de brandweer haalde de kat uit de boom"
            # is light, "het brandt in de keuken, de kaars viel om" is not.
            lo, hi = _clause_bounds(doc, first)
            clause = doc.string[lo:hi]
            if _context(compiled.suppress, clause) and not _context(compiled.unless, clause):
                continue
            if compiled.rule.code in RESOLVABLE and _resolved(doc, first):
                continue
        if negatable and _negated(doc, first, last):
            continue
        if _taken_back(doc, last, laughs=compiled is not None and compiled.rule.code not in NOT_LAUGHED_OFF):
            continue
        index = which_term(each, doc.string, m.start())
        if 0 <= index < len(labels):
            yield labels[index] if compiled is None else term_label(labels[index], words)
        else:
            yield ""


def _defuse(doc: _Doc, extra_light: re.Pattern[str] | None) -> None:
    changed = False
    for pattern in (_DEFUSE, extra_light):
        if pattern is None:
            continue
        for m in pattern.finditer(doc.string):
            first = doc.token_at(m.start())
            last = doc.token_at(max(m.start(), m.end() - 1))
            for i in range(first, last + 1):
                if doc.tokens[i] not in (BREAK, SENTENCE):
                    doc.tokens[i] = "~"
                    changed = True
    if changed:
        doc.rebuild()


def _level_of(reasons: Sequence[Mapping[str, Any]]) -> Level:
    level: Level = "light"
    for r in reasons:
        lv = r.get("level")
        if lv in _RANK and _RANK[lv] > _RANK[level]:
            level = lv
    return level


def _extra_lists(extra_terms: Mapping[str, Any] | None) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    if not extra_terms:
        return out
    for level in ("light", "heavy", "crisis"):
        value = extra_terms.get(level) or ()
        if isinstance(value, str):
            value = value.splitlines()
        out[level] = tuple(str(v) for v in value if str(v).strip())
    return out


def lexicon_reasons(*, text: str, category: str, extra_terms: Mapping[str, Any] | None = None) -> list[Reason]:
    """Raiser 1: the rules that fire on the text, each `{"rule", "level", "term"}` with the lexicon's term."""
    extras = _extra_lists(extra_terms)
    doc = _tokenise(text or "")
    _defuse(doc, _compile_extra("light", extras.get("light", ()))[0])

    reasons: list[Reason] = []
    seen: set[tuple[str, str]] = set()
    per_rule: dict[str, int] = {}

    def add(reason: Reason) -> None:
        key = (str(reason.get("rule")), str(reason.get("term", "")).lower())
        if key in seen:
            return
        count_key = str(reason.get("rule"))
        if per_rule.get(count_key, 0) >= TERMS_PER_RULE:
            return
        seen.add(key)
        per_rule[count_key] = per_rule.get(count_key, 0) + 1
        reasons.append(reason)

    for compiled in _COMPILED:
        rule = compiled.rule
        if rule.only_categories and category not in rule.only_categories:
            continue
        if category in rule.skip_categories:
            continue
        for term in _matches(
            doc, compiled.terms, compiled.rule.terms, compiled.each, negatable=rule.negatable, compiled=compiled
        ):
            add(
                {"rule": rule.code, "level": rule.level, "term": term}
                if term
                else {"rule": rule.code, "level": rule.level}
            )

    for level in ("crisis", "heavy"):
        terms = extras.get(level, ())
        pattern, each = _compile_extra(level, terms)
        if pattern is None:
            continue
        # The neighbourhood's term as its coordinators typed it.
        for term in _matches(doc, pattern, [t.strip() for t in terms], each):
            add({"rule": "extra", "level": level, "term": term})
    return reasons


# --- Raiser 1 for other languages: the crisis words of `matching/lexicon/other_languages.py` -------------------------

_OTHER_FOLD = str.maketrans(
    {"ı": "i", "ى": "ي", "ی": "ي", "ک": "ك", "ة": "ه", "ۀ": "ه", "ـ": None, "\u200c": None, "\u200d": None}
)
_CYRILLIC_APOSTROPHE = re.compile(r"(?<=[\u0400-\u04ff])['’ʼ](?=[\u0400-\u04ff])")
_PERSIAN_MI = re.compile(r"(?<!\w)(ن?مي) (?=\w)")
_OTHER_WORD = re.compile(r"\w+")
_W = r"\w"


def fold_other(text: str) -> str:
    """A text in another language as the other-language terms read it: folded like the main lexicon (lower case,
    accents and Arabic vowel marks removed), Arabic and Persian letter variants made one, ZWNJ and the apostrophe
    inside Ukrainian words ("б'є") dropped, the Persian prefix "می" joined to its verb, only words, one space apart."""
    text = _CYRILLIC_APOSTROPHE.sub("", text)
    text = fold(text).translate(_OTHER_FOLD)
    return " ".join(_OTHER_WORD.findall(_PERSIAN_MI.sub(r"\1", text))).replace("_", " ")


def _other_alternative(alt: str, *, first: bool = False) -> str:
    """One alternative of a term part as a regular expression. A leading `*` lets the word start with anything;
    on a term's first word it lets the match start inside the word (no `\\w*` in front: that would make the engine
    try every position of the text)."""
    core = " ".join(fold_other(piece) for piece in alt.strip("*").split("_"))
    if not core.strip():
        raise ValueError(f"empty alternative in other-language term part {alt!r}")
    lead = "" if first else (f"{_W}*" if alt.startswith("*") else "")
    return lead + re.escape(core) + (f"{_W}*" if alt.endswith("*") else "")


def _other_body(term: str) -> tuple[str, bool]:
    """A term as a regular expression without its left word boundary, and whether it takes one (its first word
    has no leading `*`)."""
    parts = term.split()
    if not parts or parts[0] == "..":
        raise ValueError(f"a term must start with a word: {term!r}")
    first_alts = [a for a in parts[0].split("|") if a.strip("*")]
    free = [a.startswith("*") for a in first_alts]
    bounded = not any(free)
    out = ""
    for index, part in enumerate(parts):
        if part == "..":
            out += f"(?: {_W}+){{0,3}}"
            continue
        raw = [a for a in part.split("|") if a.strip("*")]
        if not raw:
            raise ValueError(f"empty part in other-language term {term!r}")
        alts = [_other_alternative(a, first=index == 0) for a in raw]
        if index == 0 and not bounded:
            # Some first words may start inside a word, others not: each alternative carries its own boundary.
            alts = [a if is_free else f"(?<!{_W}){a}" for a, is_free in zip(alts, free, strict=True)]
        out += (" " if out else "") + ("(?:" + "|".join(alts) + ")" if len(alts) > 1 else alts[0])
    return f"{out}(?!{_W})", bounded


def other_term_pattern(term: str) -> str:
    """One other-language term → a regular expression over `fold_other` text (syntax: the module docstring of
    `matching/lexicon/other_languages.py`)."""
    body, bounded = _other_body(term)
    return (f"(?<!{_W})" if bounded else "") + f"(?:{body})"


def _other_label(term: str, matched: str) -> str:
    """The lexicon's own words of a term, choosing per part the alternative that matched (never the resident's)."""
    words = matched.split()
    out = []
    for part in term.split():
        if part == "..":
            continue
        alts = [a for a in part.split("|") if a.strip("*")]
        chosen = next(
            (
                a
                for a in alts
                if any(
                    re.fullmatch(
                        f"{_W}*" * a.startswith("*") + _other_alternative(a), " ".join(words[i : i + a.count("_") + 1])
                    )
                    for i in range(len(words))
                )
            ),
            alts[0],
        )
        out.append(chosen.strip("*").replace("_", " "))
    return " ".join(out)


@dataclass(frozen=True)
class _OtherRule:
    code: str
    terms: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]  # the terms that start at a word boundary (one shared check), the others
    each: tuple[re.Pattern[str], ...]


def _compile_other() -> tuple[_OtherRule, ...]:
    by_code: dict[str, list[str]] = {}
    for concepts in OTHER_CRISIS.values():
        for code, terms in concepts.items():
            by_code.setdefault(code, []).extend(terms)
    rules = []
    for code, listed in by_code.items():
        bodies = [_other_body(t) for t in listed]
        bounded = [b for b, is_bounded in bodies if is_bounded]
        free = [b for b, is_bounded in bodies if not is_bounded]
        patterns = []
        if bounded:
            patterns.append(re.compile(f"(?<!{_W})(?:" + "|".join(bounded) + ")"))
        if free:
            patterns.append(re.compile("(?:" + "|".join(free) + ")"))
        rules.append(
            _OtherRule(
                code=code,
                terms=tuple(listed),
                patterns=tuple(patterns),
                each=tuple(re.compile(other_term_pattern(t)) for t in listed),
            )
        )
    return tuple(rules)


_OTHER_RULES = _compile_other()


def other_language_reasons(text: str) -> list[Reason]:
    """Crisis words in a text the language gate stopped: `{"rule", "level": "crisis", "term"}` with the lexicon's
    term, at most TERMS_PER_RULE per rule. Only called for such texts (see `rule_reasons`)."""
    folded = fold_other(text or "")
    reasons: list[Reason] = []
    for rule in _OTHER_RULES:
        terms: list[str] = []
        for pattern in rule.patterns:
            for m in pattern.finditer(folded):
                index = next((i for i, p in enumerate(rule.each) if p.match(folded, m.start())), -1)
                label = _other_label(rule.terms[index], m.group(0)) if index >= 0 else ""
                if label not in terms and len(terms) < TERMS_PER_RULE:
                    terms.append(label)
        reasons += [
            {"rule": rule.code, "level": "crisis", "term": t} if t else {"rule": rule.code, "level": "crisis"}
            for t in terms
        ]
    return reasons


# --- Raiser 4: the unclear gate ------------------------------------------------------------------------------------

# Words that say nothing about the need: a text made only of these (or of emoji and punctuation) cannot be judged.
_VAGUE = frozenset(
    (
        "a",
        "aan",
        "aide",
        "aider",
        "aidez",
        "aidez-moi",
        "alstublieft",
        "an",
        "and",
        "anybody",
        "anyone",
        "asap",
        "asjeblieft",
        "astublieft",
        "aub",
        "avec",
        "bedankt",
        "besoin",
        "bonjour",
        "bonsoir",
        "dag",
        "dank",
        "dankjewel",
        "danku",
        "de",
        "des",
        "direct",
        "dringend",
        "du",
        "een",
        "en",
        "et",
        "everyone",
        "for",
        "ge",
        "gij",
        "goedendag",
        "goeiedag",
        "hallo",
        "hello",
        "help",
        "helpe",
        "helpen",
        "het",
        "hey",
        "hi",
        "hoi",
        "hulp",
        "hulpje",
        "i",
        "iedereen",
        "iemand",
        "ik",
        "j",
        "ja",
        "je",
        "jij",
        "la",
        "le",
        "les",
        "m",
        "maintenant",
        "me",
        "merci",
        "met",
        "meteen",
        "mij",
        "moi",
        "nee",
        "need",
        "needed",
        "needing",
        "niemand",
        "no",
        "nodig",
        "non",
        "nood",
        "noodgeval",
        "nous",
        "now",
        "nu",
        "of",
        "ok",
        "okay",
        "oke",
        "or",
        "ou",
        "oui",
        "personne",
        "please",
        "pls",
        "plse",
        "plz",
        "pour",
        "probleem",
        "problem",
        "probleme",
        "quelqu",
        "quelqu'un",
        "quelquun",
        "question",
        "quick",
        "quickly",
        "salut",
        "snel",
        "somebody",
        "someone",
        "sos",
        "stp",
        "svp",
        "thank",
        "thanks",
        "the",
        "thx",
        "to",
        "u",
        "un",
        "une",
        "urgent",
        "urgentie",
        "vite",
        "voor",
        "vous",
        "vraag",
        "vraagje",
        "we",
        "wij",
        "with",
        "yes",
        "you",
    )
)
# Asking only to be called, without saying what for ("kan iemand mij bellen aub", "could someone call me"), is as
# vague as "help": a coordinator calls back.
_VAGUE |= frozenset(
    (
        "kan",
        "kunt",
        "kunnen",
        "zou",
        "wil",
        "graag",
        "even",
        "eens",
        "mag",
        "bellen",
        "bel",
        "belt",
        "opbellen",
        "terugbellen",
        "terug",
        "contact",
        "contacteren",
        "opnemen",
        "can",
        "could",
        "would",
        "call",
        "ring",
        "phone",
        "back",
        "pouvez",
        "pourriez",
        "peut",
        "pourrait",
        "appeler",
        "appelez",
        "appelle",
        "rappeler",
        "rappelez",
        "contacter",
        "moi",
    )
)
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)


def count_words(text: str) -> int:
    return len(_WORD_RE.findall(text or ""))


def is_unclear(text: str) -> bool:
    """Too short or too vague to judge: no words at all (empty, emoji, punctuation), a single word ("help", "SOS",
    "mama"), or only words that carry no need ("hulp nodig aub", "please help me")."""
    words = [fold(w) for w in _WORD_RE.findall(text or "")]
    if len(words) <= 1:
        return True
    return all(w in _VAGUE or w.isdigit() for w in words)


def rule_reasons(
    *,
    text: str,
    category: str,
    sensitive_topic: bool = False,
    extra_terms: Mapping[str, Any] | None = None,
    vocabulary: Vocabulary | None = None,
) -> list[Reason]:
    """Raisers 1, 3 and 4 (everything but the learned model): the lexicon, the requester's own answer, the unclear
    gate and the language gate; on a text the gate stopped, the other-language crisis words. `vocabulary` is the
    language gate's (the loaded model's unless given: training gives each fold its own)."""
    reasons = lexicon_reasons(text=text, category=category, extra_terms=extra_terms)
    if sensitive_topic:
        reasons.append({"rule": "sensitive_topic", "level": "heavy"})
    if is_unclear(text):
        reasons.append({"rule": "unclear", "level": "heavy"})
    else:
        detected = detect_language(text, vocabulary if vocabulary is not None else classifier.model().vocabulary)
        if not detected.read:
            reasons.append({"rule": "language", "level": "heavy", "lang": detected.lang})
            reasons += other_language_reasons(text)
    return reasons


# Below this many words the model's crisis threshold does not apply (only its heavy one): a few words give it too
# little to read ("Bread and milk, please." scores P(crisis) 0.41, like a request for food after days without), and
# the corpus has few short texts to learn from. Short explicit crises ("papa ademt niet meer") are the lexicon's.
MODEL_CRISIS_MIN_WORDS = 6


def model_reasons(
    prediction: classifier.Prediction,
    thresholds: classifier.Thresholds,
    *,
    words: int = MODEL_CRISIS_MIN_WORDS,
    other_language: bool = False,
) -> list[Reason]:
    """Raiser 2: the learned safety net, crisis above its own threshold (for a text of at least
    MODEL_CRISIS_MIN_WORDS words; for a text the language gate stopped, the other-language crisis threshold), else
    heavy above the heavy threshold, or (a text of at least MODEL_CRISIS_MIN_WORDS words) when its crisis score is
    above the keep threshold: a crisis-like score never lets a request go to neighbours."""
    crisis = thresholds.other if other_language else thresholds.crisis
    long_enough = words >= MODEL_CRISIS_MIN_WORDS
    if prediction.crisis >= crisis and long_enough:
        return [{"rule": "model", "level": "crisis", "score": round(prediction.crisis, 2)}]
    if prediction.not_light >= thresholds.heavy or (long_enough and prediction.crisis >= thresholds.keep):
        return [{"rule": "model", "level": "heavy", "score": round(prediction.not_light, 2)}]
    return []


def decide(reasons: list[Reason], *, urgent: bool = False) -> TriageResult:
    """The level is the highest any raiser gave; light only when none raised."""
    # Crisis reasons first, then heavy: the coordinator reads the most serious one first.
    reasons = sorted(reasons, key=lambda r: -_RANK.get(r.get("level", "light"), 0))
    level = _level_of(reasons)
    priority = PRIORITY[level] + (1 if urgent and level != "light" else 0)
    return TriageResult(level=level, reasons=reasons, priority=priority)


def triage(
    *,
    text: str,
    category: str,
    sensitive_topic: bool = False,
    urgent: bool = False,
    extra_terms: dict[str, list[str]] | None = None,
) -> TriageResult:
    """Decide the level of a request: "light" (neighbours may be asked), "heavy" (a coordinator refers on) or
    "crisis" (a coordinator now; the resident sees the emergency numbers).

    Light is what nothing raises (DESIGN §4.1). Four raisers read every request, and each one that raises adds its
    reason:

    1. the lexicon (its level stands) and the requester's own answer "it is about health, housing, money or safety";
    2. the learned safety net (`matching.classifier`): heavy above its threshold, crisis above its own;
    3. the language gate (`matching.language`): a text not in Dutch, French or English goes to a coordinator first;
    4. the unclear gate: a text too short or too vague to judge goes to a coordinator.

    `extra_terms` are a neighbourhood's own words: {"heavy": [...], "crisis": [...]} add signals, {"light": [...]}
    lists local expressions that sound heavy but are not. Pure: no database, no settings, no network; never raises
    for any text."""
    text = text or ""
    reasons = rule_reasons(text=text, category=category, sensitive_topic=sensitive_topic, extra_terms=extra_terms)
    if not any(r["rule"] == "unclear" for r in reasons):
        # A text too short to judge gives the model nothing to read: its score would be its prior.
        net = classifier.model()
        reasons += model_reasons(
            net.predict(text),
            net.thresholds,
            words=count_words(text),
            other_language=any(r["rule"] == "language" for r in reasons),
        )
    return decide(reasons, urgent=urgent)


# --- History ---------------------------------------------------------------------------------------------------


def history_reasons(*, requests_last_14_days: int, marked_for_follow_up: bool) -> list[Reason]:
    """Signals for a "check-in" item in the coordinator queue: five or more requests in 14 days, or a resident a
    coordinator marked for follow-up. They never change the level of a request.

    Pure: the request workflow counts the requests (`burenhulp.helprequests.selectors.requests_since`)."""
    count = int(requests_last_14_days or 0)
    reasons: list[Reason] = []
    if count >= CHECK_IN_REQUESTS:
        reasons.append({"rule": "check_in", "signal": "many_requests", "count": count, "days": CHECK_IN_DAYS})
    if marked_for_follow_up:
        reasons.append({"rule": "check_in", "signal": "marked_for_follow_up"})
    return reasons


# --- Words for the coordinator ---------------------------------------------------------------------------------

RULE_LABELS = {
    "suicide": gettext_lazy("Thoughts of suicide or of not wanting to live"),
    "self_harm": gettext_lazy("Self-harm"),
    "violence": gettext_lazy("Violence, threats or abuse"),
    "medical_emergency": gettext_lazy("A medical emergency or danger at home"),
    "personal_care": gettext_lazy("Personal or nursing care (washing, dressing, toilet, wounds)"),
    "medication": gettext_lazy("Giving or managing medication"),
    "supervision": gettext_lazy("Needs care or supervision (dementia, confusion, end of life)"),
    "housing": gettext_lazy("Housing defect (mould, damp, no heating, leaks, unsafe electricity)"),
    "eviction": gettext_lazy("Losing their home or eviction"),
    "debt": gettext_lazy("Money trouble or debt"),
    "poverty": gettext_lazy("Not enough money or food"),
    "poverty_crisis": gettext_lazy("No food for days"),
    "benefits": gettext_lazy("Benefits or social services (OCMW/CPAS, allowances, health insurance fund)"),
    "legal": gettext_lazy("Legal trouble (lawyer, court, police, residence papers)"),
    "addiction": gettext_lazy("Addiction (alcohol, drugs, gambling)"),
    "distress": gettext_lazy("Psychological distress or depression"),
    "loneliness": gettext_lazy("Serious loneliness or isolation"),
    "extra": gettext_lazy("A word this neighbourhood added to the list"),
    "sensitive_topic": gettext_lazy("The requester said it is about health, housing, money or safety"),
}


def describe_reason(reason: Mapping[str, Any] | str) -> str:
    """One reason in words, in the active language. Old reasons stored as plain text are shown as they are."""
    if isinstance(reason, str):
        return reason
    rule = str(reason.get("rule", ""))
    if rule == "check_in":
        if reason.get("signal") == "marked_for_follow_up":
            return gettext("A coordinator marked this resident for follow-up")
        return gettext("%(count)s requests in the last %(days)s days: time to check in") % {
            "count": reason.get("count", CHECK_IN_REQUESTS),
            "days": reason.get("days", CHECK_IN_DAYS),
        }
    if rule == "model":
        if reason.get("level") == "crisis":
            return gettext("Reads like requests in danger: a coordinator now, the resident sees the help lines")
        return gettext("Reads like requests that need a coordinator")
    if rule == "language":
        code = str(reason.get("lang") or UNKNOWN_LANGUAGE)
        name = language_name(code) if code != UNKNOWN_LANGUAGE else ""
        if not name or name == code:
            return gettext("Written in a language we could not recognise: a coordinator reads it first")
        return gettext("Written in %(language)s: a coordinator reads it first") % {"language": name}
    if rule == "unclear":
        return gettext("Too short or too vague to judge: a coordinator looks first")
    label = str(RULE_LABELS.get(rule, rule.replace("_", " ")))
    term = reason.get("term")
    if rule == "extra" and term:
        return gettext('A word this neighbourhood added for "%(level)s" ("%(term)s")') % {
            "level": level_words(str(reason.get("level", "heavy"))),
            "term": term,
        }
    if term:
        return gettext('%(label)s ("%(term)s")') % {"label": label, "term": term}
    return label


def describe_reasons(reasons: Iterable[Mapping[str, Any] | str]) -> list[str]:
    """The reasons of a triage result (or a stored list of them) in words, in the active language."""
    return [describe_reason(r) for r in reasons or ()]


def level_words(level: str) -> str:
    return {
        "light": gettext("light: neighbours may help"),
        "heavy": gettext("heavy: a coordinator looks first"),
        "crisis": gettext("crisis: a coordinator now"),
    }.get(level, level)
