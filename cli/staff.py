"""`trustline staff ...`, `trustline cards`, `trustline tokens ...` and `trustline audit ...`.

Registered on the main Typer app by :func:`register` (one line in cli/main.py).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from storage.types import local_time

ConfigOption = Annotated[
    Optional[Path],  # noqa: UP045 - typer needs Optional here
    typer.Option("--config", "-c", help="Config file (default: $TRUSTLINE_CONFIG, ./config.toml, ./config.example.toml)."),
]
BotUsernameOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--bot-username", help="The bot's @username for t.me links (default: asked from Telegram with the token)."),
]

staff_app = typer.Typer(help="Staff: invite, list, revoke, move; staff chats.", no_args_is_help=True)
tokens_app = typer.Typer(help="Deep-link tokens printed on cards and posters.", no_args_is_help=True)
audit_app = typer.Typer(help="The follow-up audit log.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(staff_app, name="staff")
    app.add_typer(tokens_app, name="tokens")
    app.add_typer(audit_app, name="audit")
    app.command("cards")(cards)


def _settings(ctx: typer.Context, config: Path | None) -> Any:
    from cli.main import settings_from

    return settings_from(ctx, config)


def _db(settings: Any) -> Any:
    """The migrated database, with config units synced (staff and tokens refer to them)."""
    from cli.main import _db as open_db
    from storage.units import UnitSpec, sync_units

    db = open_db(settings)
    db.call(sync_units, [UnitSpec(u.code, u.name, u.district) for u in settings.units])
    return db


def _fail(message: str) -> typer.Exit:
    from cli.main import fail

    return fail(message)


def _when(value: datetime | None, settings: Any) -> str:
    if value is None:
        return "-"
    return local_time(value, settings.agency.tz)


# --- staff -----------------------------------------------------------------------------------


@staff_app.command("invite")
def staff_invite(
    ctx: typer.Context,
    role: Annotated[str, typer.Option(help="officer | supervisor | commander | admin")],
    unit: Annotated[Optional[str], typer.Option(help="Unit code (officers and supervisors)")] = None,  # noqa: UP045
    district: Annotated[Optional[str], typer.Option(help="District (district commanders)")] = None,  # noqa: UP045
    name: Annotated[Optional[str], typer.Option(help="Name shown to colleagues and on cards")] = None,  # noqa: UP045
    config: ConfigOption = None,
) -> None:
    """Create a staff member and print their one-time enrolment code (shown only now)."""
    from storage.staff import StaffError, invite

    settings = _settings(ctx, config)
    db = _db(settings)
    try:
        inv = db.call(
            invite, role=role.lower(), unit_code=unit, district=district, name=name, hours=settings.followup.enrollment_code_hours
        )
    except StaffError as exc:
        raise _fail(str(exc)) from None
    where = inv.unit_code or (f"district {inv.district}" if inv.district else "the whole agency")
    typer.echo(f"Invited staff #{inv.staff_id}: {inv.role} for {where}{' (' + inv.display_name + ')' if inv.display_name else ''}.")
    typer.echo(f"Enrolment code (valid until {_when(inv.expires_at, settings)}, shown only once):\n")
    typer.secho(f"    {inv.code}\n", bold=True)
    typer.echo(f"They send  /enroll {inv.code}  to the bot in a private chat.")


@staff_app.command("reissue")
def staff_reissue(ctx: typer.Context, staff_id: Annotated[int, typer.Argument(help="Staff number")], config: ConfigOption = None) -> None:
    """A fresh enrolment code for an existing staff member (new phone, expired code)."""
    from storage.models_cases import append_audit
    from storage.staff import StaffError, issue_code

    settings = _settings(ctx, config)

    def run(session: Any) -> tuple[str, datetime]:
        code, expires = issue_code(session, staff_id, settings.followup.enrollment_code_hours)
        append_audit(session, "code_reissued", actor="cli", detail=f"staff #{staff_id}")
        return code, expires

    try:
        code, expires = _db(settings).call(run)
    except StaffError as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"New code for staff #{staff_id} (valid until {_when(expires, settings)}; earlier codes no longer work):\n")
    typer.secho(f"    {code}\n", bold=True)


@staff_app.command("list")
def staff_list(
    ctx: typer.Context,
    unit: Annotated[Optional[str], typer.Option(help="Only this unit")] = None,  # noqa: UP045
    all_: Annotated[bool, typer.Option("--all", help="Include revoked staff")] = False,
    config: ConfigOption = None,
) -> None:
    """List staff with their role, scope and enrolment state."""
    from storage.staff import StaffError, list_staff

    settings = _settings(ctx, config)
    try:
        rows = _db(settings).call(list_staff, unit_code=unit, include_revoked=all_)
    except StaffError as exc:
        raise _fail(str(exc)) from None
    if not rows:
        typer.echo("No staff yet. Invite someone with `trustline staff invite --role officer --unit CODE`.")
        return
    typer.echo(f"{'#':>4}  {'name':<24} {'role':<11} {'unit':<14} {'district':<12} state")
    for row in rows:
        if not row.active:
            state = "revoked"
        elif row.enrolled:
            state = "enrolled"
        elif row.pending_code_expires and row.pending_code_expires > datetime.now(UTC):
            state = f"invited (code valid until {_when(row.pending_code_expires, settings)})"
        else:
            state = "invited (code expired: `staff reissue`)"
        typer.echo(f"{row.id:>4}  {row.display_name[:24] or '-':<24} {row.role:<11} {row.unit_code or '-':<14} {row.district or '-':<12} {state}")


@staff_app.command("revoke")
def staff_revoke(ctx: typer.Context, staff_id: Annotated[int, typer.Argument(help="Staff number")], config: ConfigOption = None) -> None:
    """Take someone's access away now; their open cases go to the next person in line."""
    from storage.cases import reroute_cases_of
    from storage.staff import StaffError, revoke_staff

    settings = _settings(ctx, config)

    def run(session: Any) -> list[int]:
        revoke_staff(session, staff_id)
        return reroute_cases_of(session, staff_id)

    try:
        moved = _db(settings).call(run)
    except StaffError as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"Revoked staff #{staff_id}: their buttons and commands stop working at once.")
    if moved:
        typer.echo(f"{len(moved)} open case(s) handed on; the running bot notifies the new assignees within a minute.")


