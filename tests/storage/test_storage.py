"""Storage: migrations, the migration gate, idempotent message storage, erasure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel, select

import storage.tables  # noqa: F401
from storage import feedback as store
from storage import units
from storage.db import Database, DatabaseNotReady, check_migrated
from storage.identity import pseudonym
from storage.models import FeedbackMessage, Resident, ResidentContact, utcnow
from storage.units import UnitSpec, create_token, resolve_token, revoke_token, sync_units


def test_migrations_create_exactly_the_declared_schema(database: Database) -> None:
    with database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), SQLModel.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"


def test_bot_refuses_an_unmigrated_database(db_url: str) -> None:
    db = Database(db_url)
    with pytest.raises(DatabaseNotReady, match="trustline db upgrade"):
        check_migrated(db.engine)
    db.dispose()


def _resident_with_submission(session, name: str = "a"):  # type: ignore[no-untyped-def]
    resident = store.record_consent(session, pseudonym("k", hash(name) % 10_000), "en")
    sub = store.open_submission(session, resident.id, unit_id=None)
    return resident, sub


def test_redelivered_update_is_stored_once(database: Database) -> None:
    def scenario(session):  # type: ignore[no-untyped-def]
        _, sub = _resident_with_submission(session)
        first = store.store_message(session, sub, telegram_message_id=7, text="hi", redacted_text="hi", topics=[], flags=[])
        again = store.store_message(session, sub, telegram_message_id=7, text="hi", redacted_text="hi", topics=[], flags=[])
        return first, again

    first, again = database.call(scenario)
    assert first.created and not again.created and first.message_id == again.message_id
    assert len(database.call(lambda s: s.exec(select(FeedbackMessage)).all())) == 1


def test_references_are_short_and_unambiguous(database: Database) -> None:
    refs = database.call(lambda s: {store.new_reference(s) for _ in range(50)})
    for ref in refs:
        assert ref.startswith("TL-") and len(ref) == 7
        assert not set(ref[3:]) & set("01OI")


def test_forget_erases_text_ratings_and_contact(database: Database) -> None:
    def scenario(session):  # type: ignore[no-untyped-def]
        resident, sub = _resident_with_submission(session)
        store.store_message(session, sub, telegram_message_id=1, text="secret words", redacted_text="x", topics=[], flags=[])
        store.set_rating(session, sub, "respect", 3)
        store.set_contact(session, resident.id, 555)
        return resident.pseudonym

    pseud = database.call(scenario)
    assert database.call(store.forget_resident, pseud) is True
    assert database.call(lambda s: s.exec(select(FeedbackMessage)).all()) == []
    assert database.call(lambda s: s.exec(select(ResidentContact)).all()) == []
    assert database.call(lambda s: s.exec(select(Resident)).all()) == []
    assert database.call(store.forget_resident, pseud) is False


def test_original_text_is_purged_after_retention_but_redacted_copy_stays(database: Database) -> None:
    def scenario(session):  # type: ignore[no-untyped-def]
        _, sub = _resident_with_submission(session)
        store.store_message(session, sub, telegram_message_id=1, text="call 555-123-4567", redacted_text="call [phone]",
                            topics=[], flags=[], received_at=utcnow() - timedelta(days=200))
        store.store_message(session, sub, telegram_message_id=2, text="recent", redacted_text="recent", topics=[], flags=[])

    database.call(scenario)
    assert database.call(store.purge_expired_text, timedelta(days=180)) == 1
    rows = database.call(lambda s: s.exec(select(FeedbackMessage).order_by(FeedbackMessage.id)).all())
    assert rows[0].text is None and rows[0].redacted_text == "call [phone]" and rows[0].text_purged_at
    assert rows[1].text == "recent"


def test_revoked_or_unknown_tokens_resolve_to_nothing(database: Database) -> None:
    def scenario(session):  # type: ignore[no-untyped-def]
        (unit,) = sync_units(session, [UnitSpec("D1", "District 1", "North")])
        good = create_token(session, unit_id=unit.id)
        bad = create_token(session, unit_id=unit.id)
        revoke_token(session, bad.token)
        return unit.id, good.token, bad.token

    unit_id, good, bad = database.call(scenario)
    target = database.call(resolve_token, good)
    assert target is not None and target.unit_id == unit_id
    assert database.call(resolve_token, bad) is None
    assert database.call(resolve_token, "no-such-token") is None
    assert database.call(resolve_token, "bad token with spaces!") is None
    assert database.call(resolve_token, "x" * 65) is None


def test_pseudonyms_are_keyed_and_stable() -> None:
    assert pseudonym("k1", 42) == pseudonym("k1", 42)
    assert pseudonym("k1", 42) != pseudonym("k2", 42)
    assert "42" not in pseudonym("k1", 42)


def test_a_walked_away_submission_is_submitted_and_an_empty_one_dropped(database: Database) -> None:
    from storage.models import Submission

    def scenario(session):  # type: ignore[no-untyped-def]
        _, with_text = _resident_with_submission(session, "walked-away")
        store.store_message(session, with_text, telegram_message_id=1, text="left mid-way", redacted_text="x",
                            topics=[], flags=[], received_at=utcnow() - timedelta(hours=3))
        _, empty = _resident_with_submission(session, "never-wrote")
        empty.created_at = utcnow() - timedelta(hours=3)
        _, fresh = _resident_with_submission(session, "still-typing")
        store.store_message(session, fresh, telegram_message_id=1, text="typing", redacted_text="x", topics=[], flags=[])

    database.call(scenario)
    assert database.call(store.close_idle_submissions, timedelta(hours=1)) == 2
    statuses = sorted(s.status for s in database.call(lambda s: s.exec(select(Submission)).all()))
    assert statuses == ["open", "submitted"], "the empty one is gone, the fresh one still open"


def test_a_contact_choice_applies_only_to_the_residents_own_submission(database: Database) -> None:
    def scenario(session):  # type: ignore[no-untyped-def]
        resident, sub = _resident_with_submission(session, "a")
        other, _ = _resident_with_submission(session, "b")
        forged = store.set_contact_choice(session, other.id, sub.reference, True, 222)
        unknown = store.set_contact_choice(session, resident.id, "TL-NONE", True, 111)
        declined = store.set_contact_choice(session, resident.id, sub.reference, False, 111)
        contacts_after_declining = len(session.exec(select(ResidentContact)).all())
        accepted = store.set_contact_choice(session, resident.id, sub.reference, True, 111)
        return forged, unknown, declined, contacts_after_declining, accepted, sub.contact_requested, resident.id

    forged, unknown, declined, contacts_after_declining, accepted, requested, resident_id = database.call(scenario)
    assert (forged, unknown, declined, accepted) == (False, False, True, True)
    assert contacts_after_declining == 0 and requested
    (contact,) = database.call(lambda s: s.exec(select(ResidentContact)).all())
    assert (contact.resident_id, contact.chat_id) == (resident_id, 111)


def test_unit_lookups_for_views_and_access_rules(database: Database) -> None:
    def scenario(session):  # type: ignore[no-untyped-def]
        north, south = sync_units(session, [UnitSpec("N1", "North One", "North"), UnitSpec("S1", "South One", "South")])
        south.active = False  # retired units still resolve: old cases point at them
        return (
            units.get_unit(session, north.id).code,  # type: ignore[union-attr]
            units.get_unit(session, None),
            units.unit_districts(session),
            units.target_names(session, south.id, None),
            units.target_names(session, None, None),
        )

    code, nothing, districts, names, no_names = database.call(scenario)
    assert code == "N1" and nothing is None
    assert districts == {"N1": "North", "S1": "South"}
    assert names == ("South One", None) and no_names == (None, None)
