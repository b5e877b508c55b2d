"""Topic tagging: which aspects of policing a message talks about.

Staff filter and chart feedback by topic, so tagging must be predictable and explainable: we use
keyword rules (English, Spanish, French, German) matched on whole words, ignoring case and accents,
and report the words that triggered each topic. A message can have several topics; ``other`` is
given only when no rule matched.

Rules for every language are applied to every message: residents often write in a language other
than their Telegram interface language, and the shipped keywords are chosen not to collide across
languages. Topics describe the *aspect* (respect, response time...), not the polarity: "very
polite" and "very rude" are both ``respect``; sentiment says which way it went. The exception is
``praise``, which is itself positive, so negated praise words ("not helpful") do not count.

Operators extend the rules through ``nlp.topics_extra_keywords`` (see :mod:`nlp.text` for the
keyword syntax). An optional zero-shot model (``nlp.topics_zero_shot_model``) can be run by the
background worker to add topics the rules missed; it is never used on the receive path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from nlp.lexicon import topic_keywords
from nlp.text import FoldedText, compile_phrases, fold, is_negated

OTHER = "other"

# topic -> language -> keywords, written per language in nlp/lexicon/<lang>.py.
DEFAULT_TOPIC_KEYWORDS: dict[str, dict[str, tuple[str, ...]]] = topic_keywords()

# Sarcasm and formulaic negatives that contain praise words.
_PRAISE_EXCLUSIONS = compile_phrases(
    ["thanks for nothing", "thank you for nothing", "no thanks to", "gracias por nada", "merci pour rien", "danke fur nichts"]
)
_NEGATION_SENSITIVE = frozenset({"praise"})


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
        excluded = _PRAISE_EXCLUSIONS.search(haystack) if _PRAISE_EXCLUSIONS else None
        for topic, pattern in self._patterns.items():
            cues: list[str] = []
            for m in pattern.finditer(haystack):
                if topic in _NEGATION_SENSITIVE:
                    if is_negated(haystack, m.start()):
                        continue
                    if excluded and excluded.start() <= m.start() < excluded.end():
                        continue
                cue = folded.original_span(m.start(), m.end())
                if cue not in cues:
                    cues.append(cue)
            if cues:
                found[topic] = tuple(cues)
        if not found:
            return TopicMatch((OTHER,), {})
        return TopicMatch(tuple(found), found)


# --- optional zero-shot model (background worker only) ------------------------------------------


class _ZeroShotPipeline(Protocol):
    def __call__(self, sequences: Any, candidate_labels: Sequence[str], **kwargs: Any) -> Any: ...


TOPIC_DESCRIPTIONS: dict[str, str] = {
    "respect": "respect and courtesy of officers",
    "response_time": "police response time",
    "communication": "communication and updates from the police",
    "fairness_bias": "fairness, discrimination or bias",
    "safety": "crime and safety in the neighbourhood",
    "traffic": "traffic, driving and parking",
    "use_of_force": "use of force by officers",
    "misconduct_allegation": "an allegation of police misconduct or corruption",
    "praise": "praise or thanks for the police",
}


class ZeroShotTopicClassifier:
    """Adds topics with a transformers zero-shot-classification pipeline (multi-label).

    Slow (one NLI forward pass per topic per message), so only the background worker should call
    it, after the keyword rules. ``pipeline`` can be injected for tests; otherwise it is built
    from ``model`` (Hub id or local dir), honouring HF_HUB_OFFLINE like the sentiment model.
    """

    def __init__(
        self,
        model: str,
        threshold: float = 0.8,
        topics: Mapping[str, str] | None = None,
        hypothesis_template: str = "This message is about {}.",
        pipeline: _ZeroShotPipeline | None = None,
    ) -> None:
        self.threshold = threshold
        self.topics = dict(topics or TOPIC_DESCRIPTIONS)
        self.hypothesis_template = hypothesis_template
        if pipeline is None:
            from transformers import pipeline as make_pipeline

            pipeline = make_pipeline("zero-shot-classification", model=model)
        self._pipeline = pipeline

    def classify(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        """Topics whose description is entailed with probability >= ``threshold``, per text."""
        if not texts:
            return []
        descriptions = list(self.topics.values())
        by_description = {d: t for t, d in self.topics.items()}
        raw = self._pipeline(
            list(texts), candidate_labels=descriptions, multi_label=True, hypothesis_template=self.hypothesis_template
        )
        outputs = raw if isinstance(raw, list) else [raw]
        result: list[tuple[str, ...]] = []
        for out in outputs:
            scores = dict(zip(out["labels"], out["scores"], strict=True))
            result.append(tuple(t for t, d in self.topics.items() if scores.get(d, 0.0) >= self.threshold and t in by_description.values()))
        return result


def merge_topics(rule_topics: Sequence[str], model_topics: Sequence[str]) -> tuple[str, ...]:
    """Union of rule and model topics, dropping ``other`` once anything real is present."""
    merged = [t for t in (*rule_topics, *model_topics) if t != OTHER]
    unique = tuple(dict.fromkeys(merged))
    return unique or (OTHER,)
