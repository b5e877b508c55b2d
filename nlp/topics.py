"""Topic tagging: which aspects of policing a message talks about.

Staff filter and chart feedback by topic, so tagging must be predictable and explainable: we use
keyword rules (English, Spanish, French, German) matched on whole words, ignoring case and accents,
and report the words that triggered each topic. A message can have several topics; ``other`` is
given only when no rule matched.

Rules for every language are applied to every message: residents often write in a language other
than their Telegram interface language, and the shipped keywords are chosen not to collide across
languages. Topics describe the *aspect* (respect, response time...), not the polarity: "very
polite" and "very rude" are both ``respect``; sentiment says which way it went. The exception is
``praise``, which is itself positive, so negated praise words ("not helpful") do not count. Each
language may also list, per topic, phrases inside which that topic's keywords do not count
(``TOPIC_EXCLUSIONS`` in :mod:`nlp.lexicon`: "el poli" is the police, not polite; "thanks for nothing"
is no praise).

Operators extend the rules through ``nlp.topics_extra_keywords`` (see :mod:`nlp.text` for the
keyword syntax).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from nlp.lexicon import topic_exclusions, topic_keywords
from nlp.text import FoldedText, compile_phrases, fold, is_negated

OTHER = "other"

# topic -> language -> keywords, written per language in nlp/lexicon/<lang>.py.
DEFAULT_TOPIC_KEYWORDS: dict[str, dict[str, tuple[str, ...]]] = topic_keywords()
# The nine shipped topics, in taxonomy order: the one definition (config is validated against it).
TOPICS: tuple[str, ...] = tuple(DEFAULT_TOPIC_KEYWORDS)

_NEGATION_SENSITIVE = frozenset({"praise"})
# Per topic: phrases inside which that topic's keywords do not count (nlp/lexicon/<lang>.py TOPIC_EXCLUSIONS).
_TOPIC_EXCLUSIONS: dict[str, re.Pattern[str]] = {
    topic: pattern for topic, phrases in topic_exclusions().items() if (pattern := compile_phrases(phrases)) is not None
}


@dataclass(frozen=True, slots=True)
class TopicMatch:
    """Topics found in one message, in taxonomy order, with the words that triggered each."""

    topics: tuple[str, ...]
    cues: Mapping[str, tuple[str, ...]]


class TopicTagger:
    """Compiled keyword rules. Build once (compilation takes milliseconds), use from any thread."""

    def __init__(self, extra_keywords: Mapping[str, Iterable[str]] | None = None) -> None:
        merged: dict[str, list[str]] = {
            topic: [kw for words in by_lang.values() for kw in words] for topic, by_lang in DEFAULT_TOPIC_KEYWORDS.items()
        }
        for topic, words in (extra_keywords or {}).items():
            name = topic.strip().lower().replace(" ", "_")
            if not name or name == OTHER:
                raise ValueError(f"cannot add keywords to topic {topic!r}: 'other' means 'nothing matched'")
            merged.setdefault(name, []).extend(words)
        self._patterns: dict[str, re.Pattern[str]] = {}
        for topic, words in merged.items():
            pattern = compile_phrases(words)
            if pattern is not None:
                self._patterns[topic] = pattern

    @property
    def topics(self) -> tuple[str, ...]:
        """All topic names, in report order, ending with ``other``."""
        return (*self._patterns, OTHER)

    def tag(self, text: str, folded: FoldedText | None = None) -> TopicMatch:
        folded = folded or fold(text)
        haystack = folded.folded
        found: dict[str, tuple[str, ...]] = {}
        for topic, pattern in self._patterns.items():
            cues: list[str] = []
            spans = [(e.start(), e.end()) for e in _TOPIC_EXCLUSIONS[topic].finditer(haystack)] if topic in _TOPIC_EXCLUSIONS else []
            for m in pattern.finditer(haystack):
                if any(a <= m.start() < b for a, b in spans):
                    continue
                if topic in _NEGATION_SENSITIVE and is_negated(haystack, m.start()):
                    continue
                cue = folded.original_span(m.start(), m.end())
                if cue not in cues:
                    cues.append(cue)
            if cues:
                found[topic] = tuple(cues)
        if not found:
            return TopicMatch((OTHER,), {})
        return TopicMatch(tuple(found), found)
