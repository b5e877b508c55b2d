"""Text catalogues: one TOML file per language in services/locales, looked up by dotted key.

This is the only text system: the bot's replies, the digests, the charts and the cards all read
their texts here. A text that depends on a count has two variants, ``key.one`` and ``key.other``;
:func:`plural` picks one by the language's rule (French says "0 habitant", English "0 residents").
"""

from __future__ import annotations

import html
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

LOCALES_DIR = Path(__file__).with_name("locales")
FALLBACK = "en"


@cache
def _catalogue(language: str) -> dict[str, str]:
    path = LOCALES_DIR / f"{language}.toml"
    flat: dict[str, str] = {}

    def walk(prefix: str, node: dict[str, Any]) -> None:
        for key, value in node.items():
            if isinstance(value, dict):
                walk(f"{prefix}{key}.", value)
            else:
                flat[f"{prefix}{key}"] = str(value).strip("\n")

    walk("", tomllib.loads(path.read_text(encoding="utf-8")))
    return flat


@cache
def available_languages() -> list[str]:
    return sorted(p.stem for p in LOCALES_DIR.glob("*.toml"))


def keys(language: str) -> set[str]:
    return set(_catalogue(language))


def normalise_language(code: str | None, default: str = FALLBACK) -> str:
    """Map a Telegram language_code like 'es-MX' onto a shipped catalogue."""
    if code:
        base = code.replace("_", "-").split("-")[0].lower()
        if base in available_languages():
            return base
    return default


def _template(lang: str, key: str) -> str:
    template = _catalogue(lang).get(key) if lang in available_languages() else None
    return template if template is not None else _catalogue(FALLBACK).get(key, key)


def has_text(key: str) -> bool:
    """Whether the catalogues define ``key`` (English, which every catalogue mirrors)."""
    return key in _catalogue(FALLBACK)


# Languages whose singular covers 0 as well as 1; the others use ``.one`` for exactly 1.
_ZERO_IS_SINGULAR = frozenset({"fr"})


def plural(key: str, n: int, language: str = FALLBACK) -> str:
    """The variant of ``key`` for a count of ``n`` in ``language``: ``key.one`` for 1 (and for 0 in
    French), else ``key.other``."""
    one = n == 1 or (n == 0 and language in _ZERO_IS_SINGULAR)
    return f"{key}.one" if one else f"{key}.other"


def text(lang: str, key: str, /, **values: object) -> str:
    """The text for ``key`` with HTML-escaped values; falls back to English, then to the key."""
    return _template(lang, key).format(**{k: html.escape(str(v), quote=False) for k, v in values.items()})


def plain_text(lang: str, key: str, /, **values: object) -> str:
    """The text for ``key`` with values as they are: for plain-text output (files, charts) and for
    callers that escape the finished text themselves."""
    return _template(lang, key).format(**values)


@dataclass(frozen=True)
class Texts:
    """Texts bound to one language, so handlers write ``tx('feedback.saved')``."""

    language: str

    def __call__(self, key: str, /, **values: object) -> str:
        return text(self.language, key, **values)
