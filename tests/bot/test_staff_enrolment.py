"""Staff enrolment, revocation and the staff CLI: codes are one-time, expiring and stored hashed;
`trustline staff/tokens/cards/audit` work as an operator uses them."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from cli.main import app as cli
from storage.db import Database
from storage.models import DeepLinkToken, EnrollmentCode, Staff, utcnow
from storage.staff import StaffError, burn_code, hash_code, invite, redeem_code, revoke_staff
from storage.units import UnitSpec, resolve_token, sync_units
from tests.support.app import TEST_UNITS, start_bot, stop_bot
from tests.support.followups import build_bot

runner = CliRunner()


def units(db: Database) -> None:
    db.call(sync_units, [UnitSpec(**u) for u in TEST_UNITS])


def test_an_invitation_code_is_stored_only_as_a_hash_and_works_once(database: Database) -> None:
    units(database)
    inv = database.call(lambda s: invite(s, role="officer", unit_code="d3-patrol", name="Ann", hours=72))
    stored = database.call(lambda s: s.exec(select(EnrollmentCode)).one())
    assert stored.code_hash == hash_code(inv.code) and inv.code.replace("-", "") not in stored.code_hash
    assert database.call(redeem_code, "WRONG-CODE-1234", 11, 11, "x").status == "invalid"
    ok = database.call(redeem_code, inv.code.lower().replace("-", " "), 11, 11, "Ann T.")
    assert (ok.status, ok.staff_id, ok.role) == ("ok", inv.staff_id, "officer")
    assert database.call(redeem_code, inv.code, 12, 12, "x").status == "used"
    staff = database.call(lambda s: s.get(Staff, inv.staff_id))
    assert staff.telegram_user_id == 11 and staff.enrolled_at is not None and staff.display_name == "Ann"


def test_expired_revoked_and_double_linked_codes_are_refused(database: Database) -> None:
    units(database)
    old = database.call(lambda s: invite(s, role="officer", unit_code="D3-Patrol", hours=1, now=utcnow() - timedelta(hours=2)))
    assert database.call(redeem_code, old.code, 21, 21, "x").status == "expired"
    gone = database.call(lambda s: invite(s, role="supervisor", unit_code="D3-Patrol", hours=72))
    database.call(revoke_staff, gone.staff_id)
    assert database.call(redeem_code, gone.code, 22, 22, "x").status == "revoked"
    first = database.call(lambda s: invite(s, role="officer", unit_code="D1-Patrol", hours=72))
    second = database.call(lambda s: invite(s, role="officer", unit_code="D1-Patrol", hours=72))
    assert database.call(redeem_code, first.code, 23, 23, "x").status == "ok"
    assert database.call(redeem_code, second.code, 23, 23, "x").status == "linked_elsewhere"
    leaked = database.call(lambda s: invite(s, role="officer", unit_code="D1-Patrol", hours=72))
    assert database.call(burn_code, leaked.code) is True
    assert database.call(redeem_code, leaked.code, 24, 24, "x").status == "expired"


def test_roles_need_the_right_scope(database: Database) -> None:
    units(database)
    for kwargs in ({"role": "officer"}, {"role": "chief"}, {"role": "officer", "unit_code": "Nowhere"},
                   {"role": "commander", "unit_code": "D1-Patrol"}, {"role": "commander", "district": "Atlantis"}):
        with pytest.raises(StaffError):
            database.call(lambda s, k=kwargs: invite(s, hours=1, **k))
    cmdr = database.call(lambda s: invite(s, role="commander", district="south", hours=1))
    assert cmdr.district == "South"


async def test_enroll_in_a_group_burns_the_code_and_strangers_get_a_polite_no(fake_api: Any, database: Database, settings: Any) -> None:
    units(database)
    app = build_bot(settings, database, fake_api)
    await start_bot(app)
    try:
        inv = database.call(lambda s: invite(s, role="officer", unit_code="D3-Patrol", name="Ann", hours=72))
        ann = fake_api.user("Ann", user_id=701)
        group = fake_api.group("Break room")
        fake_api.add_member(group, ann)
        await ann.command("enroll", inv.code, chat=group)
        assert "no longer works" in (await group.next_message()).text
        await ann.send(f"/enroll {inv.code}")
        assert "expired" in (await ann.next_message()).text

        stranger = fake_api.user("Mallory", user_id=702)
        for command in ("/cases", "/case TL-AAAA", "/audit TL-AAAA", "/staffhelp", "/register"):
            await stranger.send(command)
            assert "only for enrolled staff" in (await stranger.next_message()).text, command
        for _ in range(5):
            await stranger.send("/enroll AAAA-BBBB-CCCC")
            assert "not valid" in (await stranger.next_message()).text
        await stranger.send("/enroll AAAA-BBBB-CCCC")
        assert "Too many attempts" in (await stranger.next_message()).text
        await stranger.send("/enroll")
        assert "followed by the code" in (await stranger.next_message()).text
    finally:
        await stop_bot(app)


# --- the command line ------------------------------------------------------------------------


def write_config(tmp_path: Path, db_url: str) -> Path:
    cfg = tmp_path / "config.toml"
    body = f'[storage]\nurl = "{db_url}"\n[agency]\nname = "Springfield PD"\n'
    for unit in TEST_UNITS:
        body += f'[[units]]\ncode = "{unit["code"]}"\nname = "{unit["name"]}"\ndistrict = "{unit["district"]}"\n'
    cfg.write_text(body)
    return cfg


def run(cfg: Path, *args: str) -> Any:
    result = runner.invoke(cli, [*args, "--config", str(cfg)])
    return result


def test_staff_cli_invites_lists_moves_and_revokes(tmp_path: Path, database: Database) -> None:
    cfg = write_config(tmp_path, database.url.replace("+psycopg", ""))
    invited = run(cfg, "staff", "invite", "--role", "officer", "--unit", "D3-Patrol", "--name", "Olga Officer")
    assert invited.exit_code == 0, invited.output
    code = next(line.strip() for line in invited.output.splitlines() if line.strip().count("-") == 2 and len(line.strip()) == 14)
    assert database.call(redeem_code, code, 31, 31, "x").status == "ok"
    assert run(cfg, "staff", "invite", "--role", "officer").exit_code == 1
    listing = run(cfg, "staff", "list")
    assert "Olga Officer" in listing.output and "enrolled" in listing.output and "D3-Patrol" in listing.output
    staff_id = database.call(lambda s: s.exec(select(Staff)).one()).id
    moved = run(cfg, "staff", "move", str(staff_id), "--unit", "D1-Patrol", "--role", "supervisor")
    assert moved.exit_code == 0, moved.output
    assert database.call(lambda s: s.get(Staff, staff_id)).role == "supervisor"
    assert run(cfg, "staff", "revoke", str(staff_id)).exit_code == 0
    assert run(cfg, "staff", "revoke", str(staff_id)).exit_code == 1
    assert "Olga" not in run(cfg, "staff", "list").output
    assert "revoked" in run(cfg, "staff", "list", "--all").output
    chat = run(cfg, "staff", "chat-add", "--chat-id", "-100123", "--scope", "district:north", "--title", "North desk")
    assert chat.exit_code == 0, chat.output
    assert "district:North" in run(cfg, "staff", "chats").output
    assert run(cfg, "staff", "chat-remove", "--chat-id", "-100123").exit_code == 0
    assert "inactive" in run(cfg, "staff", "chats").output


def test_cards_pdf_has_a_revocable_deep_link_per_officer(tmp_path: Path, database: Database) -> None:
    cfg = write_config(tmp_path, database.url.replace("+psycopg", ""))
    for name in ("Olga Officer", "José Núñez"):
        assert run(cfg, "staff", "invite", "--role", "officer", "--unit", "D3-Patrol", "--name", name).exit_code == 0
    out = tmp_path / "cards.pdf"
    made = run(cfg, "cards", "--unit", "D3-Patrol", "--out", str(out), "--bot-username", "springfield_bot")
    assert made.exit_code == 0, made.output
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and b"t.me/springfield_bot?start=" in data
    tokens = database.call(lambda s: s.exec(select(DeepLinkToken)).all())
    assert len(tokens) == 2 and all(t.officer_id for t in tokens)
    for token in tokens:
        assert token.token.encode() in data
    # Printing again reuses the tokens; --new-tokens revokes them and prints fresh ones.
    run(cfg, "cards", "--unit", "D3-Patrol", "--out", str(out), "--bot-username", "springfield_bot")
    assert len(database.call(lambda s: s.exec(select(DeepLinkToken)).all())) == 2
    run(cfg, "cards", "--unit", "D3-Patrol", "--out", str(out), "--bot-username", "springfield_bot", "--new-tokens")
    assert all(database.call(resolve_token, t.token) is None for t in tokens)
    assert run(cfg, "cards", "--unit", "D1-Patrol", "--out", str(out), "--bot-username", "b").exit_code == 1


def test_tokens_and_audit_export(tmp_path: Path, database: Database) -> None:
    cfg = write_config(tmp_path, database.url.replace("+psycopg", ""))
    created = run(cfg, "tokens", "create", "--unit", "D1-Patrol", "--label", "station poster", "--bot-username", "springfield_bot")
    assert created.exit_code == 0, created.output
    token = created.output.split("Token:")[1].split()[0]
    assert f"https://t.me/springfield_bot?start={token}" in created.output
    assert "station poster" in run(cfg, "tokens", "list").output
    assert run(cfg, "tokens", "revoke", token).exit_code == 0
    assert database.call(resolve_token, token) is None
    assert run(cfg, "tokens", "revoke", token).exit_code == 1
    out = tmp_path / "audit.csv"
    exported = run(cfg, "audit", "export", "--out", str(out))
    assert exported.exit_code == 0, exported.output
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [r["action"] for r in rows] == ["token_created", "token_revoked"] and all(r["actor"] == "cli" for r in rows)
