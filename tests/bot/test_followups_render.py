"""The case prompt staff see: however big the case, one valid Telegram message."""

from __future__ import annotations

from types import SimpleNamespace

from bot.case_prompts import render_case
from fakeapi.formatting import parse_html, utf16_len
from services.i18n import Texts
from storage.cases import CaseView, MessageView, NoteView
from storage.models import utcnow
from tests.support.app import make_settings


def test_a_huge_case_still_fits_one_valid_telegram_message() -> None:
    now = utcnow()
    view = CaseView(
        id=1, reference="TL-ABCD", status="open", sensitive=True, reasons=["score", "rating", "topic"],
        topics=["use_of_force", "rudeness"], min_score=-0.9, min_rating=1, unit_id=1, unit_code="D3-Patrol",
        unit_name="District 3 Patrol", unit_district="South", officer_id=2, officer_name="Olga <Officer> & Co",
        assignee_id=3, assignee_name="Sue", assignee_role="supervisor", received_at=now, resident="R-abcdef",
        contact_requested=True, can_reply=True, resident_erased=False, escalations=2, helpful=None,
        messages=[MessageView(now, "<b>&amp; " * 300, -0.9, "scored", []) for _ in range(20)],
        notes=[NoteView("handover", "Sue & <Sam>", "& <i>" * 400, now, "none", False) for _ in range(12)],
    )
    rt = SimpleNamespace(settings=make_settings("sqlite://"))
    for budget in (3900, 3500):
        text = render_case(Texts("en"), rt, view, viewer_id=3, budget=budget)  # type: ignore[arg-type]
        parsed = parse_html(text)  # raises like Telegram on broken markup
        assert utf16_len(parsed.text) <= 4096 and len(text) <= budget + 100
        assert "TL-ABCD" in text and "-0.90" in text and "Olga &lt;Officer&gt; &amp; Co" in text
