"""The text catalogues (services/locales/*.toml): every language says the same things, and every key
the code asks for exists."""

from __future__ import annotations

import ast
import re
import string

import pytest

from services import i18n
from tests.support.paths import ROOT

LANGUAGES = i18n.available_languages()
ENGLISH = i18n.keys("en")
# The packages whose code shows texts to people; storage/ and trust/ have none.
TEXT_PACKAGES = ("bot", "services", "cli")
_KEY = re.compile(r"^[a-z_]+(\.[a-z0-9_]+)+$")


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _literals_in_code() -> list[tuple[str, int, str]]:
    """(file, line, literal) for every string in the code that looks like a catalogue key, including
    the constant start of f-strings such as ``f"cases.status_{status}"``."""
    tables = {key.split(".")[0] for key in ENGLISH}
    found = []
    for package in TEXT_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                    literal = str(node.values[0].value)
                elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                    literal = node.value
                else:
                    continue
                if "." in literal and literal.split(".")[0] in tables and _KEY.match(literal.rstrip("._") or "x"):
                    found.append((str(path.relative_to(ROOT)), node.lineno, literal))
    return found


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_every_catalogue_has_the_same_keys_as_english(language: str) -> None:
    keys = i18n.keys(language)
    assert sorted(ENGLISH - keys) == [], f"{language} lacks these texts"
    assert sorted(keys - ENGLISH) == [], f"{language} has texts English does not"


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_every_text_has_the_same_placeholders_as_english(language: str) -> None:
    english = i18n._catalogue("en")
    other = i18n._catalogue(language)
    differ = [key for key in ENGLISH if placeholders(other[key]) != placeholders(english[key])]
    assert differ == []


def test_every_key_the_code_names_exists() -> None:
    """A literal key must exist; a literal that the code completes (``"cases.status_" + x``,
    ``f"staff.role_{role}"``, a plural base) must start at least one key."""
    literals = _literals_in_code()
    assert len(literals) > 100, "the scan finds the code's keys"
    missing = [(path, line, literal) for path, line, literal in literals
               if literal not in ENGLISH and not any(key.startswith(literal) for key in ENGLISH)]
    assert missing == []


