"""Flag messages that need a human *now*: emergencies, self-harm, and misconduct allegations.

A feedback bot is not an emergency line, but residents will still write "someone is breaking in"
or "I want to kill myself" into it, and a supervisor must see allegations such as "the officer hit
me" quickly. This module finds those messages with multilingual phrase rules (English, Spanish,
French, German), cheap enough to run when the message arrives.

How a message is scored, per kind (``emergency``, ``self_harm``, ``misconduct``):

* **Cues.** *Definite* cues weigh 1.0 ("has a gun", "is breaking in", "kill myself", "took a
  bribe"); *borderline* cues weigh 0.5 ("gun", "break-in", "attacked me", "suicide"). Overlapping
  cues of one kind count once (the heaviest); a self-harm cue overrides an emergency cue it overlaps
  ("je vais me tuer" is self-harm, not a threat).
* **Negation** among the 4 words before a cue, in the same clause ("nobody has a gun", "the
  officer did not hit me"), drops the cue.
* **Hypothetical** wording among the 6 words before a cue ("what if", "si", "falls") halves it.
* **Past** time expressions anywhere in the message ("last month", "yesterday", "ayer", "la semaine
  dernière") halve emergency and self-harm cues, and **reporting** wording ("report", "complaint",
  "denuncia", "plainte", "Anzeige") halves their *borderline* cues - both only when no urgency
  marker is present. Misconduct is normally reported afterwards, so it is never discounted for that.
* **Urgency** adds 0.5 to emergency and self-harm when the message already has a cue of that kind,
  and cancels the past/reporting discounts. Strong markers ("right now", "hurry", "ahora mismo",
  "vite", "sofort") always count; weak ones ("now", "ahora", "jetzt", "emergency") only when the
  message has no past-time expression.
* **Misconduct actions** ("hit me", "stole my", "me pegaron", "m'a frappé") need the actor to be
  police: the nearest actor word before the action in its clause decides (officer/cop/policía/flic
  -> 1.0; man/neighbour/alguien/quelqu'un -> 0). Without one, a police word in the same sentence
  gives 1.0, elsewhere in the message 0.5, none 0. Self-contained cues ("bribe", "police
  brutality", "mordida") need no actor.

*Hints* (0.3: "screaming", "nobody cares", "ich kann nicht mehr") only count together (or with
a strong urgency marker). *Figurative* phrases ("dying to see", "me muero de risa", "mort de
rire", "ich sterbe vor Lachen") hide the emergency/self-harm cues they overlap. An
emergency cue whose nearest actor is police ("the officer pulled his gun") is a complaint, not
danger now; reporting, routine ("every weekend") and thanks halve borderline emergency cues.
Phrase lists live per language in :mod:`nlp.lexicon`.

A kind **alerts** when its total is >= 1.0; an emergency/self-harm total >= 0.5 that does not
alert is the **advise** level (:attr:`EmergencyAssessment.level`): the resident should get the
emergency number, the duty chat is not alerted. Model assistance: once the background worker knows the
sentiment score, a kind whose total is >= 0.5 also alerts when the score is <=
``nlp.emergency_model_threshold`` (default -0.5) - i.e. a single borderline cue in a strongly
negative message is enough. See :meth:`EmergencyAssessment.with_sentiment`.

Decision on reports of past incidents: "the response to the break-in last month was slow" is a
complaint (topics ``response_time``/``safety``), not an emergency - its only cue is borderline and
halved by "last month".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from nlp.lexicon import merged
from nlp.text import FoldedText, compile_phrases, fold, is_negated, preceding_words

Kind = Literal["emergency", "self_harm", "misconduct"]
KINDS: tuple[Kind, ...] = ("emergency", "self_harm", "misconduct")
URGENT: tuple[Kind, ...] = ("emergency", "self_harm")
Level = Literal["alert", "advise", "none"]

DEFINITE, BORDERLINE, HINT = 1.0, 0.5, 0.3
ALERT_AT = 1.0
MODEL_ASSISTED_ALERT_AT = 0.5
URGENCY_BONUS = 0.5
NEGATION_WINDOW = 4
HYPOTHETICAL_WINDOW = 6
ACTOR_WINDOW = 6
STRICT_ACTOR_WINDOW = 3

# --------------------------------------------------------------------------------------------------
# Phrase lists: written per language in nlp/lexicon/<lang>.py (syntax: nlp.text.phrase_regex;
# accents and case do not matter) and merged here, because every message gets every language's rules.
# --------------------------------------------------------------------------------------------------
EMERGENCY_DEFINITE = merged("EMERGENCY_DEFINITE")
EMERGENCY_BORDERLINE = merged("EMERGENCY_BORDERLINE")
EMERGENCY_HINTS = merged("EMERGENCY_HINTS")
SELF_HARM_DEFINITE = merged("SELF_HARM_DEFINITE")
SELF_HARM_BORDERLINE = (*merged("SELF_HARM_BORDERLINE"), "suicid*", "selbstmord*", "suizid*", "self-harm", "self harm",
                        "autolesion*", "automutilation")
SELF_HARM_HINTS = merged("SELF_HARM_HINTS")
MISCONDUCT_SELF_CONTAINED = merged("MISCONDUCT_SELF_CONTAINED")
MISCONDUCT_ACTIONS = merged("MISCONDUCT_ACTIONS")
MISCONDUCT_STRICT_ACTIONS = merged("MISCONDUCT_STRICT_ACTIONS")
POLICE_WORDS = merged("POLICE_WORDS")
CIVILIAN_ACTORS = merged("CIVILIAN_ACTORS")
URGENCY_STRONG = merged("URGENCY_STRONG")
URGENCY_WEAK = merged("URGENCY_WEAK")
PAST = merged("PAST")
REPORTING = merged("REPORTING")
HABITUAL = merged("HABITUAL")
GRATITUDE = merged("GRATITUDE")
HYPOTHETICAL: frozenset[str] = frozenset(w for w in merged("HYPOTHETICAL") if " " not in w)
FIGURATIVE = merged("FIGURATIVE")

# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cue:
    """One matched phrase: what the resident wrote and how much it counted (after discounts)."""

    kind: Kind
    text: str
    weight: float
    definite: bool
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class EmergencyAssessment:
    """Result of :meth:`EmergencyDetector.assess`.

    ``kinds`` are the alerts raised (empty = no alert); ``scores`` the per-kind totals; ``cues``
    every cue that counted, strongest first, for the alert text.
    """

    kinds: tuple[Kind, ...] = ()
    scores: Mapping[Kind, float] = field(default_factory=dict)
    cues: tuple[Cue, ...] = ()
    sentiment_score: float | None = None
    # Urgent kinds the worker-stage classifier (nlp.safety) finds plausible: advice, no alert.
    model_advise: tuple[Kind, ...] = ()

    @property
    def alert(self) -> bool:
        return bool(self.kinds)

    @property
    def borderline(self) -> tuple[Kind, ...]:
        """Kinds that would alert if the message turns out to be strongly negative."""
        return tuple(k for k in KINDS if k not in self.kinds and self.scores.get(k, 0.0) >= MODEL_ASSISTED_ALERT_AT)

    @property
    def advise(self) -> tuple[Kind, ...]:
        """Urgent kinds that are plausible but not certain: the resident gets the emergency number
        at once (cheap and safe) but the duty chat is not alerted."""
        return tuple(k for k in URGENT if k not in self.kinds and (k in self.borderline or k in self.model_advise))

    @property
    def level(self) -> Level:
        """``"alert"`` (duty chat + advice), ``"advise"`` (advice only) or ``"none"``, for danger/self-harm."""
        if any(k in URGENT for k in self.kinds):
            return "alert"
        return "advise" if self.advise else "none"

    def cue_for(self, kind: Kind) -> str | None:
        """The strongest phrase behind ``kind``, as the resident wrote it (for the alert)."""
        return next((c.text for c in self.cues if c.kind == kind), None)

    def with_sentiment(self, sentiment_score: float, threshold: float = -0.5) -> EmergencyAssessment:
        """Re-decide with the sentiment score: totals >= 0.5 alert when ``score <= threshold``."""
        negative = sentiment_score <= threshold
        kinds = tuple(
            k
            for k in KINDS
            if self.scores.get(k, 0.0) >= ALERT_AT or (negative and self.scores.get(k, 0.0) >= MODEL_ASSISTED_ALERT_AT)
        )
        return replace(self, kinds=kinds, sentiment_score=sentiment_score)


def _pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    pattern = compile_phrases(phrases)
    assert pattern is not None
    return pattern


_SENTENCE_BREAK = re.compile(r"[.!?\n]+")
_CLAUSE_END = re.compile(r"[.!?;:,\n]|\b(?:and|but|y|pero|et|mais|und|aber)\b")


class EmergencyDetector:
    """Compiled rules; build once, then :meth:`assess` is pure and thread-safe."""

    def __init__(self, extra_cues: Mapping[Kind, Iterable[str]] | None = None) -> None:
        extra = {k: list(v) for k, v in (extra_cues or {}).items()}
        unknown = set(extra) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown emergency kinds {sorted(unknown)}; use {list(KINDS)}")
        # (kind, weight, actor rule, pattern); actor rule: "" none, "police" police must be the actor
        # (nearby or in the sentence), "nearest" police must be the nearest actor word.
        self._rules: list[tuple[Kind, float, str, re.Pattern[str]]] = [
            ("emergency", DEFINITE, "", _pattern([*EMERGENCY_DEFINITE, *extra.get("emergency", [])])),
            ("emergency", BORDERLINE, "", _pattern(EMERGENCY_BORDERLINE)),
            ("emergency", HINT, "", _pattern(EMERGENCY_HINTS)),
            ("self_harm", DEFINITE, "", _pattern([*SELF_HARM_DEFINITE, *extra.get("self_harm", [])])),
            ("self_harm", BORDERLINE, "", _pattern(SELF_HARM_BORDERLINE)),
            ("self_harm", HINT, "", _pattern(SELF_HARM_HINTS)),
            ("misconduct", DEFINITE, "", _pattern([*MISCONDUCT_SELF_CONTAINED, *extra.get("misconduct", [])])),
            ("misconduct", DEFINITE, "police", _pattern(MISCONDUCT_ACTIONS)),
            ("misconduct", DEFINITE, "nearest", _pattern(MISCONDUCT_STRICT_ACTIONS)),
        ]
        self._police = _pattern(POLICE_WORDS)
        self._civilian = _pattern(CIVILIAN_ACTORS)
        self._urgent_strong = _pattern(URGENCY_STRONG)
        self._urgent_weak = _pattern(URGENCY_WEAK)
        self._past = _pattern(PAST)
        self._reporting = _pattern(REPORTING)
        self._habitual = _pattern(HABITUAL)
        self._gratitude = _pattern(GRATITUDE)
        self._figurative = _pattern(FIGURATIVE)

    def assess(
        self, text: str, folded: FoldedText | None = None, sentiment_score: float | None = None, threshold: float = -0.5
    ) -> EmergencyAssessment:
        folded = folded or fold(text)
        hay = folded.folded
        past_words = self._past.search(hay) is not None
        thanks = self._gratitude.search(hay) is not None
        # Weak "now" words ("quick", "rápido", "tonight") describe the response in a thank-you.
        strong = self._urgent_strong.search(hay) is not None
        urgent = strong or (
            not past_words and not thanks and self._urgent_weak.search(hay) is not None
        )
        past = past_words and not urgent
        # Reporting, routine and thanks place a crime word ("burglary", "fight", "incendio") in a
        # report about something over, so they discount the cues that are not explicit danger now.
        # (emergency only: people say thanks and talk of "always" while saying goodbye, too).
        settled = not urgent and (thanks or any(p.search(hay) is not None for p in (self._reporting, self._habitual)))

        # Figures of speech ("dying to see", "me muero de risa", "ich sterbe vor Lachen") hide the
        # danger and death words they contain.
        figurative = [(m.start(), m.end()) for m in self._figurative.finditer(hay)]
        # A hint inside an urgency phrase ("please" in "please help") is already the urgency.
        urgency_spans = [(m.start(), m.end()) for p in (self._urgent_strong, self._urgent_weak)
                         for m in p.finditer(hay)]
        found: list[Cue] = []
        for kind, base, actor_rule, pattern in self._rules:
            for m in pattern.finditer(hay):
                if is_negated(hay, m.start(), NEGATION_WINDOW):
                    continue
                if kind != "misconduct" and any(s < m.end() and m.start() < e for s, e in figurative):
                    continue
                if base == HINT and any(s < m.end() and m.start() < e for s, e in urgency_spans):
                    continue
                weight = base
                if actor_rule == "police":
                    weight *= self._police_actor_weight(hay, m.start())
                elif actor_rule == "nearest":
                    # the officer must be the subject right before the verb ("el policía me robó"),
                    # not someone earlier in the sentence ("la agente que me ayudó cuando me robaron")
                    weight *= 1.0 if self._nearest_actor(hay, m.start(), STRICT_ACTOR_WINDOW) == "police" else 0.0
                elif kind == "emergency" and self._nearest_actor(hay, m.start()) == "police":
                    weight = 0.0  # "the officer pulled his gun" is a complaint about police, not danger now
                if any(w in HYPOTHETICAL for w in preceding_words(hay, m.start(), HYPOTHETICAL_WINDOW)):
                    weight *= 0.5
                if kind != "misconduct" and (past or (kind == "emergency" and settled and base < DEFINITE)):
                    weight *= 0.5
                if weight > 0:
                    found.append(Cue(kind, folded.original_span(m.start(), m.end()), weight, base >= DEFINITE, m.start(), m.end()))

        kept = self._resolve_overlaps(found)
        scores: dict[Kind, float] = {}
        for cue in kept:
            scores[cue.kind] = scores.get(cue.kind, 0.0) + cue.weight
        if urgent:
            # Urgency lifts a real cue; a strong marker ("please hurry") also lifts danger hints.
            for kind in ("emergency", "self_harm"):
                real = any(c.kind == kind and c.weight > HINT for c in kept)
                if kind in scores and (real or (strong and kind == "emergency")):
                    scores[kind] += URGENCY_BONUS
        scores = {k: round(v, 4) for k, v in scores.items()}
        kinds = tuple(k for k in KINDS if scores.get(k, 0.0) >= ALERT_AT)
        result = EmergencyAssessment(kinds, scores, tuple(sorted(kept, key=lambda c: -c.weight)), None)
        return result.with_sentiment(sentiment_score, threshold) if sentiment_score is not None else result

    def mentions_police(self, folded: str) -> bool:
        """Whether the (folded) message names the police anywhere."""
        return self._police.search(folded) is not None

    def _nearest_actor(self, hay: str, start: int, window: int = ACTOR_WINDOW) -> str | None:
        """"police", "civilian" or None: the closest actor word before ``start`` in its clause."""
        for word in reversed(preceding_words(hay, start, window)):
            if self._police.fullmatch(word):
                return "police"
            if self._civilian.fullmatch(word):
                return "civilian"
        return None

    def _police_actor_weight(self, hay: str, start: int) -> float:
        """1.0 if police did it, 0 if a civilian did, 0.5 if police are only mentioned elsewhere."""
        nearest = self._nearest_actor(hay, start)
        if nearest is not None:
            return 1.0 if nearest == "police" else 0.0
        sentence_start = max((m.end() for m in _SENTENCE_BREAK.finditer(hay, 0, start)), default=0)
        clause_end = _CLAUSE_END.search(hay, start)
        # Sentence start .. end of the action's clause: "los policías me pegaron", "me pegaron los
        # policías", but not "me robaron el móvil y la policía no hizo nada".
        if self._police.search(hay, sentence_start, clause_end.start() if clause_end else len(hay)):
            return 1.0
        return 0.5 if self._police.search(hay) else 0.0

    @staticmethod
    def _resolve_overlaps(cues: list[Cue]) -> list[Cue]:
        """Heaviest cue wins among overlapping cues of a kind; a self-harm cue (not a hint) beats an overlapping
        emergency one."""
        self_harm = [c for c in cues if c.kind == "self_harm" and c.weight > HINT]
        cues = [c for c in cues if not (c.kind == "emergency" and any(c.start < s.end and s.start < c.end for s in self_harm))]
        kept: list[Cue] = []
        for cue in sorted(cues, key=lambda c: (-c.weight, -(c.end - c.start))):
            if any(k.kind == cue.kind and cue.start < k.end and k.start < cue.end for k in kept):
                continue
            if any(k.kind == cue.kind and k.text.lower() == cue.text.lower() for k in kept):
                continue  # the same phrase repeated counts once
            kept.append(cue)
        return sorted(kept, key=lambda c: c.start)
