"""Receive-time analysis: redaction, topics and emergency flags, without any model.

The bot calls :func:`analyse` synchronously when a message arrives, so it must stay cheap
(regexes compiled once; typically well under a millisecond for a Telegram-sized message) and must
never load torch. Sentiment is added later by the background worker, which can then re-decide
borderline alerts with :meth:`TextAnalysis.with_sentiment`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from nlp.emergency import ALERT_AT, KINDS, MODEL_ASSISTED_ALERT_AT, EmergencyAssessment, EmergencyDetector
from nlp.lexicon import merged
from nlp.redact import redact
from nlp.settings import NlpSettings
from nlp.text import compile_phrases, fold
from nlp.topics import OTHER, TopicTagger

if TYPE_CHECKING:
    from nlp.safety import SafetyVerdict

SENSITIVE_TOPICS = frozenset({"use_of_force", "misconduct_allegation"})
SENSITIVE_FLAG = "sensitive"


@dataclass(frozen=True, slots=True)
class TextAnalysis:
    """What staff and the alerting code need to know about one message before sentiment exists.

    ``redacted`` is safe to show staff; ``topics`` are in taxonomy order (``("other",)`` when none
    matched) with ``topic_cues`` explaining each; ``emergency`` carries alert kinds and cues. Cue
    texts quote the *original* message, so show them only where the original may be shown.
    """

    redacted: str
    topics: tuple[str, ...]
    topic_cues: Mapping[str, tuple[str, ...]]
    emergency: EmergencyAssessment
    language: str | None = None
    sensitive_reasons: tuple[str, ...] = ()

    @property
    def sensitive(self) -> bool:
        """True when the message may allege force, misconduct, abuse of authority or discrimination
        by police: it must then never be routed to the officer concerned. Leans to True when unsure
        (it only changes who follows up); ``sensitive_reasons`` says why."""
        return bool(self.sensitive_reasons)

    @property
    def flags(self) -> list[str]:
        """What is stored with the message: the alert kinds found, plus ``sensitive`` (case routing
        reads it, so a message the rules find sensitive never goes to the officer concerned)."""
        return [*self.emergency.kinds, *((SENSITIVE_FLAG,) if self.sensitive else ())]

    def with_sentiment(self, sentiment_score: float, threshold: float = -0.5) -> TextAnalysis:
        """Copy with emergency alerts re-decided using the sentiment score (model-assisted rule)."""
        return replace(self, emergency=self.emergency.with_sentiment(sentiment_score, threshold))

    def with_safety(self, verdict: SafetyVerdict) -> TextAnalysis:
        """Copy with the worker-stage classifier's verdict added (it only adds: alerts, advice, sensitive)."""
        e = self.emergency
        kinds = tuple(k for k in KINDS if k in e.kinds or k in verdict.alert)
        advise = tuple(k for k in (*e.model_advise, *verdict.advise) if k not in kinds)
        reasons = self.sensitive_reasons
        if verdict.sensitive and "classifier" not in reasons:
            reasons = (*reasons, "classifier")
        return replace(self, emergency=replace(e, kinds=kinds, model_advise=advise), sensitive_reasons=reasons)


class Analyser:
    """Holds the compiled rules for one configuration. Thread-safe; build once per process."""

    def __init__(self, settings: NlpSettings | None = None) -> None:
        settings = settings or NlpSettings()
        self.settings = settings
        self.tagger = TopicTagger(settings.topics_extra_keywords)
        self.detector = EmergencyDetector(settings.emergency_extra_cues)
        context = compile_phrases(merged("POLICE_CONTEXT"))
        assert context is not None
        self._police_context = context

    def analyse(self, text: str, language: str | None = None) -> TextAnalysis:
        """Analyse ``text``. ``language`` (e.g. Telegram's language_code) is recorded, not trusted:
        rules for all shipped languages are applied because residents often write in another one."""
        text = text or ""
        folded = fold(text)
        topics = self.tagger.tag(text, folded)
        emergency = self.detector.assess(text, folded)
        cues = dict(topics.cues)
        if emergency.level != "none":
            # Danger now is about a neighbour or a stranger, not about officers' force, and it is a
            # safety matter whatever words were used.
            cues.pop("use_of_force", None)
            cue = emergency.cue_for("emergency") or emergency.cue_for("self_harm")
            if "emergency" in emergency.scores and "safety" not in cues and cue:
                cues["safety"] = (cue,)
        elif emergency.scores.get("misconduct", 0.0) >= ALERT_AT and not SENSITIVE_TOPICS & set(cues):
            # an officer's act found by the misconduct rules ("the officer stole my...") is an allegation
            cue = emergency.cue_for("misconduct")
            if cue:
                cues["misconduct_allegation"] = (cue,)
        order = {t: i for i, t in enumerate(self.tagger.topics)}
        names = tuple(sorted(cues, key=lambda t: order.get(t, len(order)))) or (OTHER,)
        return TextAnalysis(
            redacted=redact(text),
            topics=names,
            topic_cues=cues,
            emergency=emergency,
            language=(language or None),
            sensitive_reasons=self._sensitive_reasons(folded.folded, names, emergency),
        )

    def _sensitive_reasons(self, hay: str, topics: tuple[str, ...], emergency: EmergencyAssessment) -> tuple[str, ...]:
        reasons: list[str] = []
        misconduct = emergency.scores.get("misconduct", 0.0)
        if misconduct >= MODEL_ASSISTED_ALERT_AT:  # borderline counts: when unsure, treat as sensitive
            cue = emergency.cue_for("misconduct")
            reasons.append(f"misconduct cue: {cue}" if cue else "misconduct cue")
        reasons += [f"topic: {t}" for t in topics if t in SENSITIVE_TOPICS]
        if "fairness_bias" in topics and (self.detector.mentions_police(hay) or self._police_context.search(hay)):
            reasons.append("topic: fairness_bias, about police")
        return tuple(reasons)


_RULE_FIELDS = {"topics_extra_keywords", "emergency_extra_cues"}


@lru_cache(maxsize=8)
def _analyser_for(rules_json: str) -> Analyser:
    return Analyser(NlpSettings.model_validate_json(rules_json))


def analyse(text: str, language: str | None = None, *, settings: NlpSettings | None = None) -> TextAnalysis:
    """Analyse one message with the shipped rules (plus ``settings`` extras); see :class:`Analyser`.

    Compiled rules are cached per distinct rule configuration, so calling this per message is cheap.
    """
    rules = (settings or NlpSettings()).model_dump_json(include=_RULE_FIELDS)
    return _analyser_for(rules).analyse(text, language)
