"""Batch sentiment scoring.

Designed for the background worker: it hands over a list of messages, we score them as fast as a
small CPU allows and return one :class:`SentimentResult` per message, in the input order.

Speed: messages are tokenised once (truncated, unpadded), sorted by token length and cut into
``batch_size`` chunks, each padded only to its own longest member. Short Telegram messages thus cost
little even when ``max_length`` is large. Inference runs under ``torch.inference_mode()``.

Threading: :meth:`SentimentScorer.score` is synchronous and meant to run in a worker thread
(``await asyncio.to_thread(scorer.score, texts)`` or :meth:`score_async`). A lock serialises calls,
because fast tokenizers are not safe to use from two threads at once and parallel forward passes
would only fight over the same cores; a second caller simply waits for the first.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from nlp.labels import LabelMapping, Sentiment
from nlp.model import LoadedModel, load_model
from nlp.settings import NlpSettings

_HANDLE = re.compile(r"(?<![\w@])@\w{1,32}")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def tweet_normalise(text: str) -> str:
    """Mask handles and links the way tweet-trained models saw them in training ("@user", "http")."""
    return _URL.sub("http", _HANDLE.sub("@user", text))


def prepare_text(text: str, settings: NlpSettings) -> str:
    """The text a model sees: the one preparation shared by scoring, training and evaluation."""
    return tweet_normalise(text) if settings.tweet_normalise else text


@dataclass(frozen=True, slots=True)
class SentimentResult:
    """Sentiment of one message.

    ``score`` is the expected polarity in [-1, 1]; ``probabilities`` maps each model label to its
    probability. For empty/whitespace-only text nothing is inferred: score 0.0, label "neutral" and
    ``probabilities`` is empty.
    """

    score: float
    label: Sentiment
    probabilities: dict[str, float] = field(default_factory=dict)
    model: str = ""
    revision: str = ""

    @property
    def empty(self) -> bool:
        """True when the text was empty and the model was not run."""
        return not self.probabilities


class SentimentScorer:
    """Scores texts with a loaded classifier. One caller at a time; see module docstring."""

    def __init__(self, loaded: LoadedModel, settings: NlpSettings | None = None) -> None:
        self._loaded = loaded
        self._settings = settings or NlpSettings()
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: NlpSettings) -> SentimentScorer:
        """Load the configured transformers model (raises :class:`nlp.model.ModelLoadError`).
        To honour ``nlp.backend``, use :func:`nlp.backends.load_sentiment_scorer`."""
        return cls(load_model(settings), settings)

    @property
    def loaded(self) -> LoadedModel:
        return self._loaded

    @property
    def model_name(self) -> str:
        return self._loaded.name

    @property
    def revision(self) -> str:
        return self._loaded.revision

    def score_one(self, text: str) -> SentimentResult:
        return self.score([text])[0]

    async def score_async(self, texts: Sequence[str]) -> list[SentimentResult]:
        """Score in a worker thread so the event loop keeps serving residents."""
        return await asyncio.to_thread(self.score, list(texts))

    @property
    def mapping(self) -> LabelMapping:
        """Model label -> polarity, in class-index order."""
        return self._loaded.mapping

    def score(self, texts: Sequence[str]) -> list[SentimentResult]:
        """Score ``texts``; results are in input order. Thread-safe (calls are serialised)."""
        if isinstance(texts, str):  # a bare string would be scored character by character
            raise TypeError("score() takes a sequence of texts; use score_one() for a single text")
        results: list[SentimentResult | None] = [None] * len(texts)
        todo = [i for i, t in enumerate(texts) if t and t.strip()]
        for i in set(range(len(texts))) - set(todo):
            results[i] = SentimentResult(0.0, "neutral", {}, self.model_name, self.revision)
        if todo:
            with self._lock:
                probs = self._probabilities([texts[i] for i in todo])
            mapping = self.mapping
            s = self._settings
            for i, row in zip(todo, probs, strict=True):
                results[i] = SentimentResult(
                    score=mapping.score(row),
                    label=mapping.label(row, s.label_strategy, s.neutral_band),
                    probabilities=dict(zip(mapping.labels, row, strict=True)),
                    model=self.model_name,
                    revision=self.revision,
                )
        return [r for r in results if r is not None]

    def _probabilities(self, texts: list[str]) -> list[list[float]]:
        """Class probabilities per text (input order), using length-sorted dynamic batches."""
        import torch

        loaded, s = self._loaded, self._settings
        prepared = [prepare_text(t, s) for t in texts]
        encoded = loaded.tokenizer(prepared, truncation=True, max_length=loaded.max_length, padding=False)
        keys = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in encoded]
        order = sorted(range(len(texts)), key=lambda i: len(encoded["input_ids"][i]))
        out: list[list[float]] = [[] for _ in texts]
        with torch.inference_mode():
            for start in range(0, len(order), s.batch_size):
                chunk = order[start : start + s.batch_size]
                features = [{k: encoded[k][i] for k in keys} for i in chunk]
                batch = loaded.tokenizer.pad(features, padding="longest", return_tensors="pt")
                batch = {k: v.to(loaded.device) for k, v in batch.items()}
                logits = loaded.model(**batch).logits.float()
                for i, row in zip(chunk, torch.softmax(logits, dim=-1).cpu().tolist(), strict=True):
                    out[i] = row
        return out
