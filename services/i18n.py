"""Text catalogues: one TOML file per language in services/locales, looked up by dotted key."""

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


def available_languages() -> list[str]:
    return sorted(p.stem for p in LOCALES_DIR.glob("*.toml"))


def keys(language: str) -> set[str]:
    return set(_catalogue(language))


def normalise_language(code: str | None, default: str = FALLBACK) -> str:
    """Map a Telegram language_code like 'es-MX' onto a shipped catalogue."""
    if code:
        base = code.split("-")[0].lower()
        if base in available_languages():
            return base
    return default


def text(lang: str, key: str, /, **values: object) -> str:
    """The text for ``key`` with HTML-escaped values; falls back to English, then to the key."""
    template = _catalogue(lang).get(key) if lang in available_languages() else None
    if template is None:
        template = _catalogue(FALLBACK).get(key, key)
    return template.format(**{k: html.escape(str(v), quote=False) for k, v in values.items()})


@dataclass(frozen=True)
class Texts:
    """Texts bound to one language, so handlers write ``tx('feedback.saved')``."""

    language: str

    def __call__(self, key: str, /, **values: object) -> str:
        return text(self.language, key, **values)