@staff_app.command("move")
def staff_move(
    ctx: typer.Context,
    staff_id: Annotated[int, typer.Argument(help="Staff number")],
    unit: Annotated[Optional[str], typer.Option(help="New unit code")] = None,  # noqa: UP045
    role: Annotated[Optional[str], typer.Option(help="New role")] = None,  # noqa: UP045
    district: Annotated[Optional[str], typer.Option(help="New district (commanders)")] = None,  # noqa: UP045
    config: ConfigOption = None,
) -> None:
    """Move someone to another unit, role or district; cases outside their new scope move on."""
    from services.access import find_member, may_handle_case
    from storage.cases import reroute_cases_of
    from storage.staff import StaffError, move_staff

    if unit is None and role is None and district is None:
        raise _fail("Say what changes: --unit, --role and/or --district.")
    settings = _settings(ctx, config)

    def run(session: Any) -> list[int]:
        staff = move_staff(session, staff_id, unit_code=unit, role=role.lower() if role else None, district=district)
        member = find_member(session, staff.telegram_user_id, []) if staff.telegram_user_id else None
        if member is None:
            return reroute_cases_of(session, staff_id)
        return reroute_cases_of(session, staff_id, still_allowed=lambda case: may_handle_case(session, member, case) and _in_scope(session, member, case))

    try:
        moved = _db(settings).call(run)
    except StaffError as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"Moved staff #{staff_id}.")
    if moved:
        typer.echo(f"{len(moved)} open case(s) outside their new scope were handed on.")


def _in_scope(session: Any, member: Any, case: Any) -> bool:
    """After a move, being the assignee is not enough: the case's unit must be in their new scope."""
    from services.access import case_scope, covers, unit_districts

    scope = case_scope(session, case.unit_id)
    if scope is None:
        return member.scope.kind == "agency"
    return covers(member.scope, scope, unit_districts(session))


@staff_app.command("chats")
def staff_chats(ctx: typer.Context, config: ConfigOption = None) -> None:
    """Registered staff groups and channels (they alone receive digests and alerts)."""
    from storage.staff import list_chats

    settings = _settings(ctx, config)
    rows = _db(settings).call(list_chats, active_only=False)
    if not rows:
        typer.echo("No staff chats. In a group with the bot, a commander sends /register; or use `staff chat-add`.")
    for chat in rows:
        scope = chat.scope_kind + (f":{chat.scope_value}" if chat.scope_value else "")
        state = "active" if chat.active else f"inactive{' (' + chat.last_error + ')' if chat.last_error else ''}"
        typer.echo(f"{chat.chat_id:>16}  {chat.title[:30] or '-':<30} {scope:<24} {state}")


