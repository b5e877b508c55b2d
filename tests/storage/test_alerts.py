"""Storage for duty-chat alerts: what an alert records and shows, and the second emergency check's
reads and writes. Runs on SQLite and PostgreSQL (``database`` fixture)."""

from __future__ import annotations

from sqlmodel import select

from storage import alerts
from storage import feedback as store
from storage.db import Database
from storage.identity import pseudonym, short_pseudonym
from storage.models import Alert, FeedbackMessage
from storage.units import UnitSpec, sync_units

RESIDENT = pseudonym("k", 1)


def add_message(database: Database, *, score: float | None = None) -> int:
    def scenario(session):  # type: ignore[no-untyped-def]
        (unit,) = sync_units(session, [UnitSpec("D3", "District 3 Patrol", "South")])
        resident = store.record_consent(session, RESIDENT, "en")
        sub = store.open_submission(session, resident.id, unit_id=unit.id)
        stored = store.store_message(session, sub, telegram_message_id=1, text="he has a knife, call 555-0101",
                                     redacted_text="he has a knife, call [phone]", topics=[], flags=["emergency"])
        session.get(FeedbackMessage, stored.message_id).score = score
        return stored.message_id

    return database.call(scenario)


def test_an_alert_is_recorded_with_the_redacted_message_and_no_identity(database: Database) -> None:
    message_id = add_message(database)
    alert_id, source = database.call(alerts.open_alert, "emergency", message_id, "knife " * 60)
    assert source is not None
    assert source.resident == short_pseudonym(RESIDENT) and source.unit == "District 3 Patrol"
    assert source.text == "he has a knife, call [phone]" and source.received.tzinfo is not None
    (row,) = database.call(lambda s: s.exec(select(Alert)).all())
    assert row.id == alert_id and row.kind == "emergency" and len(row.cue or "") == 200
    assert row.sent_at is None and row.error is None


def test_finishing_an_alert_records_success_or_the_error(database: Database) -> None:
    message_id = add_message(database)
    sent, _ = database.call(alerts.open_alert, "emergency", message_id, None)
    failed, _ = database.call(alerts.open_alert, "self_harm", message_id, "")
    database.call(alerts.finish_alert, sent, None)
    database.call(alerts.finish_alert, failed, "chat not found")
    rows = {a.id: a for a in database.call(lambda s: s.exec(select(Alert)).all())}
    assert rows[sent].sent_at is not None and rows[sent].error is None and rows[sent].cue is None
    assert rows[failed].sent_at is None and rows[failed].error == "chat not found"


def test_the_second_check_reads_only_scored_messages_that_still_have_their_text(database: Database) -> None:
    scored = add_message(database, score=-0.9)
    found = database.call(alerts.scored_text, scored)
    assert found is not None and found.score == -0.9 and found.flags == ["emergency"]
    assert found.text == "he has a knife, call 555-0101" and found.language == "en"
    database.call(lambda s: setattr(s.get(FeedbackMessage, scored), "text", None))
    assert database.call(alerts.scored_text, scored) is None, "original text purged: nothing to re-check"
    assert database.call(alerts.scored_text, scored + 1000) is None


def test_an_unscored_message_is_not_rechecked_and_flags_are_appended(database: Database) -> None:
    message_id = add_message(database)
    assert database.call(alerts.scored_text, message_id) is None
    database.call(alerts.add_flags, message_id, ["self_harm"])
    assert database.call(lambda s: s.get(FeedbackMessage, message_id).flags) == ["emergency", "self_harm"]


def test_an_edit_keeps_the_record_that_the_resident_got_the_number_and_alerts_stay_known(database: Database) -> None:
    mid = add_message(database, score=-0.9)
    database.call(lambda s: alerts.add_flags(s, mid, ["model_alert:emergency", "advised_late"]))
    database.call(lambda s: alerts.open_alert(s, "emergency", mid, None))

    def edit(session):  # type: ignore[no-untyped-def]
        resident = store.record_consent(session, RESIDENT, "en")
        return store.edit_message(session, resident.id, 1, text="he has a knife!", redacted_text="he has a knife!",
                                  topics=[], flags=["emergency"])

    edited = database.call(edit)
    assert edited.status == "edited" and edited.message_id == mid
    assert {"emergency", "model_alert:emergency", "advised_late"} <= edited.known_kinds
    msg = database.call(lambda s: s.get(FeedbackMessage, mid))
    assert msg.flags == ["emergency", "advised_late"], "the worker's verdict is re-made; the advice was given"
    assert database.call(lambda s: alerts.alerted_kinds(s, mid)) == {"emergency"}
