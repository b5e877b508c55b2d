"""The ``[trust]`` configuration section.

Every field is documented here because this model *is* the reference for the
``[trust]`` block of the agency configuration (see docs/trust-index.md).
The model is frozen: a computation receives one settings object and cannot
change it half-way through.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .model import RATING_ITEMS

#: The breakdowns that may appear under "Needs attention".
ATTENTION_DIMENSIONS: tuple[str, ...] = ("unit", "district", "topic", "channel", "language")


class TrustSettings(BaseModel):
    """Settings of the Trust Index (the ``[trust]`` config section)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # --- how one message becomes one value in [-1, 1] ----------------------
    text_weight: float = Field(
        1.0,
        ge=0.0,
        description=(
            "Weight of the text sentiment (model output, -1..1) when a message's "
            "value is the weighted mean of its text sentiment and its ratings."
        ),
    )
    rating_weights: dict[str, float] = Field(
        default_factory=lambda: {item: 0.25 for item in RATING_ITEMS},
        description=(
            "Weight of each 0-10 rating item, mapped to -1..1 as r/5 - 1. With the "
            "defaults (text 1.0, four items at 0.25) a message carrying all four "
            "ratings counts text and ratings half and half. Items that a message "
            "lacks drop out of its weighted mean; items not listed here are ignored. An "
            "unknown item name is an error."
        ),
    )

    # --- estimation --------------------------------------------------------
    min_residents: int = Field(
        5,
        ge=2,
        description=(
            "Fewest distinct residents behind a unit/district/topic/officer figure "
            "before it is shown as a number (and before quotes are shown). Below "
            "it the figure reads 'not enough feedback'."
        ),
    )
    prior_strength: float = Field(
        10.0,
        ge=0.0,
        description=(
            "Shrinkage prior strength k, in residents: a group's estimate is "
            "(n*mean + k*parent_mean)/(n + k), unit -> district -> agency. "
            "0 switches shrinkage off."
        ),
    )
    confidence_level: float = Field(
        0.90,
        gt=0.5,
        lt=1.0,
        description="Level of the intervals and of the two-sided trend test.",
    )
    baseline_weeks: int = Field(
        12,
        ge=1,
        le=104,
        description="Trailing weeks (before the digest week) pooled into the baseline.",
    )
    chart_weeks: int = Field(
        12, ge=2, le=104, description="Weeks (including the digest week) in the trend chart."
    )

    # --- "needs attention" ------------------------------------------------
    attention_items: int = Field(
        5, ge=0, le=20, description="Longest 'Needs attention' list."
    )
    attention_dimensions: tuple[str, ...] = Field(
        ("unit", "topic"),
        description=(
            "Breakdowns that may appear under 'Needs attention': any of unit, "
            "district, topic, channel, language."
        ),
    )
    top_topics_per_item: int = Field(
        3, ge=0, le=10, description="Topics (or, for a topic, units) listed per attention item."
    )
    quotes_per_item: int = Field(
        3, ge=0, le=5, description="Redacted quotes per attention item (distinct residents)."
    )
    quote_max_value: float = Field(
        -0.2,
        ge=-1.0,
        lt=0.0,
        description=(
            "Only messages whose value is at or below this are quoted under 'Needs "
            "attention' (clearly negative, not borderline)."
        ),
    )
    quote_max_chars: int = Field(
        280, ge=40, le=1000, description="Longer quotes are cut, with an ellipsis."
    )

    # --- digest -------------------------------------------------------------
    digest_message_limit: int = Field(
        4000,
        ge=500,
        le=4096,
        description=(
            "Longest Telegram message of the digest, in UTF-16 code units of the raw "
            "HTML (Telegram's hard limit is 4096; the margin is deliberate)."
        ),
    )
    name_max_chars: int = Field(
        40, ge=8, le=200, description="Unit/district/topic names are cut to this length."
    )

    @field_validator("rating_weights")
    @classmethod
    def _non_negative_weights(cls, value: dict[str, float]) -> dict[str, float]:
        for item, weight in value.items():
            if item not in RATING_ITEMS:
                # A mistyped item would otherwise be silently ignored and its rating never count.
                raise ValueError(f"{item!r}: unknown rating item; known: {', '.join(RATING_ITEMS)}")
            if not (weight >= 0.0):
                raise ValueError(f"rating weight for {item!r} must be >= 0, got {weight!r}")
        return value

    @field_validator("attention_dimensions")
    @classmethod
    def _known_dimensions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [d for d in value if d not in ATTENTION_DIMENSIONS]
        if unknown:
            raise ValueError(f"unknown attention dimension(s) {unknown}; allowed: {sorted(ATTENTION_DIMENSIONS)}")
        return tuple(dict.fromkeys(value))

    @model_validator(mode="after")
    def _some_weight(self) -> TrustSettings:
        if self.text_weight <= 0 and not any(w > 0 for w in self.rating_weights.values()):
            raise ValueError("text_weight and all rating_weights are zero: no message would count")
        return self