@staff_app.command("chat-add")
def staff_chat_add(
    ctx: typer.Context,
    chat_id: Annotated[int, typer.Option("--chat-id", help="Telegram chat id of the group/channel, e.g. -1001234567890 (the bot must be a member)")],
    scope: Annotated[str, typer.Option(help="agency | district:NAME | unit:CODE")],
    title: Annotated[str, typer.Option(help="A name to recognise it by")] = "",
    config: ConfigOption = None,
) -> None:
    """Register a staff chat from the command line (instead of /register in the chat)."""
    from storage.staff import StaffError, parse_scope, register_chat

    settings = _settings(ctx, config)

    def run(session: Any) -> str:
        kind, value = parse_scope(session, scope)
        register_chat(session, chat_id, title=title, scope_kind=kind, scope_value=value, registered_by=None,
                      language=settings.agency.default_language, actor="cli")
        return kind + (f":{value}" if value else "")

    try:
        label = _db(settings).call(run)
    except StaffError as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"Chat {chat_id} registered for {label}. Make sure the bot is a member (an admin in channels).")


@staff_app.command("chat-remove")
def staff_chat_remove(
    ctx: typer.Context, chat_id: Annotated[int, typer.Option("--chat-id", help="Telegram chat id")], config: ConfigOption = None
) -> None:
    """Stop sending digests and alerts to a chat."""
    from storage.staff import unregister_chat

    settings = _settings(ctx, config)
    if not _db(settings).call(unregister_chat, chat_id, actor="cli"):
        raise _fail(f"Chat {chat_id} is not registered.")
    typer.echo(f"Chat {chat_id} unregistered.")


# --- tokens ----------------------------------------------------------------------------------


def _bot_username(settings: Any, given: str | None) -> str:
    if given:
        return given.lstrip("@")
    token = settings.telegram.token.get_secret_value() if settings.telegram.token else ""
    if not token:
        raise _fail("Pass --bot-username (or configure the bot token so it can be asked from Telegram).")
    import asyncio

    from telegram import Bot
    from telegram.error import TelegramError

    async def ask() -> str:
        async with Bot(token, base_url=settings.telegram.base_url, base_file_url=settings.telegram.base_file_url) as bot:
            return (await bot.get_me()).username

    try:
        return asyncio.run(ask())
    except (TelegramError, OSError) as exc:
        raise _fail(f"Could not ask Telegram for the bot's username ({exc}); pass --bot-username.") from None


def deep_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?start={token}"


@tokens_app.command("create")
def tokens_create(
    ctx: typer.Context,
    unit: Annotated[Optional[str], typer.Option(help="Unit code")] = None,  # noqa: UP045
    officer: Annotated[Optional[int], typer.Option(help="Staff number of the officer")] = None,  # noqa: UP045
    label: Annotated[Optional[str], typer.Option(help="What it is printed on, e.g. 'station poster'")] = None,  # noqa: UP045
    bot_username: BotUsernameOption = None,
    config: ConfigOption = None,
) -> None:
    """Create a deep-link token for a unit or an officer and print its link."""
    from storage.models import Staff
    from storage.models_cases import append_audit
    from storage.units import create_token, find_unit

    settings = _settings(ctx, config)
    if unit is None and officer is None:
        raise _fail("Give --unit and/or --officer.")

    def run(session: Any) -> str:
        unit_id = None
        if unit is not None:
            row = find_unit(session, unit)
            if row is None:
                raise _fail(f"unknown unit {unit!r}")
            unit_id = row.id
        if officer is not None:
            staff = session.get(Staff, officer)
            if staff is None or not staff.active:
                raise _fail(f"no active staff member #{officer}")
        token = create_token(session, unit_id=unit_id, officer_id=officer, label=label)
        append_audit(session, "token_created", actor="cli", detail=f"unit {unit or '-'} officer #{officer or '-'} {label or ''}".strip())
        return token.token

    token = _db(settings).call(run)
    username = _bot_username(settings, bot_username)
    typer.echo(f"Token: {token}\nLink:  {deep_link(username, token)}")


@tokens_app.command("list")
def tokens_list(ctx: typer.Context, all_: Annotated[bool, typer.Option("--all", help="Include revoked tokens")] = False, config: ConfigOption = None) -> None:
    """List deep-link tokens."""
    from sqlmodel import select

    from storage.models import DeepLinkToken, Staff, Unit

    settings = _settings(ctx, config)

    def run(session: Any) -> list[tuple[Any, ...]]:
        rows = []
        for tok in session.exec(select(DeepLinkToken).order_by(DeepLinkToken.created_at)).all():
            if tok.revoked_at is not None and not all_:
                continue
            unit = session.get(Unit, tok.unit_id) if tok.unit_id else None
            staff = session.get(Staff, tok.officer_id) if tok.officer_id else None
            rows.append((tok.token, unit.code if unit else "-", staff.display_name if staff else "-", tok.label or "", tok.revoked_at))
        return rows

    for token, unit, officer, label, revoked in _db(settings).call(run):
        typer.echo(f"{token:<18} {unit:<14} {officer[:24]:<24} {label[:30]:<30} {'revoked' if revoked else ''}")