def test_keys_built_from_definitions_exist() -> None:
    from storage.staff import ROLES
    from trust.model import CHANNEL_DEEP_LINK, CHANNEL_DIRECT, RATING_ITEMS
    from trust.settings import ATTENTION_DIMENSIONS

    built = [f"rating.{item}" for item in RATING_ITEMS]
    built += [f"staff.role_{role}" for role in ROLES]
    built += [f"digest.weekly.channel_{channel}" for channel in (CHANNEL_DEEP_LINK, CHANNEL_DIRECT)]
    built += [f"digest.weekly.what_{dimension}" for dimension in ATTENTION_DIMENSIONS]
    built += [f"digest.weekly.{dimension}_prefix" for dimension in ATTENTION_DIMENSIONS if dimension != "unit"]
    built += [f"digest.weekly.lang_{language}" for language in [*LANGUAGES, "und"]]
    built += [f"digest.weekday_{day}" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")]
    assert [key for key in built if key not in ENGLISH] == []


def test_plural_picks_one_for_exactly_one_and_other_otherwise() -> None:
    for language in ("en", "es"):
        assert i18n.plural("digest.weekly.residents", 1, language) == "digest.weekly.residents.one"
        others = [i18n.plural("digest.weekly.residents", n, language) for n in (0, 2, 21)]
        assert others == ["digest.weekly.residents.other"] * 3
    assert i18n.plural("digest.weekly.residents", 0) == "digest.weekly.residents.other", "English when unsaid"
    assert i18n.plain_text("es", i18n.plural("digest.weekly.residents", 1, "es"), n=1) == "1 residente"
    assert i18n.plain_text("en", i18n.plural("digest.weekly.residents", 5, "en"), n=5) == "5 residents"


def test_french_plural_treats_zero_as_singular() -> None:
    def residents(n: int) -> str:
        return i18n.plain_text("fr", i18n.plural("digest.weekly.residents", n, "fr"), n=n)

    assert [residents(n) for n in (0, 1, 2, 21)] == ["0 habitant", "1 habitant", "2 habitants", "21 habitants"]


def test_text_escapes_values_and_plain_text_does_not() -> None:
    assert i18n.text("en", "chart.n", n="<3") == "n=&lt;3"
    assert i18n.plain_text("en", "chart.n", n="<3") == "n=<3"


def test_unknown_languages_and_keys_fall_back() -> None:
    assert i18n.normalise_language("es-CO") == i18n.normalise_language("es_CO") == "es"
    assert i18n.normalise_language("fr-CA") == "fr"
    assert i18n.normalise_language("de") == "en"
    assert i18n.text("de", "chart.index") == "Trust Index"
    assert i18n.text("en", "no.such_key") == "no.such_key"


def test_catalogues_live_in_one_place() -> None:
    assert {path.stem for path in (ROOT / "services" / "locales").glob("*.toml")} == set(LANGUAGES)
    assert not (ROOT / "trust" / "texts.py").exists()


# What residents read in Spanish speaks to them as "usted"; staff texts speak to colleagues as "tú".
RESIDENT_SECTIONS = ("language", "privacy", "start", "feedback", "rating", "submit", "relay", "mydata", "forget",
                     "general")
# Keys outside those sections that residents read: the printed cards and posters, and what a
# follow-up case sends them (bot/case_prompts.py, bot/case_buttons.py, bot/followups.py).
RESIDENT_KEYS = ("staff.card_call", "staff.card_small", "staff.card_type", "staff.poster_title", "staff.poster_call",
                 "staff.poster_app", "staff.poster_small", "cases.to_resident", "cases.resident_answer_sent",
                 "cases.resident_reply_placeholder", "cases.resident_resolved", "cases.resident_resolved_shared",
                 "cases.help_yes", "cases.help_no", "cases.help_thanks", "cases.help_already",
                 "cases.help_no_reopened", "cases.resident_no_reply", "cases.complaint_url",
                 "cases.complaint_review")
_TU_FORMS = re.compile(
    r"\b(tú|tu|tus|te|ti|contigo|tuyo|tuya|tuyos|tuyas|eres|estás|puedes|quieres|tienes|necesitas|aceptas|escribe|"
    r"escríbelo|envía|pulsa|toca|llama|usa|elige|escanea|cuéntanos|cuéntanoslo|dinos|dilo|responde|"
    r"inténtalo|háblame|contactadme)\b",
    re.IGNORECASE,
)


def tu_forms_in_resident_texts(catalogue: dict[str, str]) -> list[tuple[str, str]]:
    """(key, word) for every tú-form word in a resident-facing text of ``catalogue``. Forms that
    also read as "he/she" ("espera", "añade") are left out: "un agente espera su respuesta" is usted."""
    return [(key, match.group(0)) for key, template in sorted(catalogue.items())
            if key.split(".")[0] in RESIDENT_SECTIONS or key in RESIDENT_KEYS
            for match in _TU_FORMS.finditer(template)]


def test_resident_keys_named_here_exist() -> None:
    assert [key for key in RESIDENT_KEYS if key not in ENGLISH] == []
    assert all(any(key.startswith(section + ".") for key in ENGLISH) for section in RESIDENT_SECTIONS)


def test_the_tu_check_finds_tu_forms() -> None:
    tu = {"privacy.notice": "Cuéntanos cómo fue tu encuentro. Si tú u otra persona están en peligro, llama ahora.",
          "general.cancelled": "Envía /start.", "cases.complaint_url": "Si quieres, puedes hacerlo aquí.",
          "staff.enroll_usage": "Envía /enroll (staff texts say tú)."}
    usted = {"privacy.notice": "Cuéntenos cómo fue su encuentro. Si usted u otra persona está en peligro, llame ahora.",
             "general.cancelled": "Envíe /start.", "cases.complaint_url": "Si quiere, puede hacerlo aquí."}
    assert tu_forms_in_resident_texts(tu) == [
        ("cases.complaint_url", "quieres"), ("cases.complaint_url", "puedes"), ("general.cancelled", "Envía"),
        ("privacy.notice", "Cuéntanos"), ("privacy.notice", "tu"), ("privacy.notice", "tú"),
        ("privacy.notice", "llama")]
    assert tu_forms_in_resident_texts(usted) == []


def test_spanish_resident_texts_use_usted() -> None:
    found = tu_forms_in_resident_texts(i18n._catalogue("es"))
    assert found == [], "Spanish texts residents read must say usted, not tú: " + ", ".join(
        f"{key} ({word})" for key, word in found)
