"""The one place that chooses the sentiment backend ``nlp.backend`` asks for.

``transformers`` (the default) runs a sequence-classification model (:mod:`nlp.scorer`);
``embedding-head`` runs multilingual sentence embeddings and a small head (:mod:`nlp.head`). Both
have the same interface (``score``, ``score_one``, ``score_async``, ``model_name``, ``revision``).
"""

from __future__ import annotations

from nlp.scorer import SentimentScorer
from nlp.settings import NlpSettings


def load_sentiment_scorer(settings: NlpSettings) -> SentimentScorer:
    """Load the configured backend; raises :class:`nlp.model.ModelLoadError` with the fix."""
    if settings.backend == "embedding-head":
        from nlp.head import HeadScorer  # the encoder package is imported only when configured

        return HeadScorer.from_settings(settings)
    return SentimentScorer.from_settings(settings)
