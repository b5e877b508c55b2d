"""Redaction of personal data for staff eyes, and no over-redaction of ordinary feedback."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nlp.redact import redact


@pytest.mark.parametrize(
    "text",
    [
        "Unit 3 arrived at 10:30 with 2 officers, D3-Patrol was great",
        "On 12/05/2024 at 10:30 the officers came",
        "It happened on 2023-05-01 around 9-5",
        "Between 1000-2000 people were at the march",
        "They asked for 1.500.000 euros",
        "He paid 250000 pesos",
        "Case number 12345, badge 4521, patrol car no. 12",
        "COVID-19 rules, MP3 player, A320, 4K video, open 24/7",
        "WAS 100 METERS AWAY AND THE COP HIT ME 3 TIMES",
        "I was there.It was bad, e.g. the lights, i.e. the street",
        "pi is 3.14159265 and the meeting is from 10.30-11.30",
        "Postcode SW1A 1AA, route 66, call 911 or 112",
        "The plate was dirty and the tag was missing",
        "la placa 4521 del agente",
        "We met in 2019 2020 and 2021",
        "Rating: 5 stars, 10/10 would recommend",
        "CVE-2024 is not a plate",
    ],
)
def test_ordinary_feedback_is_left_untouched(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call me on +34 612 34 56 78", "Call me on [phone]"),
        ("my number is (555) 123-4567.", "my number is [phone]."),
        ("ring 020 7946 0958 please", "ring [phone] please"),
        ("mon portable 06 12 34 56 78", "mon portable [phone]"),
        ("+447700900123", "[phone]"),
        ("0044 7700 900123", "[phone]"),
        ("Tel. 030/1234567", "Tel. [phone]"),
        ("call me 612345678", "call me [phone]"),
        ("555-1234 is my landline", "[phone] is my landline"),
        ("mi teléfono: 612.345.678", "mi teléfono: [phone]"),
    ],
)
def test_phone_numbers_in_international_and_local_formats_are_redacted(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("email me at john.doe+x@example.co.uk.", "email me at [email]."),
        ("see https://example.com/a?b=1)", "see [link])"),
        ("(see https://en.wikipedia.org/wiki/Foo_(bar))", "(see [link])"),
        ("www.police.gov and t.me/somebody", "[link] and [link]"),
        ("visit policia.gob.mx for info", "visit [link] for info"),
        ("@john_doe said hi to @Ann", "[handle] said hi to [handle]"),
        ("write to x@y.com, not @xy", "write to [email], not [handle]"),
    ],
)
def test_emails_links_and_handles_are_redacted(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a car AB12 CDE drove off", "a car [plate] drove off"),
        ("a car ab12cde drove off", "a car [plate] drove off"),
        ("coche 1234 BCD", "coche [plate]"),
        ("coche 1234-bcd rojo".upper(), "COCHE [PLATE] ROJO".replace("[PLATE]", "[plate]")),
        ("old plate M-1234-AB", "old plate [plate]"),
        ("voiture AB-123-CD", "voiture [plate]"),
        ("Auto B-MW 1234 parkt", "Auto [plate] parkt"),
        ("truck ABC-1234 and ABC123", "truck [plate] and [plate]"),
        ("California 7ABC123", "California [plate]"),
        ("the plate was xyz 987 and", "the plate was [plate] and"),
        ("licence plate: ab 123 cd", "licence plate: [plate]"),
        ("matrícula 1234bcd", "matrícula [plate]"),
        ("Kennzeichen M AB 123", "Kennzeichen [plate]"),
    ],
)
def test_licence_plates_are_redacted(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ID 1234567", "ID [number]"),
        ("card 4111 1111 1111 1111", "card [number]"),
        ("card 4111-1111-1111-1111.", "card [number]."),
        ("DNI 12345678Z", "DNI [number]"),
        ("NIE X1234567L", "NIE [number]"),
        ("SSN 123-45-6789", "SSN [number]"),
        ("IBAN ES91 2100 0418 4502 0005 1332", "IBAN [number]"),
        ("order 98765432109876543", "order [number]"),
    ],
)
def test_ids_card_numbers_and_long_digit_runs_are_redacted(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_a_message_with_everything_keeps_its_meaning() -> None:
    text = "Officer at Unit 3 was rude at 10:30. Call me on +1 (555) 123-4567 or mail a@b.org, car AB12 CDE."
    assert redact(text) == "Officer at Unit 3 was rude at 10:30. Call me on [phone] or mail [email], car [plate]."


_ordinary = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZáéñüç ,;:!?'-()")), max_size=200
)


@given(_ordinary)
def test_text_without_digits_at_signs_or_dots_is_never_changed(text: str) -> None:
    assert redact(text) == text


@given(st.text(max_size=200))
def test_redaction_is_idempotent(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


@given(st.from_regex(r"\+[1-9]\d \d{3} \d{3} \d{3}", fullmatch=True), _ordinary, _ordinary)
def test_an_international_phone_number_never_survives(number: str, before: str, after: str) -> None:
    out = redact(f"{before} {number} {after}")
    assert number not in out
    assert "[phone]" in out
