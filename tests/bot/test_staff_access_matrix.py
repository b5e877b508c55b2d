"""The access matrix: every staff action tried by a resident, an officer of another unit, a revoked
officer, the officer, the supervisor and the commander, through the fake Bot API.

Buttons are pressed with forged callback data (the same bytes a real button carries), so the
server-side check is what is tested, not which buttons happen to be on screen.

| action            | resident | other unit | revoked | officer | supervisor | commander |
|-------------------|----------|------------|---------|---------|------------|-----------|
| acknowledge       | no       | no         | no      | yes     | yes        | yes       |
| reply to resident | no       | no         | no      | yes     | yes        | yes       |
| resolve           | no       | no         | no      | yes     | yes        | yes       |
| reassign          | no       | no         | no      | yes     | yes        | yes       |
| escalate          | no       | no         | no      | yes     | yes        | yes       |
| correct           | no       | no         | no      | yes     | yes        | yes       |
| /case (view)      | no       | no         | no      | yes     | yes        | yes       |
| /audit            | no       | no         | no      | no      | no         | yes       |
| /register (group) | no       | no         | no      | no      | no         | yes       |
"""

from __future__ import annotations

from typing import Any

import pytest

from services.access import find_member, may_handle_case, may_register_chats, may_view_audit
from storage import cases
from storage.db import Database
from storage.models_cases import FollowupCase
from tests.support.app import start_bot, stop_bot
from tests.support.buttons import press_data
from tests.support.followups import (
    COMMANDER,
    OFFICER,
    OTHER_OFFICER,
    REVOKED,
    RULES,
    SUPERVISOR,
    add_submission,
    build_bot,
    seed_org,
)

RESIDENT = 9_999_001
ACTORS = {
    "resident": RESIDENT,
    "officer of another unit": OTHER_OFFICER,
    "revoked officer": REVOKED,
    "officer": OFFICER,
    "supervisor": SUPERVISOR,
    "commander": COMMANDER,
}
ALLOWED_CASE_ACTORS = {"officer", "supervisor", "commander"}
BUTTONS = {
    "acknowledge": "ack", "reply": "rep", "resolve": "res", "reassign": "ra", "escalate": "esc", "correct": "cor",
}
REFUSAL = "not available to you"


def new_case(db: Database, org: Any) -> tuple[int, str]:
    sub = add_submission(db, unit_id=org.unit_id, officer_id=org.officer, scores=(-0.9,), contact=True)
    outcome = db.call(cases.evaluate_submission, sub, RULES)
    case = db.call(lambda s: s.get(FollowupCase, outcome.case_id))
    return case.id, case.reference  # type: ignore[return-value]


async def test_every_staff_action_is_checked_on_the_server_for_every_kind_of_person(
    fake_api: Any, database: Database, settings: Any
) -> None:
    org = seed_org(database)
    app = build_bot(settings, database, fake_api)
    await start_bot(app)
    try:
        users = {name: fake_api.user(name.title().replace(" ", ""), user_id=uid) for name, uid in ACTORS.items()}
        for user in users.values():
            await user.send("/staffhelp")  # opens the chat, so there is a bot message to press on
            await user.next_message()
        group = fake_api.group("Staff room")
        for user in users.values():
            fake_api.add_member(group, user)

        results: dict[tuple[str, str], bool] = {}
        for action, code in BUTTONS.items():
            for name, user in users.items():
                case_id, _ = new_case(database, org)
                before = database.call(lambda s, c=case_id: s.get(FollowupCase, c))
                answer = await fake_api.wait_for_callback_answer(await press_data(fake_api, user, f"fu:{code}:{case_id}"))
                refused = REFUSAL in (answer.text or "")
                results[(action, name)] = not refused
                after = database.call(lambda s, c=case_id: s.get(FollowupCase, c))
                if refused:  # a refused press changes nothing
                    assert (after.status, after.assignee_id, after.escalations) == (before.status, before.assignee_id, before.escalations)
                user.drain()

        for name, user in users.items():
            _, reference = new_case(database, org)
            await user.send(f"/case {reference}")
            results[("view", name)] = "Follow-up" in (await user.next_message()).text
            await user.send(f"/audit {reference}")
            results[("audit", name)] = "Audit log" in (await user.next_message()).text
            await user.command("register", chat=group)
            results[("register", name)] = "receive digests and alerts for" in (await group.next_message()).text

        expected = {
            (action, name): (name in ALLOWED_CASE_ACTORS if action in (*BUTTONS, "view") else name == "commander")
            for action in (*BUTTONS, "view", "audit", "register")
            for name in ACTORS
        }
        wrong = {k: v for k, v in results.items() if expected[k] != v}
        assert not wrong, f"access matrix mismatch (action, person) -> allowed: {wrong}"
    finally:
        await stop_bot(app)


async def test_forged_and_stale_buttons_get_a_polite_answer(fake_api: Any, database: Database, settings: Any) -> None:
    org = seed_org(database)
    app = build_bot(settings, database, fake_api)
    await start_bot(app)
    try:
        olga = fake_api.user("Olga", user_id=OFFICER)
        await olga.send("/staffhelp")
        await olga.next_message()
        case_id, _ = new_case(database, org)
        for data in ("fu:ack:999999", "fu:ack:abc", f"fu:rt:{case_id}:{org.other_officer}", "fu:nuke:1",
                     f"fu:hlp:{case_id}:y", "stf:reg:a", f"fu:ack:{case_id}:extra"):
            answer = await fake_api.wait_for_callback_answer(await press_data(fake_api, olga, data))
            assert answer.text, data  # always an answer, never silence or a crash
        assert not fake_api.failed_calls()
        assert database.call(lambda s: s.get(FollowupCase, case_id)).status == "open"
    finally:
        await stop_bot(app)


@pytest.mark.parametrize("sensitive", [False, True])
def test_access_rules_match_the_matrix_in_storage(database: Database, sensitive: bool) -> None:
    org = seed_org(database)
    topics = (("use_of_force",),) if sensitive else None
    sub = add_submission(database, unit_id=org.unit_id, officer_id=org.officer, scores=(-0.9,), topics=topics)
    case_id = database.call(cases.evaluate_submission, sub, RULES).case_id

    def check(session: Any) -> dict[str, tuple[bool, bool, bool]]:
        case = session.get(FollowupCase, case_id)
        out = {}
        for name, uid in ACTORS.items():
            member = find_member(session, uid, [])
            out[name] = (may_handle_case(session, member, case), may_view_audit(session, member, case), may_register_chats(member))
        return out

    got = database.call(check)
    for name in ACTORS:
        handle = name in ALLOWED_CASE_ACTORS and not (sensitive and name == "officer")
        assert got[name] == (handle, name == "commander", name == "commander"), name
