"""Trustline's language processing: sentiment, topics, emergency flags and redaction.

Two paths, kept apart on purpose:

* receive time (bot, event loop): :func:`nlp.analysis.analyse` - rules only, no torch, ~1 ms;
* background worker (thread): :class:`nlp.scorer.SentimentScorer` - the transformer model.

Names below are imported lazily so that ``import nlp`` never pulls in torch.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "NlpSettings": "nlp.settings",
    "analyse": "nlp.analysis",
    "Analyser": "nlp.analysis",
    "TextAnalysis": "nlp.analysis",
    "redact": "nlp.redact",
    "TopicTagger": "nlp.topics",
    "EmergencyDetector": "nlp.emergency",
    "EmergencyAssessment": "nlp.emergency",
    "SentimentScorer": "nlp.scorer",
    "SentimentResult": "nlp.scorer",
    "ModelLoadError": "nlp.model",
    "load_model": "nlp.model",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    from nlp.analysis import Analyser, TextAnalysis, analyse
    from nlp.emergency import EmergencyAssessment, EmergencyDetector
    from nlp.model import ModelLoadError, load_model
    from nlp.redact import redact
    from nlp.scorer import SentimentResult, SentimentScorer
    from nlp.settings import NlpSettings
    from nlp.topics import TopicTagger


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'nlp' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
