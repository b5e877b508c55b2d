"""Cue lexicons for the receive-time rules, one module per language (en, es, fr, de).

Each language module defines the same names; :func:`merged` joins them across languages, because
residents often write in another language than their Telegram interface (rules for all languages
run on every message, so a cue must not be an ordinary word in another shipped language).

Phrase syntax: :func:`nlp.text.phrase_regex` (lower case, accents/case ignored, ``*`` = any word
ending, spaces and hyphens interchangeable). Names and what they feed:

``EMERGENCY_DEFINITE`` / ``EMERGENCY_BORDERLINE`` / ``EMERGENCY_HINTS``
    danger now, weights 1.0 / 0.5 / 0.3 (:mod:`nlp.emergency`);
``SELF_HARM_DEFINITE`` / ``SELF_HARM_BORDERLINE`` / ``SELF_HARM_HINTS``
    same for suicide/self-harm; hints are the indirect signs (goodbyes, giving things away, "can't
    go on") that only count together;
``MISCONDUCT_SELF_CONTAINED`` (no actor needed: "bribe"), ``MISCONDUCT_ACTIONS`` (police must be
    the actor, nearby or in the sentence), ``MISCONDUCT_STRICT_ACTIONS`` (police must be the
    *nearest* actor: impersonal forms such as "me robaron" usually mean thieves);
``POLICE_WORDS``, ``CIVILIAN_ACTORS``: who did it;
``URGENCY_STRONG`` / ``URGENCY_WEAK``: happening now; ``PAST``, ``REPORTING``, ``HABITUAL``,
    ``GRATITUDE``: wording that places an incident in the past or in a routine;
``TOPICS``: topic -> keywords (:mod:`nlp.topics`); ``TOPIC_EXCLUSIONS``: topic -> phrases inside which
    that topic's keywords do not count ("respekt an" is a thank-you, "el poli" the police).
"""

from __future__ import annotations

from types import ModuleType

from nlp.lexicon import de, en, es, fr

LANGUAGES: dict[str, ModuleType] = {"en": en, "es": es, "fr": fr, "de": de}


def merged(name: str) -> tuple[str, ...]:
    """All languages' entries for list ``name`` (a language without it contributes nothing)."""
    return tuple(p for module in LANGUAGES.values() for p in getattr(module, name, ()))


def topic_keywords() -> dict[str, dict[str, tuple[str, ...]]]:
    """topic -> language -> keywords, in the taxonomy order of the English module."""
    order = list(en.TOPICS)
    return {topic: {lang: tuple(m.TOPICS.get(topic, ())) for lang, m in LANGUAGES.items()} for topic in order}


def topic_exclusions() -> dict[str, tuple[str, ...]]:
    """topic -> exclusion phrases, all languages joined (a language without them contributes nothing)."""
    out: dict[str, list[str]] = {}
    for m in LANGUAGES.values():
        for topic, phrases in getattr(m, "TOPIC_EXCLUSIONS", {}).items():
            out.setdefault(topic, []).extend(phrases)
    return {topic: tuple(phrases) for topic, phrases in out.items()}
