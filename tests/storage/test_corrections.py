"""Staff corrections in storage: per message, audited, never touching the model's output; /forget
unlinks them from the words; training examples read the redacted text at read time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from nlp.topics import TOPICS
from storage import cases
from storage.cases import Actor, CaseActionError
from storage.db import Database
from storage.feedback import forget_resident
from storage.identity import pseudonym
from storage.models import utcnow
from storage.models_cases import Correction
from tests.support.followups import RULES, SECRET, add_submission, seed_org


def open_case(db: Database, unit_id: int, texts: tuple[str, ...], user_id: int) -> int:
    sub = add_submission(db, unit_id=unit_id, texts=texts, scores=tuple(-0.8 for _ in texts), resident_user_id=user_id)
    outcome = db.call(cases.evaluate_submission, sub, RULES)
    assert outcome.case_id is not None
    return outcome.case_id


def test_corrections_apply_to_every_message_and_training_reads_the_redacted_text(database: Database) -> None:
    org = seed_org(database)
    case_id = open_case(database, org.unit_id, ("Slow [phone] response.", "Rude too."), 71_001)
    sue = Actor(org.supervisor)
    outcome = database.call(cases.correct_sentiment, case_id, sue, "neutral")
    assert (outcome.old, outcome.new, outcome.messages) == ("negative", "neutral", 2)
    database.call(cases.correct_topics, case_id, sue, ["use_of_force", "respect"], TOPICS)
    with pytest.raises(CaseActionError, match="correction_unchanged"):
        database.call(cases.correct_sentiment, case_id, sue, "neutral")
    with pytest.raises(CaseActionError, match="bad_correction"):
        database.call(cases.correct_topics, case_id, sue, ["not_a_topic"], TOPICS)

    view = database.call(cases.case_view, case_id)
    assert [m.corrected_sentiment for m in view.messages] == ["neutral", "neutral"]
    assert view.corrected_topics == ["respect", "use_of_force"]  # taxonomy order

    examples = database.call(cases.training_examples)
    assert [(e.text, e.sentiment, e.topics) for e in examples] == [
        ("Slow [phone] response.", "neutral", ["respect", "use_of_force"]),
        ("Rude too.", "neutral", ["respect", "use_of_force"]),
    ]
    assert database.call(lambda s: cases.training_examples(s, since=utcnow() + timedelta(days=1))) == []


def test_forget_keeps_the_labels_but_cuts_the_link_to_the_words(database: Database) -> None:
    org = seed_org(database)
    case_id = open_case(database, org.unit_id, ("It went badly.",), 71_002)
    database.call(cases.correct_sentiment, case_id, Actor(org.supervisor), "positive")
    assert len(database.call(cases.training_examples)) == 1

    assert database.call(forget_resident, pseudonym(SECRET, 71_002))
    rows = database.call(lambda s: list(s.exec(select(Correction)).all()))
    assert [(r.case_id, r.message_id, r.field, r.old_value, r.new_value) for r in rows] == [
        (case_id, None, "sentiment", "negative", "positive"),
    ]
    assert database.call(cases.training_examples) == []
    with pytest.raises(CaseActionError, match="nothing_to_correct"):
        database.call(cases.correct_sentiment, case_id, Actor(org.supervisor), "neutral")
