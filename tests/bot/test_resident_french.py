"""A French-speaking resident, end to end: real PTB Application <-> fake Bot API <-> real database.

Runs on SQLite and on PostgreSQL (see conftest ``db_url``).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from storage.db import Database
from storage.models import FeedbackMessage, Resident
from tests.support.residents import until


def rows(db: Database, model: Any) -> list[Any]:
    return db.call(lambda s: list(s.exec(select(model)).all()))


async def test_french_speaker_gets_the_french_notice_and_a_french_acknowledgement(
    running_bot: Any, fake_api: Any, database: Database
) -> None:
    amelie = fake_api.user("Amélie", language_code="fr")
    await amelie.send("/start")
    notice = await amelie.next_message()
    assert "Ce n'est pas un service d'urgence" in notice.text and "911" in notice.text
    assert "Springfield PD" in notice.text and "conservés 180 jours" in notice.text
    assert "/mydata" in notice.text and "/forget" in notice.text
    assert notice.buttons == ["✅ J'accepte", "Non merci"]

    await amelie.press("J'accepte", message=notice)
    await until(amelie, notice, "Quelle unité")
    await amelie.press("District 1 Patrol", message=notice)
    await until(amelie, notice, "Racontez-nous ce qui s'est passé")

    await amelie.send("L'agente a pris le temps de m'écouter, merci à elle.")
    status = await amelie.next_message()
    await until(amelie, status, "Enregistré ✓")
    assert status.buttons == ["✅ Terminé"]

    (resident,) = rows(database, Resident)
    assert resident.language == "fr"
    assert [m.text for m in rows(database, FeedbackMessage)] == ["L'agente a pris le temps de m'écouter, merci à elle."]