@tokens_app.command("revoke")
def tokens_revoke(ctx: typer.Context, token: Annotated[str, typer.Argument()], config: ConfigOption = None) -> None:
    """Revoke a token: its cards and posters stop pointing at the unit/officer."""
    from storage.models_cases import append_audit
    from storage.units import revoke_token

    settings = _settings(ctx, config)

    def run(session: Any) -> bool:
        done = revoke_token(session, token)
        if done:
            append_audit(session, "token_revoked", actor="cli", detail=token[:64])
        return done

    if not _db(settings).call(run):
        raise _fail(f"No active token {token!r}.")
    typer.echo(f"Revoked {token}.")


# --- cards -----------------------------------------------------------------------------------


def cards(
    ctx: typer.Context,
    unit: Annotated[str, typer.Option(help="Unit code")],
    out: Annotated[Path, typer.Option(help="PDF file to write")] = Path("cards.pdf"),
    new_tokens: Annotated[bool, typer.Option("--new-tokens", help="Revoke the unit's card tokens and print fresh ones")] = False,
    language: Annotated[Optional[str], typer.Option(help="Card language (en, es); default: agency.default_language")] = None,  # noqa: UP045
    bot_username: BotUsernameOption = None,
    config: ConfigOption = None,
) -> None:
    """A printable sheet of officer cards, each with a QR code deep link to the bot."""
    from storage.units import find_unit

    settings = _settings(ctx, config)
    db = _db(settings)
    if db.call(find_unit, unit) is None:
        raise _fail(f"unknown unit {unit!r} (see `trustline units list`)")
    username = _bot_username(settings, bot_username)
    entries = db.call(_card_tokens, unit, new_tokens)
    if not entries:
        raise _fail(f"No active officers in {unit}. Invite them first with `trustline staff invite`.")
    lang = language or settings.agency.default_language
    pdf = render_cards(entries, username, settings.agency.name, settings.agency.emergency_number, lang)
    out.write_bytes(pdf)
    typer.echo(f"Wrote {len(entries)} card(s) for {unit} to {out}.")


def _card_tokens(session: Any, unit_code: str, rotate: bool) -> list[tuple[str, str, str]]:
    """(officer name, unit name, token) per active officer/supervisor of the unit; one card token
    each, reused unless ``rotate`` (then the old ones are revoked)."""
    from sqlmodel import select

    from storage.models import DeepLinkToken, Staff
    from storage.models_cases import append_audit
    from storage.units import create_token, find_unit, revoke_token

    unit = find_unit(session, unit_code)
    staff = session.exec(
        select(Staff).where(Staff.unit_id == unit.id, Staff.active == True, Staff.revoked_at.is_(None))  # type: ignore[union-attr]  # noqa: E712
        .order_by(Staff.display_name)
    ).all()
    entries = []
    for person in staff:
        if person.role not in ("officer", "supervisor"):
            continue
        existing = session.exec(
            select(DeepLinkToken).where(
                DeepLinkToken.officer_id == person.id, DeepLinkToken.revoked_at.is_(None), DeepLinkToken.label == "card"  # type: ignore[union-attr]
            )
        ).all()
        if rotate:
            for tok in existing:
                revoke_token(session, tok.token)
                append_audit(session, "token_revoked", actor="cli", detail=f"card of staff #{person.id} replaced")
            existing = []
        if existing:
            token = existing[0].token
        else:
            token = create_token(session, unit_id=unit.id, officer_id=person.id, label="card").token
            append_audit(session, "token_created", actor="cli", detail=f"card of staff #{person.id}")
        entries.append((person.display_name or f"#{person.id}", unit.name, token))
    return entries


_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/arial.ttf",
)


