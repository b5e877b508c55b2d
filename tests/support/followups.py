"""Helpers for the staff and follow-up tests (no tests here): an organisation with staff of every
kind, submissions with chosen scores, a bot with the staff/follow-up handlers, and the resident
flow driven through the fake Bot API."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from sqlmodel import select

from bot import followups, handlers
from bot.app import build_application
from services.settings import FollowupSettings, Settings
from storage import feedback as store
from storage.db import Database
from storage.identity import pseudonym
from storage.models import FeedbackMessage, Staff, Submission, utcnow
from storage.models_cases import FollowupCase
from storage.units import UnitSpec, find_unit, sync_units
from tests.support.app import TEST_UNITS, point_at

RULES = FollowupSettings()
SECRET = "test-secret"  # make_settings' pseudonym secret

# Telegram ids of seeded staff (their private chat id is the same, as on Telegram).
OFFICER, COLLEAGUE, SUPERVISOR, COMMANDER, OTHER_OFFICER, REVOKED, CHIEF = 501, 502, 503, 504, 505, 507, 508
_resident_ids = itertools.count(9_000)


@dataclass(frozen=True)
class Org:
    unit_id: int  # D3-Patrol (district South)
    other_unit_id: int  # D1-Patrol (district North)
    officer: int  # staff ids
    colleague: int
    supervisor: int
    commander: int  # South district commander
    other_officer: int
    revoked: int
    chief: int  # agency-wide commander


def seed_org(db: Database) -> Org:
    def run(session: Any) -> Org:
        sync_units(session, [UnitSpec(**u) for u in TEST_UNITS])
        d3 = find_unit(session, "D3-Patrol")
        d1 = find_unit(session, "D1-Patrol")

        def person(name: str, role: str, tg: int, unit: Any = None, district: str | None = None, revoked: bool = False) -> int:
            staff = Staff(display_name=name, role=role, unit_id=unit.id if unit else None, district=district,
                          telegram_user_id=None if revoked else tg, chat_id=tg, enrolled_at=utcnow(),
                          active=not revoked, revoked_at=utcnow() if revoked else None)
            session.add(staff)
            session.flush()
            return staff.id  # type: ignore[return-value]

        return Org(
            unit_id=d3.id, other_unit_id=d1.id,
            officer=person("Olga Officer", "officer", OFFICER, d3),
            colleague=person("Carl Colleague", "officer", COLLEAGUE, d3),
            supervisor=person("Sue Supervisor", "supervisor", SUPERVISOR, d3),
            commander=person("Cmdr South", "commander", COMMANDER, district="South"),
            other_officer=person("Otto Other", "officer", OTHER_OFFICER, d1),
            revoked=person("Rex Revoked", "officer", REVOKED, d3, revoked=True),
            chief=person("Chief Agency", "commander", CHIEF),
        )

    return db.call(run)


def add_submission(
    db: Database,
    *,
    unit_id: int | None,
    officer_id: int | None = None,
    texts: tuple[str, ...] = ("It went badly.",),
    scores: tuple[float | None, ...] | None = (-0.8,),
    topics: tuple[tuple[str, ...], ...] | None = None,
    flags: tuple[tuple[str, ...], ...] | None = None,
    ratings: dict[str, int] | None = None,
    contact: bool = False,
    resident_user_id: int | None = None,
    submit: bool = True,
) -> int:
    """A resident submission with messages already scored as given (None: still pending)."""
    user_id = resident_user_id or next(_resident_ids)

    def run(session: Any) -> int:
        resident = store.record_consent(session, pseudonym(SECRET, user_id), "en")
        sub = store.open_submission(session, resident.id, unit_id=unit_id, officer_id=officer_id)
        for i, text in enumerate(texts):
            store.store_message(session, sub, telegram_message_id=1000 + i + sub.id * 100, text=text, redacted_text=text,
                                topics=list((topics or ())[i] if topics and i < len(topics) else ()),
                                flags=list((flags or ())[i] if flags and i < len(flags) else ()))
        for item, value in (ratings or {}).items():
            store.set_rating(session, sub, item, value)
        if contact:
            sub.contact_requested = True
            store.set_contact(session, resident.id, user_id)
        session.flush()
        if scores is not None:
            set_scores(session, sub.id, scores)
        if submit:
            store.submit(session, sub.id)
        return sub.id  # type: ignore[return-value]

    return db.call(run)


def set_scores(session: Any, submission_id: int, scores: tuple[float | None, ...]) -> list[int]:
    msgs = session.exec(select(FeedbackMessage).where(FeedbackMessage.submission_id == submission_id).order_by(FeedbackMessage.id)).all()
    ids = []
    for msg, score in zip(msgs, scores, strict=False):
        if score is None:
            continue
        msg.score, msg.score_status, msg.score_label = score, "scored", "negative" if score < 0 else "positive"
        ids.append(msg.id)
    session.flush()
    return ids


def case_of(db: Database, submission_id: int) -> FollowupCase | None:
    return db.call(lambda s: s.exec(select(FollowupCase).where(FollowupCase.submission_id == submission_id)).first())


def build_bot(settings: Settings, database: Database, fake_api: Any, **extra: Any) -> Any:
    """The real Application with the staff and follow-up handlers (no model), on the fake API."""
    point_at(settings, fake_api)
    if extra:
        for section, values in extra.items():
            for key, value in values.items():
                setattr(getattr(settings, section), key, value)
    return build_application(
        settings, database, extra_startup=[followups.startup], extra_handlers=[handlers.add_staff_handlers], persistence_interval=0.2
    )


# --- the resident side, through the fake Bot API ---------------------------------------------


async def resident_gives_feedback(user: Any, texts: tuple[str, ...], *, payload: str | None = None,
                                  ratings: dict[str, int] | None = None, contact: bool | None = True) -> str:
    """Consent, (card link or unit choice), feedback, ratings, contact answer (None: leave the
    question unanswered for now); returns the reference."""
    from tests.support import residents

    live = await residents.consent(user, payload)
    if payload is None:
        await residents.choose_unit(user, live, "District 3 Patrol")
    for text in texts:
        await residents.send_feedback(user, text)
    reference, final = await residents.finish(user, ratings)
    if contact is not None:
        await user.press("Yes, contact me" if contact else "No thanks", message=final)
        await residents.until(user, final, "can write to you here" if contact else "nobody will contact you")
    return reference


def submission_by_reference(db: Database, reference: str) -> Submission:
    return db.call(lambda s: s.exec(select(Submission).where(Submission.reference == reference)).one())


async def score_submission(app: Any, db: Database, reference: str, scores: tuple[float | None, ...]) -> None:
    """What the scoring worker does: write scores, then call the follow-up hook."""
    sub = submission_by_reference(db, reference)
    ids = db.call(set_scores, sub.id, scores)
    await followups.on_messages_scored(app, ids)
