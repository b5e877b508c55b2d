"""Officer cards and unit posters: A4 PDFs, each QR code with its own deep link, texts from the
catalogues, names in any Latin, Greek or Cyrillic script."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from services import cards
from services.cards import deep_link, render_cards, render_poster

A4_MEDIABOX = re.compile(rb"/MediaBox\s*\[\s*0(?:\.0+)?\s+0(?:\.0+)?\s+595\.2\d\s+841\.89\s*\]")


def pdf_text(pdf: bytes) -> str | None:
    """The PDF's text, lines joined by spaces, where PyMuPDF is installed (it is not a dependency),
    else None."""
    try:
        import pymupdf
    except ImportError:
        return None
    return " ".join(" ".join(page.get_text().split()) for page in pymupdf.open(stream=pdf, filetype="pdf"))


def test_a_deep_link_opens_the_bot_with_the_token() -> None:
    assert deep_link("springfield_bot", "abc123") == "https://t.me/springfield_bot?start=abc123"


def test_cards_fill_a4_pages_of_eight_each_with_its_own_link() -> None:
    entries = [(f"Officer {i}", "D3 Patrol", f"TOK{i:02d}") for i in range(9)]
    pdf = render_cards(entries, "springfield_bot", "Springfield Police", "911", "en")
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 2, "nine cards need a second page"
    assert len(A4_MEDIABOX.findall(pdf)) in (1, 2)
    for _, _, token in entries:
        assert f"t.me/springfield_bot?start={token}".encode() in pdf


def test_a_card_with_a_name_outside_latin_1_renders_in_an_embedded_unicode_font() -> None:
    name = "Zoë Łukasiewicz-Ögün 李"
    pdf = render_cards([(name, "Centro", "K7QH-M3XP"), ("Ђорђе Παπαδόπουλος", "Centro", "ABCD-EFGH")],
                       "b", "Policía Municipal", "112", "es")
    assert pdf.startswith(b"%PDF") and b"t.me/b?start=K7QH-M3XP" in pdf
    assert b"+DejaVuSans" in pdf and b"Helvetica" not in pdf, "DejaVu from matplotlib, embedded"
    assert b"+DejaVuSansMono-Bold" in pdf or b"+DejaVuSansMonoBold" in pdf, "the code to type, monospaced"
    text = pdf_text(pdf)
    if text is not None:
        assert "Zoë Łukasiewicz-Ögün" in text and "Ђорђе Παπαδόπουλος" in text
        assert "¿Sin cámara? Escriba esto en su navegador:" in text and "t.me/b?start=K7QH-M3XP" in text


def test_a_system_font_covers_scripts_dejavu_lacks_when_there_is_one(monkeypatch: pytest.MonkeyPatch) -> None:
    import matplotlib

    serif = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSerif.ttf"
    monkeypatch.setattr(cards, "_FALLBACK_FONTS", ("/nonexistent/font.ttf", str(serif)))
    assert render_cards([("李 Wei", "Centro", "K7QH-M3XP")], "b", "Policía", "112", "es").startswith(b"%PDF")


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_unit_poster_is_one_a4_page_with_the_qr_code_and_its_link(language: str) -> None:
    pdf = render_poster("Distrito 3 · Patrulla", "K7QH-M3XP", "springfield_bot", "Springfield Police", "911", language)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1 and A4_MEDIABOX.search(pdf), "one A4 page"
    assert len(re.findall(rb"/Subtype\s*/Image", pdf)) == 1, "the QR code"
    assert b"(https://t.me/springfield_bot?start=K7QH-M3XP)" in pdf, "the QR code and the typed link open the bot"
    text = pdf_text(pdf)
    if text is not None:
        expected = {"en": ["Tell us how we did.", "Scan to talk to us on Telegram — it's anonymous.",
                           "Needs the free Telegram app."],
                    "es": ["Cuéntenos qué tal lo hicimos.", "Necesita la app gratuita de Telegram."]}[language]
        assert all(line in text for line in expected), text
        assert "Distrito 3 · Patrulla" in text and "t.me/springfield_bot?start=K7QH-M3XP" in text and "911" in text