def render_cards(entries: list[tuple[str, str, str]], bot_username: str, agency: str, emergency: str, language: str) -> bytes:
    """A4 sheet, 2 x 4 cards of 90 x 60 mm with cut marks; a Unicode font when one is installed,
    otherwise the built-in Helvetica (Latin-1 only)."""
    import qrcode
    from fpdf import FPDF

    from services.i18n import text

    def tx(key: str, **values: Any) -> str:
        plain = re.sub(r"<[^>]+>", "", text(language, key, **values))
        return html.unescape(plain)

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    font = "Helvetica"
    for path in _FONT_CANDIDATES:
        if Path(path).is_file():
            bold = path.replace(".ttf", "-Bold.ttf")
            pdf.add_font("CardFont", "", path)
            pdf.add_font("CardFont", "B", bold if Path(bold).is_file() else path)
            font = "CardFont"
            break

    def safe(value: str) -> str:
        return value if font != "Helvetica" else value.encode("latin-1", "replace").decode("latin-1")

    width, height, cols, rows = 90.0, 60.0, 2, 4
    left, top, gap = (210 - cols * width - 10) / 2, 20.0, 10.0
    for index, (name, unit_name, token) in enumerate(entries):
        slot = index % (cols * rows)
        if slot == 0:
            pdf.add_page()
        x = left + (slot % cols) * (width + gap)
        y = top + (slot // cols) * (height + 7)
        pdf.set_draw_color(170, 170, 170)
        pdf.set_line_width(0.2)
        pdf.rect(x, y, width, height)
        link = deep_link(bot_username, token)
        image = qrcode.make(link, border=1).get_image()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        buffer.seek(0)
        pdf.image(buffer, x=x + width - 40, y=y + 4, w=36, h=36, link=link)
        pdf.set_text_color(20, 20, 20)
        pdf.set_font(font, "", 9)
        pdf.set_xy(x + 4, y + 5)
        pdf.multi_cell(width - 48, 4.5, safe(agency), align="L")
        pdf.set_font(font, "B", 12)
        pdf.set_xy(x + 4, y + 16)
        pdf.multi_cell(width - 48, 5.5, safe(tx("staff.card_call")), align="L")
        pdf.set_font(font, "B", 9)
        pdf.set_xy(x + 4, y + 42)
        pdf.multi_cell(width - 8, 4, safe(tx("staff.card_officer", name=name, unit=unit_name)), align="L")
        pdf.set_font(font, "", 7)
        pdf.set_xy(x + 4, y + 47)
        pdf.multi_cell(width - 8, 3.5, safe(tx("staff.card_link", link=link.removeprefix("https://"))), align="L")
        pdf.set_xy(x + 4, y + 52)
        pdf.multi_cell(width - 8, 3.5, safe(tx("staff.card_small", emergency=emergency)), align="L")
    return bytes(pdf.output())


# --- audit -----------------------------------------------------------------------------------


@audit_app.command("export")
def audit_export(
    ctx: typer.Context,
    out: Annotated[Optional[Path], typer.Option(help="File to write (default: standard output)")] = None,  # noqa: UP045
    case: Annotated[Optional[str], typer.Option(help="Only this case (reference or #number)")] = None,  # noqa: UP045
    since: Annotated[Optional[str], typer.Option(help="Only entries from this date (YYYY-MM-DD)")] = None,  # noqa: UP045
    fmt: Annotated[str, typer.Option("--format", help="csv or jsonl")] = "csv",
    config: ConfigOption = None,
) -> None:
    """Export the append-only audit log (who did what, when, on which case)."""
    from storage.cases import audit_rows, find_case

    settings = _settings(ctx, config)
    if fmt not in ("csv", "jsonl"):
        raise _fail("--format must be csv or jsonl")
    start = None
    if since:
        try:
            start = datetime.strptime(since, "%Y-%m-%d").replace(tzinfo=settings.agency.tz)
        except ValueError:
            raise _fail("--since must be a date like 2025-01-31") from None

    def run(session: Any) -> list[Any]:
        case_id = None
        if case:
            found = find_case(session, case)
            if found is None:
                raise _fail(f"no case {case!r}")
            case_id = found.id
        return audit_rows(session, case_id=case_id, since=start)

    rows = _db(settings).call(run)
    fields = ("id", "time", "case", "actor", "staff", "action", "detail")
    records = [
        {"id": r.id, "time": r.created_at.isoformat(), "case": r.case_reference or "", "actor": r.actor,
         "staff": r.actor_name or "", "action": r.action, "detail": r.detail or ""}
        for r in rows
    ]
    buffer = io.StringIO()
    if fmt == "csv":
        writer = csv.DictWriter(buffer, fieldnames=fields)
        writer.writeheader()
        writer.writerows(records)
    else:
        for record in records:
            buffer.write(json.dumps(record, ensure_ascii=False) + "\n")
    if out is None:
        sys.stdout.write(buffer.getvalue())
    else:
        out.write_text(buffer.getvalue(), encoding="utf-8")
        typer.echo(f"Wrote {len(records)} audit entries to {out}.", err=True)
