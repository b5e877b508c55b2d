"""A small, made-up agency for ``trustline demo``: units, enrolled staff, a staff group, weeks of
feedback and one open follow-up case.

Everything is deterministic (a fixed random seed, fixed Telegram ids) and relative to "now", so
``/digest`` always has last week to talk about. Staff are invited and enrolled, and the staff
group registered, with the same storage functions ``trustline staff ...`` uses; feedback goes
through ``storage.feedback`` as the resident flow stores it, then the rollups are rebuilt once.
None of this is real data: every sentence below was written for the demo.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from services.settings import FollowupSettings, Settings
from storage import cases, rollups
from storage import feedback as store
from storage import staff as staff_store
from storage.db import Database
from storage.digests import staff_chat
from storage.models import FeedbackMessage, Rating, Resident, StaffChat, Submission
from storage.units import UnitSpec, find_unit, sync_units
from trust.periods import parse_period, period_of, shift_period

DEMO_UNITS = (
    UnitSpec("N-Patrol", "North Patrol", "North"),
    UnitSpec("N-Traffic", "North Traffic", "North"),
    UnitSpec("S-Patrol", "South Patrol", "South"),
    UnitSpec("S-Community", "South Community Desk", "South"),
)


@dataclass(frozen=True)
class Person:
    """A fake Telegram account; its private chat id equals its user id, as on Telegram."""

    user_id: int
    first_name: str
    last_name: str
    username: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class Cast:
    """Who appears in the demo's three panes (fixed ids, so a reused ``--db`` still fits)."""

    resident: Person = Person(7_100_001, "Ana", "Rojas", "ana_r")
    officer: Person = Person(7_100_002, "Olga", "Reyes", "officer_olga")
    supervisor: Person = Person(7_100_003, "Sam", "Ortiz", "sgt_sam")
    commander: Person = Person(7_100_004, "Carmen", "Diaz", "cmdr_carmen")
    staff_group_id: int = -1_007_100_000_001
    staff_group_title: str = "Commanders (demo)"
    officer_unit: str = "S-Patrol"


@dataclass(frozen=True)
class SeedSummary:
    created: bool  # False: this database already had the demo agency
    units: int
    staff: int
    messages: int
    case_reference: str | None


# Mean sentiment per unit, and residents writing about it per week: South Patrol slips in the
# last week, so /attention has something to say.
_UNIT_MEAN = {"N-Patrol": 0.35, "N-Traffic": -0.05, "S-Patrol": 0.2, "S-Community": 0.45}
_UNIT_SIZE = {"N-Patrol": 9, "N-Traffic": 6, "S-Patrol": 10, "S-Community": 4}
_LAST_WEEK_DROP = {"S-Patrol": 0.6}
_TOPICS = ("response_time", "respect", "traffic_stops", "noise", "theft", "patrols")
_NEGATIVE = (
    "Waited over an hour for anyone to come after I called about the break-in.",
    "The officer shouted at my son and would not listen.",
    "Nobody answered when I reported the noise again.",
    "I was stopped for no reason and treated like a criminal.",
    "They said they would call back and never did.",
    "Patrols never come down our street after dark.",
)
_POSITIVE = (
    "The officer was kind and explained everything.",
    "Quick response, thank you to the team on the corner of Elm Street.",
    "I felt listened to when I reported the theft.",
    "Friendly patrol, my neighbours feel safer.",
)
_CASE_TEXT = (
    "I called about a fight outside the bakery on Friday night. The officer who came was rude, "
    "would not take my statement and left after two minutes."
)
_RATING_ITEMS = ("respect", "listening", "fairness", "safety")


def seed_demo(db: Database, settings: Settings, cast: Cast = Cast(), *, weeks: int = 8, now: datetime | None = None) -> SeedSummary:
    """Create the demo agency in ``db`` (migrated already). Idempotent: a database that already
    has the demo's staff group is left alone."""
    return db.call(_seed, settings, cast, weeks, now or datetime.now(UTC))


def _seed(session: Session, settings: Settings, cast: Cast, weeks: int, now: datetime) -> SeedSummary:
    if staff_chat(session, cast.staff_group_id) is not None:
        return SeedSummary(False, len(DEMO_UNITS), 3, 0, None)
    sync_units(session, DEMO_UNITS)
    officer = _enrol(session, cast.officer, "officer", unit_code=cast.officer_unit)
    _enrol(session, cast.supervisor, "supervisor", unit_code=cast.officer_unit)
    commander = _enrol(session, cast.commander, "commander")
    staff_store.register_chat(
        session, cast.staff_group_id, title=cast.staff_group_title, scope_kind="agency", scope_value=None,
        registered_by=commander, actor="cli",
    )
    tz = settings.agency.tz
    count = _seed_weeks(session, shift_period(period_of(now, tz), -1), weeks, tz)
    reference = _open_case(session, cast, officer, now - timedelta(hours=3), settings.followup)
    # One rebuild instead of a refresh per resident-week: the rollups the digest reads.
    config = rollups.RollupConfig.of(settings.agency.timezone, settings.trust)
    if not rollups.ensure_config(session, config):
        rollups.rebuild(session, config)
    return SeedSummary(True, len(DEMO_UNITS), 3, count + 1, reference)


