"""The language gate of triage (DESIGN §4.1, raiser 3): a request that is not confidently in a language the lexicon
reads goes to a coordinator first, never to neighbours unread.

Two readers decide together:

1. CLD2 (`pycld2`), which carries its model inside the extension: nothing to download or load, about 0.03 ms per
   request. It was measured against lingua-language-detector on the team's labelled requests (see docs/triage.md and
   `python -m bench triage --detectors`): both read Dutch, Flemish, French and English requests almost always right,
   but where CLD2 answers "unknown" for Darija or Tamazight written in Latin letters (so the gate holds), lingua names
   its nearest language, often French (so the request would pass unread), and lingua needs 14 s and about a gigabyte
   to load every language, or several milliseconds per request.
2. A vocabulary check (`Vocabulary`), for what CLD2 cannot place: dialect ("'k hè gin oto", "wie goa der e kier
   mee"), Limburgish, and very short requests ("boormachine te leen iemand?"). `manage.py triage_train` builds it from
   the labelled corpus: the words of the Dutch, French and English requests, the lexicon's words and `DIALECT_WORDS`,
   minus every word that also occurs in a request in another language (Darija and Tamazight in Latin letters share
   "l", "ma", "salam", "rendez-vous" with French and Dutch; such a word counts for neither side). A text CLD2 is not
   sure of passes when enough of its words are read-language words and few are other-language words
   (`Vocabulary.reads`); everything else still goes to a coordinator.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import pycld2

# The languages the lexicon and the corpus read. CLD2 sometimes names short Flemish or West Flemish texts Afrikaans
# or Frisian ("Er komt rook onder de deur uit!!" → af): in a Flemish neighbourhood that is Dutch.
READ_LANGUAGES = frozenset({"nl", "fr", "en"})
_AS_DUTCH = frozenset({"af", "fy"})
UNKNOWN = "un"
# CLD2 names a few languages by other codes than ISO 639-1 (Norwegian "nb", Hebrew "iw", …) and some by a code with
# a script ("zh-Hant"); keep the two-letter part, map the old ones.
_CODE_FIXES = {"iw": "he", "jw": "jv", "nb": "no", "xxx": UNKNOWN}

# The vocabulary check: a text CLD2 is not sure of, or one of at most SHORT_WORDS words, passes when at least
# MIN_READ_WORDS of its words and READ_SHARE of all its words are read-language words, and other-language words are
# at most OTHER_RATIO of the read-language ones. Chosen on the corpus with each writer's words left out of the
# vocabulary that judged them (docs/triage.md, "The language gate").
SHORT_WORDS = 6
WORD_RATIO = 4.0
MIN_READ_WORDS = 2
READ_SHARE = 0.3
OTHER_RATIO = 0.5


# Flemish dialect, tussentaal and SMS forms, and French and English SMS forms, that a corpus of a few thousand
# requests may not hold yet: function words, pronouns, common verbs and adverbs as people write them. Only words
# that never occur in a request in another language count (see the module docstring).
def _word_list(text: str) -> frozenset[str]:
    return frozenset(text.split())


DIALECT_WORDS: frozenset[str] = _word_list(
    """
    k kik ik ikke 'k ge gij gijle gulle gullie gulder ulder ulle zulle zullie zij zie ze hij em hem hum heur haar
    mijn mijne mijnen min mn m'n ons onze onzen uwen uw u ulder hunne hulder zijne zijn zen zyn
    da dat dadde dak dakik dagge dazze dattem datte wa wat wadde wattem wuk welk waar woar wor weur wanneer wanneir
    nie ni nii niet nied nikske niks nix niets nieverans nergens gin gien gene genen geen ginne geene
    iemand iemant ieman iemes iemens ieverans ergens niemand niemant nimmand
    e een ne nen ene eene 'n den de der t 't het et tis teis tes 's s
    ier hier doa daar dor dur doar vandoag vandaag vanavond vanmiddag vanmorgen seffens sebiet straks direct
    moa ma mo maar mor mè mee me mèt mèè mie mi mit met bie bij nor noar nao naar no van vant vo voor vor
    were weer wer kier keer kee keir keren olle alle allemoal allemaal ollemoal olles alles
    goa goan goat gaan gaat gade gedde gaade zijde zidde zit zitte zitten zin zen zijn zyn es is
    kan kunde kunt kunne kunnen kost koste kon kosse zoude zoudde zou zouden moet moete moeten moette mag moog
    wilt wilde wil wille willen wou woude wieste weet wete weten weette
    heb hebbe hebt hedde hebde he hè hei eit heeft het ad ade had hadde hadden
    krijg krijge krijgt kreeg kregen geef geeft geve gegeven doe doet doen dee deed gedoan gedaan
    zelve zelf zelfs zeker zekers toch tog ook ok oek nog nogal nu nou allee awel amai ewa ewel
    goe goed goei goeie goeien schoon slecht kleen klein klenen grote groot
    samen tegoare tegoaren mekaar malkaar mekoar
    wiene wien wie wiedat wiedadde wieda
    aub asap asjeblief astublief alstublieft bedankt merci mercikes dank dankuwel dankjewel
    stp svp slt bjr bsr qqn qq pr pk pq tkt jsp chui chuis jpeux jveux jsuis bcp mdr ptdr dsl
    pls plz plse thx tnx ty u ur r cuz cos coz wanna gonna gotta lemme dunno anyone anybody someone somebody
    tmrw tmr tmrow tomoz 2moro 2morrow 2day 2nite tonite sb sm1 some1 any1 ne1 wiv btw asap cheers
    qq1 qqun kelkun dem1 2m1 ojd auj tt tjs vrmt stv cc bjr bsr
    morge morgen vandoag zaterdag zoaterdag zondag zundag vrijdag vriedag efkes effe efjes ff ajuu salut
    """
)

# Common words of Moroccan Darija and Tamazight written in Latin letters (and of a few other languages written in
# them), which a corpus may not hold in every spelling: they count as other-language words.
OTHER_WORDS: frozenset[str] = _word_list(
    """
    dyal dyali dyalha dyalo dyalna diali dial chi chwiya shwiya wahed wa7ed wahd wahda bghit bghina bgha bghat
    ana nta nti howa hiya huwa hna homa hadi hada had dak dik daba dba walo walou kayn kayna makaynch kaynin
    lyoum lyom ghda ghedda mli mnin fin fayn kifach kifash chno chnou chkoun shkoun wach wesh ghir m3a b7al safi
    temma lik liya lina lihom 3ndi 3andi 3ndna ndir ndiro nqder n9der y9der ykhrej khouya khoya khti khouti mmi
    bba drari lwlad lwald salam slm choukran chokran baraka llah inchallah nchallah bzaf bezzaf mzyan mezyan
    zwin zwina ghadi ghay gha kan kant kano kayen mazal ba9i baqi bach bech 3la 3lik 3lih 3liha
    azul tanmirt yiwen yiwet ca necc nec kecc kemm netta nettat nekni kenwi yemma uxxam axxam ighil aman
    xsegh bghigh zemregh izemmer tezmer ittegh ur ara ad d ar zeg zi ghar ghur deg seg acu amek ani melmi
    """
)

_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
_LETTERS_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
# Arabic written in Latin letters uses digits for the sounds Latin has no letter for: 3 (ع), 7 (ح), 9 (ق), 2, 5, 6,
# 8 ("3afak", "wa7ed", "y9der", "m3a"). Such a word counts as an other-language word; ordinals and units ("3de",
# "5eme", "2nd", "7u", "5kg") do not.
_ARABIZI_RE = re.compile(r"[a-z0-9]*(?:[a-z][235679][a-z]|(?<![a-z0-9])[235679][a-z]{2})[a-z0-9]*")
_NOT_ARABIZI = re.compile(
    r"\d+(?:de|ste|e|eme|ieme|er|re|nd|rd|th|st|u|h|hr|hrs|uur|kg|g|km|m|cm|mm|min|x|j|jr|ans|jaar|pm|am|l|cl|ml|"
    r"euro|eur|ct|p|pc|a|b|c|d|v|w)\d*"
)


def vocabulary_words(text: str) -> list[str]:
    """The words of a text as the vocabulary check reads them: lower case, accents removed, letters only; a word
    of Arabic in Latin letters ("3afak", "wa7ed") stays whole, digits and all."""
    text = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    words: list[str] = []
    for token in _WORD_RE.findall(text):
        if token.isalpha() or (_ARABIZI_RE.fullmatch(token) and not _NOT_ARABIZI.fullmatch(token)):
            words.append(token)
        else:
            words += _LETTERS_RE.findall(token)
    return words


def is_arabizi(word: str) -> bool:
    return not word.isalpha()


@dataclass(frozen=True)
class Vocabulary:
    """Words that tell a request in Dutch, French or English (`read`) from one in another language (`other`)."""

    read: frozenset[str]
    other: frozenset[str]

    @classmethod
    def build(
        cls, labelled: Iterable[tuple[str, str]], extra_read: Iterable[str] = (), extra_other: Iterable[str] = ()
    ) -> Vocabulary:
        """From (lang, text) pairs: a word is a read-language word when the share of Dutch, French, English and
        mixed texts that hold it is at least WORD_RATIO times the share of texts in other languages that hold it,
        an other-language word the other way round, and neither when the shares are closer ("de" is Dutch, French
        and Spanish). `extra_read` (the lexicon's words, DIALECT_WORDS) and `extra_other` (OTHER_WORDS) count as
        one text more on their side."""
        read: Counter[str] = Counter()
        other: Counter[str] = Counter()
        n_read = n_other = 0
        for lang, text in labelled:
            words = set(vocabulary_words(text))
            if lang in READ_LANGUAGES or lang == "mixed":
                read.update(words)
                n_read += 1
            else:
                other.update(words)
                n_other += 1
        for word in {w for extra in extra_read for w in vocabulary_words(extra)}:
            read[word] += 1
        for word in {w for extra in extra_other for w in vocabulary_words(extra)}:
            other[word] += 1
        n_read, n_other = n_read + 1, n_other + 1
        read_words, other_words = set(), set()
        for word in set(read) | set(other):
            in_read, in_other = read[word] / n_read, other[word] / n_other
            if in_read >= WORD_RATIO * in_other:
                read_words.add(word)
            elif in_other >= WORD_RATIO * in_read:
                other_words.add(word)
        return cls(read=frozenset(read_words), other=frozenset(other_words))

    def counts(self, text: str) -> tuple[int, int, int]:
        """(words, read-language words, other-language words) in the text; a word of Arabic in Latin letters is an
        other-language word even when the vocabulary never saw it."""
        words = vocabulary_words(text)
        read = sum(w in self.read for w in words)
        other = sum(w in self.other or is_arabizi(w) for w in words)
        return len(words), read, other

    def reads(self, text: str) -> bool:
        """Does the text read as Dutch, French or English by its words?"""
        n, read, other = self.counts(text)
        return read >= MIN_READ_WORDS and read >= READ_SHARE * n and other <= OTHER_RATIO * read


EMPTY_VOCABULARY = Vocabulary(read=frozenset(), other=frozenset())


@dataclass(frozen=True)
class Detection:
    lang: str  # ISO 639 code of the main language, or "un" when no language was recognised
    reliable: bool
    percent: int  # share of the text in the main language, as CLD2 reports it
    by_words: bool = False  # CLD2 was not sure, the vocabulary check read it

    @property
    def read(self) -> bool:
        """Is this a language the lexicon reads?"""
        return self.by_words or self.lang in READ_LANGUAGES


def _cld2(text: str) -> Detection:
    clean = "".join(c for c in text if c.isprintable() or c in "\n\t")
    clean = clean.encode("utf-8", "ignore").decode("utf-8", "ignore")
    try:
        reliable, _bytes, details = pycld2.detect(clean)
    except pycld2.error:
        return Detection(UNKNOWN, False, 0)
    _name, code, percent, _score = details[0]
    code = _CODE_FIXES.get(code, code).split("-")[0].lower()
    code = "nl" if code in _AS_DUTCH else code
    return Detection(code or UNKNOWN, bool(reliable), int(percent))


def detect(text: str, vocabulary: Vocabulary | None = None) -> Detection:
    """The main language of a text. When CLD2 is not sure (or the text is short) and names no language the lexicon
    reads, the vocabulary check may still read it (`Detection.by_words`). Never raises: text CLD2 cannot take (lone
    surrogates, control bytes) is cleaned first, and what it still refuses is "unknown"."""
    found = _cld2(text)
    if found.read or vocabulary is None:
        return found
    if (not found.reliable or len(vocabulary_words(text)) <= SHORT_WORDS) and vocabulary.reads(text):
        return Detection(found.lang, found.reliable, found.percent, by_words=True)
    return found
