"""The learned safety net of triage (DESIGN §4.1, raiser 2): a small text classifier that reads wording the lexicon
was never written for.

Character n-grams (2–5, inside word boundaries: they survive typos, dialect spellings and Dutch compounds) and word
uni- and bigrams are hashed into a fixed number of columns (no vocabulary to store), weighted by idf and fed to a
multinomial logistic regression over light / heavy / crisis. `manage.py triage_train` fits it on the labelled corpus in
`matching/data/` and writes `matching/data/triage-model.npz`: only numbers (the columns that occur in the corpus, their
idf and weights, the thresholds), read back with `allow_pickle=False`, so a model file can never run code.

Prediction is a pure function of the text and the file: no network, no randomness. The model is loaded once per
process (`matching.apps.MatchingConfig.ready`); a missing or unreadable file stops start-up with a message that names
the training command.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from matching.language import EMPTY_VOCABULARY, Vocabulary

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_MODEL_PATH = DATA_DIR / "triage-model.npz"
TRAIN_COMMAND = "python manage.py triage_train"

# Bump when the features change: a model trained for other features is refused, never silently misread.
# 2: the file also holds the language gate's vocabulary and a crisis threshold for other languages.
FEATURE_VERSION = 2
N_FEATURES = 2**20
CLASSES: tuple[str, ...] = ("light", "heavy", "crisis")


class ModelError(RuntimeError):
    """The model file is missing, unreadable or made for other features."""


def _fold(text: str) -> str:
    """Lower case, accents removed, digits kept, runs of spaces collapsed: the same text for every spelling. Lone
    surrogates (which no encoder takes) are dropped."""
    text = text.encode("utf-8", "ignore").decode("utf-8")
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip()


_CHARS = HashingVectorizer(
    analyzer="char_wb",
    ngram_range=(2, 5),
    n_features=N_FEATURES,
    alternate_sign=False,
    norm=None,
    preprocessor=_fold,
    dtype=np.float32,
)
_WORDS = HashingVectorizer(
    analyzer="word",
    ngram_range=(1, 2),
    n_features=N_FEATURES,
    alternate_sign=False,
    norm=None,
    preprocessor=_fold,
    token_pattern=r"(?u)\b\w+\b",  # noqa: S106 - a regular expression, not a password
    dtype=np.float32,
)


def features(texts: Sequence[str]) -> sparse.csr_matrix:
    """Raw n-gram counts, log-scaled (a word said three times is not three times the signal)."""
    counts = sparse.hstack([_CHARS.transform(texts), _WORDS.transform(texts)], format="csr")
    counts.data = 1.0 + np.log(counts.data)
    return counts


@dataclass(frozen=True)
class Thresholds:
    """Above `heavy` (P(heavy) + P(crisis)) a request goes to a coordinator; above `crisis` (P(crisis)) it is a
    crisis; a request the language gate stopped (another language) is a crisis above `crisis_other`, or above
    `crisis` when that is not set. Chosen by `triage_train` on predictions for writers the model did not see (see
    docs/triage.md)."""

    heavy: float
    crisis: float
    crisis_other: float | None = None
    # Round 3: above `crisis_keep` (P(crisis)) a request of at least MODEL_CRISIS_MIN_WORDS words is kept from
    # neighbours (heavy) even when P(heavy) + P(crisis) stays under `heavy`: a crisis-like score below the crisis
    # threshold never sends a request to neighbours. Not set: no such rule (a file of round 2).
    crisis_keep: float | None = None

    @property
    def other(self) -> float:
        return self.crisis if self.crisis_other is None else self.crisis_other

    @property
    def keep(self) -> float:
        return 1.0 + 1e-9 if self.crisis_keep is None else self.crisis_keep


@dataclass(frozen=True)
class Prediction:
    light: float
    heavy: float
    crisis: float

    @property
    def not_light(self) -> float:
        return self.heavy + self.crisis


class Model:
    """A trained classifier: sparse idf and weights over the hashed columns seen in training."""

    def __init__(
        self,
        *,
        columns: np.ndarray,
        idf: np.ndarray,
        coef: np.ndarray,
        intercept: np.ndarray,
        thresholds: Thresholds,
        meta: dict[str, Any],
        vocabulary: Vocabulary = EMPTY_VOCABULARY,
    ) -> None:
        self.vocabulary = vocabulary
        self.columns = columns.astype(np.int64)
        self.idf = idf.astype(np.float32)
        self.coef = coef.astype(np.float32)  # (len(columns), 3)
        self.intercept = intercept.astype(np.float32)
        self.thresholds = thresholds
        self.meta = meta
        total = 2 * N_FEATURES
        # Column index → row in `coef`, or -1 for a column never seen in training (it adds nothing).
        self._row = np.full(total, -1, dtype=np.int32)
        self._row[self.columns] = np.arange(len(self.columns), dtype=np.int32)

    def predict_many(self, texts: Sequence[str]) -> list[Prediction]:
        x = features([t or "" for t in texts])
        out = []
        for i in range(x.shape[0]):
            start, end = x.indptr[i], x.indptr[i + 1]
            rows = self._row[x.indices[start:end]]
            known = rows >= 0
            values = x.data[start:end][known] * self.idf[rows[known]]
            norm = float(np.sqrt(np.dot(values, values)))
            scores = self.intercept.copy()
            if norm > 0:
                scores += (values / norm) @ self.coef[rows[known]]
            scores -= scores.max()
            probs = np.exp(scores)
            probs /= probs.sum()
            out.append(Prediction(light=float(probs[0]), heavy=float(probs[1]), crisis=float(probs[2])))
        return out

    def predict(self, text: str) -> Prediction:
        return self.predict_many([text])[0]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = dict(self.meta, feature_version=FEATURE_VERSION, classes=list(CLASSES))
        meta["thresholds"] = {
            "heavy": self.thresholds.heavy,
            "crisis": self.thresholds.crisis,
            "crisis_other": self.thresholds.other,
        }
        if self.thresholds.crisis_keep is not None:
            meta["thresholds"]["crisis_keep"] = self.thresholds.crisis_keep
        with path.open("wb") as fh:
            np.savez_compressed(
                fh,
                columns=self.columns.astype(np.int32),
                idf=self.idf,
                coef=self.coef,
                intercept=self.intercept,
                meta=_text_array(json.dumps(meta, sort_keys=True)),
                read_words=_text_array("\n".join(sorted(self.vocabulary.read))),
                other_words=_text_array("\n".join(sorted(self.vocabulary.other))),
            )


def _text_array(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def _words(array: np.ndarray) -> frozenset[str]:
    text = array.tobytes().decode("utf-8")
    return frozenset(text.split("\n")) if text else frozenset()


def load_model(path: Path | None = None) -> Model:
    """Read a model file, checking everything a wrong file could get wrong; ModelError names the training command."""
    path = path or DEFAULT_MODEL_PATH
    hint = f"Train it with `{TRAIN_COMMAND}` (see docs/triage.md)."
    if not path.is_file():
        raise ModelError(f"The triage model {path} is missing. {hint}")
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
        meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
        if meta.get("feature_version") != FEATURE_VERSION or tuple(meta.get("classes", ())) != CLASSES:
            raise ModelError(f"The triage model {path} was made for other features. {hint}")
        given = meta["thresholds"]
        keep = given.get("crisis_keep")
        thresholds = Thresholds(
            heavy=float(given["heavy"]),
            crisis=float(given["crisis"]),
            crisis_other=float(given["crisis_other"]),
            crisis_keep=None if keep is None else float(keep),
        )
        vocabulary = Vocabulary(read=_words(arrays["read_words"]), other=_words(arrays["other_words"]))
        missing = sorted({"columns", "idf", "coef", "intercept"} - set(arrays))
        if missing:
            raise KeyError(", ".join(missing))
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError, EOFError) as exc:
        raise ModelError(f"The triage model {path} cannot be read ({exc.__class__.__name__}: {exc}). {hint}") from exc
    columns, coef = arrays["columns"], arrays["coef"]
    if (
        columns.ndim != 1
        or coef.shape != (len(columns), len(CLASSES))
        or arrays["idf"].shape != columns.shape
        or arrays["intercept"].shape != (len(CLASSES),)
        or (len(columns) and (columns.min() < 0 or columns.max() >= 2 * N_FEATURES))
        or not (0 < thresholds.heavy < 1 and 0 < thresholds.crisis < 1 and 0 < thresholds.other < 1)
        or not (thresholds.crisis_keep is None or 0 < thresholds.crisis_keep < 1)
        or not vocabulary.read
        or not all(np.isfinite(a).all() for a in (arrays["idf"], coef, arrays["intercept"]))
    ):
        raise ModelError(f"The triage model {path} is damaged (its arrays do not fit together). {hint}")
    return Model(
        columns=columns,
        idf=arrays["idf"],
        coef=coef,
        intercept=arrays["intercept"],
        thresholds=thresholds,
        meta=meta,
        vocabulary=vocabulary,
    )


# --- Training (used by `manage.py triage_train` and the threshold cross-validation) ----------------------------------


def fit(
    texts: Sequence[str],
    levels: Sequence[str],
    *,
    thresholds: Thresholds,
    c: float = 4.0,
    meta: dict[str, Any],
    vocabulary: Vocabulary = EMPTY_VOCABULARY,
) -> Model:
    """Fit the model on labelled texts. Deterministic: the same texts in the same order give the same numbers."""
    from sklearn.linear_model import LogisticRegression

    x = features(texts)
    y = np.array([CLASSES.index(level) for level in levels])
    columns = np.unique(x.indices)
    x = x[:, columns]
    # Smoothed idf, as scikit-learn's TfidfTransformer: rare n-grams weigh more.
    df = np.bincount(x.indices, minlength=len(columns))
    idf = (np.log((1 + x.shape[0]) / (1 + df)) + 1.0).astype(np.float32)
    x = sparse.csr_matrix(x.multiply(idf[np.newaxis, :]))
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1))).ravel()
    norms[norms == 0] = 1.0
    x = sparse.csr_matrix(x.multiply(1.0 / norms[:, np.newaxis]))
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=3000, solver="lbfgs", tol=1e-6)
    clf.fit(x, y)
    if tuple(clf.classes_) != (0, 1, 2):
        raise ValueError("the corpus needs light, heavy and crisis examples")
    return Model(
        columns=columns,
        idf=idf,
        coef=clf.coef_.T.copy(),
        intercept=clf.intercept_.copy(),
        thresholds=thresholds,
        meta=meta,
        vocabulary=vocabulary,
    )


def corpus_digest(rows: Sequence[dict[str, Any]]) -> str:
    """A fingerprint of the training rows, stored in the model so a stale model is easy to spot."""
    h = hashlib.sha256()
    for row in rows:
        h.update(json.dumps([row["text"], row["level"]], ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()[:16]


# --- The one model of this process ---------------------------------------------------------------------------------

_LOADED: Model | None = None


def ensure_loaded(path: Path | None = None) -> Model:
    """Load the model once per process (start-up calls this; a test may call it with another file)."""
    global _LOADED
    if _LOADED is None or path is not None:
        _LOADED = load_model(path)
    return _LOADED


def model() -> Model:
    return _LOADED if _LOADED is not None else ensure_loaded()