def _enrol(session: Session, person: Person, role: str, *, unit_code: str | None = None) -> int:
    """Invite and enrol, exactly as `trustline staff invite` + the person's /enroll CODE would."""
    invitation = staff_store.invite(session, role=role, hours=1, unit_code=unit_code, name=person.full_name)
    outcome = staff_store.redeem_code(session, invitation.code, person.user_id, person.user_id, person.full_name)
    if outcome.status != "ok" or outcome.staff_id is None:
        raise RuntimeError(f"could not enrol the demo {role}: {outcome.status}")
    return outcome.staff_id


def _seed_weeks(session: Session, last_period: str, weeks: int, tz: Any) -> int:
    """``weeks`` weeks of scored feedback ending with ``last_period``; returns the message count.

    Rows are built in memory and flushed three times (residents, submissions, the rest): one
    ORM round trip per message took seconds on a busy laptop, and the demo should start at once.
    """
    rng = random.Random(7)
    unit_ids = {spec.code: _unit_id(session, spec.code) for spec in DEMO_UNITS}
    residents = [Resident(pseudonym=f"demo-resident-{i:03d}", language="en") for i in range(120)]
    session.add_all(residents)
    session.flush()
    planned: list[tuple[Submission, str, float, list[str], dict[str, int]]] = []
    first = shift_period(last_period, -(weeks - 1))
    for week in range(weeks):
        period = shift_period(first, week)
        monday = datetime.combine(parse_period(period).monday, datetime.min.time(), tzinfo=tz)
        for code, mean in _UNIT_MEAN.items():
            if period == last_period:
                mean -= _LAST_WEEK_DROP.get(code, 0.0)
            for resident in rng.sample(residents, max(1, _UNIT_SIZE[code] + rng.randint(-2, 2))):
                when = (monday + timedelta(minutes=rng.randrange(7 * 24 * 60))).astimezone(UTC)
                score = round(max(-1.0, min(1.0, rng.gauss(mean, 0.35))), 3)
                topics = sorted(set(rng.sample(_TOPICS, rng.choice((1, 1, 2)))))
                ratings = {item: max(0, min(10, round(5 * (1 + score) + rng.gauss(0, 1)))) for item in _RATING_ITEMS} if rng.random() < 0.4 else {}
                sub = Submission(
                    reference=f"TL-D{len(planned):04d}", resident_id=resident.id, unit_id=unit_ids[code],  # type: ignore[arg-type]
                    status="submitted", created_at=when, submitted_at=when,
                )
                planned.append((sub, rng.choice(_NEGATIVE if score < 0 else _POSITIVE), score, topics, ratings))
    session.add_all([p[0] for p in planned])
    session.flush()
    for n, (sub, text, score, topics, ratings) in enumerate(planned, start=1):
        # No scored_revision: the worker would otherwise "re-score" every synthetic row with the model.
        session.add(FeedbackMessage(
            submission_id=sub.id, resident_id=sub.resident_id, telegram_message_id=n, unit_id=sub.unit_id,  # type: ignore[arg-type]
            text=text, redacted_text=text, topics=topics, flags=[], received_at=sub.created_at,
            score_status="scored", score=score, score_label=_label(score),
        ))
        session.add_all([
            Rating(submission_id=sub.id, resident_id=sub.resident_id, item=item, value=value, created_at=sub.created_at)  # type: ignore[arg-type]
            for item, value in ratings.items()
        ])
    session.flush()
    return len(planned)


def _label(score: float) -> str:
    return "negative" if score < -0.2 else "positive" if score > 0.2 else "neutral"


def _unit_id(session: Session, code: str) -> int:
    unit = find_unit(session, code)
    assert unit is not None and unit.id is not None
    return unit.id


def _open_case(session: Session, cast: Cast, officer_id: int, when: datetime, rules: FollowupSettings) -> str | None:
    """A recent, clearly negative report about the demo officer, stored as the resident flow
    stores one: the follow-up case the officer's pane is prompted with at start-up."""
    resident = store.record_consent(session, "demo-resident-case", "en")
    sub = store.open_submission(session, resident.id, unit_id=_unit_id(session, cast.officer_unit), officer_id=officer_id)  # type: ignore[arg-type]
    stored = store.store_message(
        session, sub, telegram_message_id=1, text=_CASE_TEXT, redacted_text=_CASE_TEXT,
        topics=["respect", "response_time"], flags=[], received_at=when,
    )
    row = session.get(FeedbackMessage, stored.message_id)
    assert row is not None
    row.score, row.score_status, row.score_label = -0.86, "scored", "negative"
    for item, value in {"respect": 1, "listening": 2}.items():
        store.set_rating(session, sub, item, value)
    store.submit(session, sub.id)  # type: ignore[arg-type]
    outcome = cases.evaluate_submission(session, sub.id, rules)  # type: ignore[arg-type]
    return cases.case_reference(session, outcome.case_id) if outcome.case_id is not None else None


def demo_chat(session: Session, cast: Cast) -> StaffChat | None:
    """The registered commanders' group (for tests and the start-up banner)."""
    return session.exec(select(StaffChat).where(StaffChat.chat_id == cast.staff_group_id)).first()
