"""Officer cards: an A4 PDF, eight cards a page, each with its own deep link."""

from __future__ import annotations

import re

from services.cards import deep_link, render_cards


def test_a_deep_link_opens_the_bot_with_the_token() -> None:
    assert deep_link("springfield_bot", "abc123") == "https://t.me/springfield_bot?start=abc123"


def test_cards_fill_a4_pages_of_eight_each_with_its_own_link() -> None:
    entries = [(f"Officer {i}", "D3 Patrol", f"tok{i:02d}") for i in range(9)]
    pdf = render_cards(entries, "springfield_bot", "Springfield Police", "911", "en")
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 2, "nine cards need a second page"
    for _, _, token in entries:
        assert f"t.me/springfield_bot?start={token}".encode() in pdf


def test_names_outside_latin_1_do_not_break_the_sheet() -> None:
    pdf = render_cards([("Ђорђе Łukasz", "Centro", "tok")], "b", "Policía", "112", "es")
    assert pdf.startswith(b"%PDF") and b"t.me/b?start=tok" in pdf
