"""Redact personal data before staff read a message.

Staff need the substance of a complaint, not the resident's phone number or someone's licence plate.
Redaction is rule-based and deliberately conservative about *ordinary* text: a feedback line like
"Unit 3 came at 10:30 with 2 officers, D3-Patrol was great" must reach staff unchanged, so every
rule needs a distinctive shape (enough digits, a known plate layout, a keyword) before it fires.

Replacements: ``[email]``, ``[link]``, ``[phone]``, ``[number]`` (IDs, card/bank numbers, long
digit runs), ``[plate]``, ``[handle]``. Rules run in a fixed order (the more specific first) over
the already-redacted text, and placeholders contain no digits, so redaction is idempotent.

Not covered (by design, see docs/model-quality.md): names and street addresses; lower-case or
spaced plates without a keyword such as "plate"/"matrícula" nearby; dotted 3.3.3 numbers written
as amounts.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Replacer = Callable[[re.Match[str]], str]

EMAIL, LINK, PHONE, NUMBER, PLATE, HANDLE = "[email]", "[link]", "[phone]", "[number]", "[plate]", "[handle]"

# --- e-mail, links, handles ---------------------------------------------------------------------
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,24}(?![\w@])")

_TRAILING_PUNCT = ".,;:!?)]}'\"»”’"
_URL_SCHEME = re.compile(r"(?i)(?<![\w@])(?:https?://|www\.)[^\s<>\"']+")
# Bare domains: generic TLDs anywhere; country TLDs only with a path or a second level (co.uk,
# gob.mx) because "there.It" / "fue.es" typos would otherwise look like domains.
_GENERIC_TLD = r"(?:com|org|net|gov|edu|mil|info|biz|io|app)"
_CC_TLD = r"(?:[a-z]{2})"
_BARE_DOMAIN = re.compile(
    rf"(?i)(?<![\w@.\-/])(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+"
    rf"(?:{_GENERIC_TLD}(?:\.{_CC_TLD})?(?![\w-])(?:/[^\s<>\"']*)?"
    rf"|(?:co|com|gob|gov|gouv|org|ac)\.{_CC_TLD}(?![\w-])(?:/[^\s<>\"']*)?"
    rf"|{_CC_TLD}/[^\s<>\"']*)"
)
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z][A-Za-z0-9_]{1,31}(?![\w@])")


def _link(match: re.Match[str]) -> str:
    """Replace a link but keep trailing sentence punctuation outside the placeholder."""
    text = match.group(0)
    stripped = text.rstrip(_TRAILING_PUNCT)
    # Keep a closing bracket that belongs to the URL itself, e.g. wiki/Foo_(bar).
    while stripped != text and text[len(stripped)] == ")" and stripped.count("(") > stripped.count(")"):
        stripped += ")"
    return LINK + text[len(stripped) :]


# --- identifiers: bank accounts, cards, ID documents --------------------------------------------
_IBAN = re.compile(r"(?<![\w-])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?(?![\w-])")
_CARD = re.compile(r"(?<![\w.-])(?:\d{4}(?:[ -]\d{4}){3}|\d{4}[ -]\d{6}[ -]\d{5})(?![\w-]|\.\d)")
_NATIONAL_ID = re.compile(
    r"(?i)(?<![\w-])(?:\d{8}-?[a-z]|[xyz]-?\d{7}-?[a-z])(?![\w-])"  # Spanish DNI / NIE
    r"|(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])"  # US SSN
)


def _iban(match: re.Match[str]) -> str:
    return NUMBER if sum(c.isdigit() for c in match.group(0)) >= 10 else match.group(0)


# --- licence plates ------------------------------------------------------------------------------
# Shapes are upper case (how plates are written) and need letters *and* digits in a fixed layout;
# spaced layouts that shouting text can produce ("WAS 100 KM") are matched only next to a keyword.
_SPANISH_CONSONANTS = "BCDFGHJKLMNPRSTVWXYZ"
_PLATE_SHAPES = re.compile(
    r"(?<![\w\-\[])(?:"
    r"[A-Z]{2}\d{2} ?[A-Z]{3}"  # UK: AB12 CDE
    rf"|\d{{4}}[ -]?[{_SPANISH_CONSONANTS}]{{3}}"  # ES since 2000: 1234 BCD
    r"|[A-Z]{1,2}-\d{4}-[A-Z]{1,2}|[A-Z]{1,2}\d{4}[A-Z]{1,2}"  # ES old: M-1234-AB
    r"|[A-Z]{2}-\d{3}-[A-Z]{2}|[A-Z]{2}\d{3}[A-Z]{2}"  # FR/IT: AB-123-CD
    r"|[A-ZÄÖÜ]{1,3}-[A-Z]{1,2} ?\d{1,4}[EH]?"  # DE: B-MW 1234
    r"|[A-Z]{3}-?(?!(?:19|20)\d\d(?!\d))\d{3,4}|\d[A-Z]{3}\d{3}"  # US: ABC-1234, ABC123, 7ABC123 (not CVE-2024)
    r")(?![\w\-\]])"
)
# Compact layouts distinctive enough to accept in lower case too.
_PLATE_COMPACT_ANY_CASE = re.compile(
    rf"(?i)(?<![\w\-\[])(?:[a-z]{{2}}\d{{2}}[a-z]{{3}}|\d{{4}}[{_SPANISH_CONSONANTS.lower()}]{{3}})(?![\w\-\]])"
)
_PLATE_KEYWORD = re.compile(
    r"(?i)(?<!\w)(?:licen[cs]e[ -]plates?|number[ -]plates?|plates?|registration|tag number|"
    r"matr[ií]cula|placas?|patente|plaque(?: d'immatriculation)?|immatriculation|kennzeichen|nummernschild)"
    r"(?:\s*(?:number|no\.?|nr\.?|n[º°o]\.?|#|:|is|was|es|era|de|est|ist|war|was)\b\.?)*\s*:?\s*"
    r"(?P<plate>[A-Za-z0-9ÄÖÜäöü]{1,4}(?:[ -][A-Za-z0-9ÄÖÜäöü]{1,4}){0,3})"
)


_STOPWORDS = frozenset(
    "a an and at by for in is it of on or the to was with near de del el en la las los y que con por "
    "et le les des du un une est au der die das und ist war im am an auf mit bei".split()
)


def _plate_after_keyword(match: re.Match[str]) -> str:
    """Redact the token after "plate"/"matrícula"/... if it looks like a plate (letters and digits)."""
    chunks = re.split(r"([ -])", match.group("plate"))
    # Drop trailing chunks that are ordinary words ("plate ABC 123 was"): lower-case function words,
    # or any lower-case run of 4+ letters (plate letter groups have at most 3).
    while len(chunks) > 1 and chunks[-1].isalpha() and chunks[-1].islower() and (
        chunks[-1] in _STOPWORDS or len(chunks[-1]) >= 4
    ):
        chunks = chunks[:-2]
    plate = "".join(chunks)
    compact = re.sub(r"[ -]", "", plate)
    if not (4 <= len(compact) <= 10 and any(c.isdigit() for c in compact) and any(c.isalpha() for c in compact)):
        return match.group(0)
    start = match.start("plate") - match.start()
    rest = match.group("plate")[len(plate) :]
    return match.group(0)[:start] + PLATE + rest


# --- phone numbers and long digit runs -----------------------------------------------------------
_PHONE_CANDIDATE = re.compile(
    r"(?<![\w+@/#=.\-\[])(?:\+|(?<!\d)00)?(?:\(\d{1,5}\)[ .\-]?)?\d+"
    r"(?:[ .\-/]\d+| ?\(\d{1,5}\) ?\d+)*(?![\w\]]|[.\-/]\d)"
)
_PHONE_WORDS = re.compile(
    r"(?i)(?:phone|tel|telephone|mobile|cell|call(?: me)?(?: on| at)?|text(?: me)?|whats ?app|"
    r"tel[eé]fono|tlf|m[oó]vil|celular|ll[aá]ma(?:me)?|t[eé]l[eé]phone|portable|handy|telefon|nummer)"
    r"\s*(?:n[uú]mero|number|no\.?|nr\.?|#|is|es|:)?\s*[:.]?\s*$"
)
_CURRENCY_AFTER = re.compile(r"(?i)^\s?(?:€|\$|£|euros?|eur|dollars?|usd|pesos?|pounds?|libras?|francs?)\b")
_CURRENCY_BEFORE = re.compile(r"(?i)(?:€|\$|£|eur|usd)\s?$")
_DATE = re.compile(r"^\d{1,4}([./\-])\d{1,2}\1\d{1,4}$")
_TIME_RANGE = re.compile(r"^\d{1,2}[.:]\d{2}(?:\s?-\s?\d{1,2}[.:]\d{2})?$")
_DECIMAL = re.compile(r"^\d+\.\d+$")
_THOUSANDS = re.compile(r"^(\d{1,3})(?:\.\d{3})+$")
_DIGIT_RUN = re.compile(r"(?<!\w)(?<!\d[.,])\d{6,}(?!\w|[.,]\d)")


def _is_phone_like(candidate: str, before: str, after: str) -> str | None:
    """Classify a digit group sequence: PHONE, NUMBER, or None (leave the text alone)."""
    digits = sum(c.isdigit() for c in candidate)
    intl = candidate.startswith(("+", "00"))
    groups = re.findall(r"\d+", candidate)
    separated = len(groups) > 1 or "(" in candidate
    keyword = bool(_PHONE_WORDS.search(before[-30:]))
    if _CURRENCY_AFTER.match(after) or _CURRENCY_BEFORE.search(before):
        return None  # an amount of money, not a number to hide
    if _DATE.match(candidate) or _TIME_RANGE.match(candidate):
        return None
    if _DECIMAL.match(candidate) and not keyword:
        return None  # 3.14159 / 12.5
    thousands = _THOUSANDS.match(candidate)
    if thousands and (len(thousands.group(1)) < 3 or len(groups) != 3) and not keyword:
        return None  # 1.500.000 / 12.500 - a quantity written with dots
    if len(groups) == 2 and "-" in candidate and len(groups[0]) == len(groups[1]) and not keyword:
        return None  # a range like 1000-2000
    if len(groups) > 1 and all(len(g) == 4 and g[:2] in ("19", "20") for g in groups):
        return None  # a list of years
    if digits > 15:
        return NUMBER
    if intl and digits >= 8:
        return PHONE
    if separated and digits >= 7:
        return PHONE
    if not separated and digits >= 7 and keyword:
        return PHONE
    return None  # contiguous runs are left to the digit-run rule ([number])


def _phone(match: re.Match[str]) -> str:
    text = match.string
    kind = _is_phone_like(match.group(0), text[: match.start()], text[match.end() :])
    return kind if kind else match.group(0)


def _digit_run(match: re.Match[str]) -> str:
    text = match.string
    if _CURRENCY_AFTER.match(text[match.end() :]) or _CURRENCY_BEFORE.search(text[: match.start()]):
        return match.group(0)
    return NUMBER


_RULES: tuple[tuple[re.Pattern[str], str | Replacer], ...] = (
    (_EMAIL, EMAIL),
    (_URL_SCHEME, _link),
    (_BARE_DOMAIN, _link),
    (_IBAN, _iban),
    (_CARD, NUMBER),
    (_NATIONAL_ID, NUMBER),
    (_PLATE_KEYWORD, _plate_after_keyword),
    (_PLATE_SHAPES, PLATE),
    (_PLATE_COMPACT_ANY_CASE, PLATE),
    (_PHONE_CANDIDATE, _phone),
    (_DIGIT_RUN, _digit_run),
    (_HANDLE, HANDLE),
)


def redact(text: str) -> str:
    """Return ``text`` with personal data replaced by placeholders (see module docstring)."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text
