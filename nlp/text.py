"""Text folding and phrase patterns shared by the rule-based parts (topics, emergency).

Rules are written once in plain lower-case words and must match however residents type: with or
without accents ("policía"/"policia"), curly or straight apostrophes, "break-in"/"break in".  We fold
the message (lower case, accents stripped, apostrophes unified) and match folded patterns against it,
keeping a map back to the original characters so alerts can quote exactly what the resident wrote.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"}
_HYPHENS = {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-"}


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """Fold one character: lower case, no accents, unified apostrophes/hyphens (may be 0..n chars)."""
    if ch in _APOSTROPHES:
        return _APOSTROPHES[ch]
    if ch in _HYPHENS:
        return _HYPHENS[ch]
    if ch == "ß":
        return "ss"
    decomposed = unicodedata.normalize("NFKD", ch.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class FoldedText:
    """A folded copy of ``original`` plus, for each folded character, its index in ``original``."""

    original: str
    folded: str
    index: tuple[int, ...]

    def original_span(self, start: int, end: int) -> str:
        """Return the original text behind the folded slice ``[start:end)``."""
        if start >= end:
            return ""
        return self.original[self.index[start] : self.index[end - 1] + 1]


def fold(text: str) -> FoldedText:
    """Fold ``text`` for matching (see module docstring)."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        out.append(folded)
        index.extend([i] * len(folded))
    return FoldedText(text, "".join(out), tuple(index))


def fold_str(text: str) -> str:
    """Fold ``text`` and return only the folded string."""
    return "".join(_fold_char(ch) for ch in text)


def phrase_regex(phrase: str) -> str:
    """Translate a keyword phrase into a regex fragment over folded text.

    Syntax: words separated by spaces or hyphens match any run of spaces/hyphens (or none for a
    hyphen: "break-in" matches "breakin"); a trailing ``*`` on a word matches any word ending;
    an apostrophe is optional ("didn't" matches "didnt"). Whole-word boundaries are added by
    :func:`compile_phrases`.
    """
    words = fold_str(phrase).strip().split()
    parts: list[str] = []
    for word in words:
        pieces = word.split("-")
        sub: list[str] = []
        for piece in pieces:
            wildcard = piece.endswith("*")
            piece = piece.rstrip("*")
            escaped = "'?".join(re.escape(p) for p in piece.split("'"))
            sub.append(escaped + (r"\w*" if wildcard else ""))
        parts.append(r"[\s-]?".join(sub))
    return r"[\s-]+".join(parts)


def compile_phrases(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """Compile phrases into one whole-word alternation (longest first), or ``None`` if empty."""
    unique = sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True)
    if not unique:
        return None
    body = "|".join(phrase_regex(p) for p in unique)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


_TOKEN = re.compile(r"\w+(?:'\w+)?")
_CLAUSE_BREAK = re.compile(r"[.!?;:,\n()]|\s[-\u2013\u2014]\s|\b(?:but|pero|mais|aber)\b")


def preceding_words(folded: str, start: int, limit: int) -> list[str]:
    """Up to ``limit`` words before ``start`` within the same clause (stops at , . ! ? ; but ...).

    Negation and hypothetical markers only count when they govern the cue, which in short messages
    almost always means "a few words before it, without punctuation in between".
    """
    head = folded[:start]
    breaks = list(_CLAUSE_BREAK.finditer(head))
    if breaks:
        head = head[breaks[-1].end() :]
    return _TOKEN.findall(head)[-limit:]


NEGATIONS: frozenset[str] = frozenset(
    # English (with and without apostrophes, as people type)
    "not no never nobody nothing hardly without neither nor "
    "don't dont didn't didnt doesn't doesnt isn't isnt wasn't wasnt aren't arent weren't werent "
    "won't wont can't cant cannot couldn't couldnt wouldn't wouldnt shouldn't shouldnt "
    "haven't havent hasn't hasnt hadn't hadnt ain't aint "
    # Spanish (folded: accents removed)
    "ni nunca nada nadie jamas tampoco sin "
    # French ("personne" is left out: it also means "person")
    "pas jamais rien aucun aucune sans "
    # German
    "nicht kein keine keinen keinem keiner nie niemals niemand ohne".split()
)


def is_negated(folded: str, start: int, window: int = 3) -> bool:
    """True if a negation word occurs among the ``window`` words before ``start`` in its clause."""
    return any(w in NEGATIONS for w in preceding_words(folded, start, window))
