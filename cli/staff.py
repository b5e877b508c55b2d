"""`trustline staff ...`: invite, list, revoke and move staff; register staff chats."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Optional, TypeVar

import typer

from cli.common import ConfigOption, fail, open_db_with_units, settings_from, when
from services.settings import Settings

T = TypeVar("T")

staff_app = typer.Typer(help="Staff: invite, list, revoke, move; staff chats.", no_args_is_help=True)


def _call(settings: Settings, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn`` in one transaction on the migrated database (units synced), a StaffError (unknown
    unit, revoked member, ...) turned into the command's one-line failure: every staff command
    reports a refused operation the same way."""
    from storage.staff import StaffError

    try:
        return open_db_with_units(settings).call(fn, *args, **kwargs)
    except StaffError as exc:
        raise fail(str(exc)) from None


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
    from storage.staff import invite

    settings = settings_from(ctx, config)
    inv = _call(settings, invite, role=role.lower(), unit_code=unit, district=district, name=name,
                hours=settings.followup.enrollment_code_hours)
    where = inv.unit_code or (f"district {inv.district}" if inv.district else "the whole agency")
    typer.echo(f"Invited staff #{inv.staff_id}: {inv.role} for {where}{' (' + inv.display_name + ')' if inv.display_name else ''}.")
    typer.echo(f"Enrolment code (valid until {when(inv.expires_at, settings)}, shown only once):\n")
    typer.secho(f"    {inv.code}\n", bold=True)
    typer.echo(f"They send  /enroll {inv.code}  to the bot in a private chat.")


@staff_app.command("reissue")
def staff_reissue(ctx: typer.Context, staff_id: Annotated[int, typer.Argument(help="Staff number")], config: ConfigOption = None) -> None:
    """A fresh enrolment code for an existing staff member (new phone, expired code)."""
    from storage.models_cases import append_audit
    from storage.staff import issue_code

    settings = settings_from(ctx, config)

    def run(session: Any) -> tuple[str, datetime]:
        code, expires = issue_code(session, staff_id, settings.followup.enrollment_code_hours)
        append_audit(session, "code_reissued", actor="cli", detail=f"staff #{staff_id}")
        return code, expires

    code, expires = _call(settings, run)
    typer.echo(f"New code for staff #{staff_id} (valid until {when(expires, settings)}; earlier codes no longer work):\n")
    typer.secho(f"    {code}\n", bold=True)


@staff_app.command("list")
def staff_list(
    ctx: typer.Context,
    unit: Annotated[Optional[str], typer.Option(help="Only this unit")] = None,  # noqa: UP045
    all_: Annotated[bool, typer.Option("--all", help="Include revoked staff")] = False,
    config: ConfigOption = None,
) -> None:
    """List staff with their role, scope and enrolment state."""
    from storage.staff import list_staff

    settings = settings_from(ctx, config)
    rows = _call(settings, list_staff, unit_code=unit, include_revoked=all_)
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
            state = f"invited (code valid until {when(row.pending_code_expires, settings)})"
        else:
            state = "invited (code expired: `staff reissue`)"
        typer.echo(f"{row.id:>4}  {row.display_name[:24] or '-':<24} {row.role:<11} {row.unit_code or '-':<14} {row.district or '-':<12} {state}")


@staff_app.command("revoke")
def staff_revoke(ctx: typer.Context, staff_id: Annotated[int, typer.Argument(help="Staff number")], config: ConfigOption = None) -> None:
    """Take someone's access away now; their open cases go to the next person in line."""
    from storage.cases import reroute_cases_of
    from storage.staff import revoke_staff

    settings = settings_from(ctx, config)

    def run(session: Any) -> list[int]:
        revoke_staff(session, staff_id)
        return reroute_cases_of(session, staff_id)

    moved = _call(settings, run)
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
    from storage.staff import move_staff

    if unit is None and role is None and district is None:
        raise fail("Say what changes: --unit, --role and/or --district.")
    settings = settings_from(ctx, config)

    def run(session: Any) -> list[int]:
        staff = move_staff(session, staff_id, unit_code=unit, role=role.lower() if role else None, district=district)
        member = find_member(session, staff.telegram_user_id, []) if staff.telegram_user_id else None
        if member is None:
            return reroute_cases_of(session, staff_id)
        return reroute_cases_of(
            session,
            staff_id,
            still_allowed=lambda case: may_handle_case(session, member, case) and _in_scope(session, member, case),
        )

    moved = _call(settings, run)
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

    settings = settings_from(ctx, config)
    rows = open_db_with_units(settings).call(list_chats, active_only=False)
    if not rows:
        typer.echo("No staff chats. In a group with the bot, a commander sends /register; or use `staff chat-add`.")
    for chat in rows:
        scope = chat.scope_kind + (f":{chat.scope_value}" if chat.scope_value else "")
        state = "active" if chat.active else f"inactive{' (' + chat.last_error + ')' if chat.last_error else ''}"
        typer.echo(f"{chat.chat_id:>16}  {chat.title[:30] or '-':<30} {scope:<24} {state}")


@staff_app.command("chat-add")
def staff_chat_add(
    ctx: typer.Context,
    chat_id: Annotated[
        int,
        typer.Option(
            "--chat-id", help="Telegram chat id of the group/channel, e.g. -1001234567890 (the bot must be a member)"
        ),
    ],
    scope: Annotated[str, typer.Option(help="agency | district:NAME | unit:CODE")],
    title: Annotated[str, typer.Option(help="A name to recognise it by")] = "",
    config: ConfigOption = None,
) -> None:
    """Register a staff chat from the command line (instead of /register in the chat)."""
    from storage.staff import parse_scope, register_chat

    settings = settings_from(ctx, config)

    def run(session: Any) -> str:
        kind, value = parse_scope(session, scope)
        register_chat(
            session,
            chat_id,
            title=title,
            scope_kind=kind,
            scope_value=value,
            registered_by=None,
            language=settings.agency.default_language,
            actor="cli",
        )
        return kind + (f":{value}" if value else "")

    label = _call(settings, run)
    typer.echo(f"Chat {chat_id} registered for {label}. Make sure the bot is a member (an admin in channels).")


@staff_app.command("chat-remove")
def staff_chat_remove(
    ctx: typer.Context,
    chat_id: Annotated[int, typer.Option("--chat-id", help="Telegram chat id")],
    config: ConfigOption = None,
) -> None:
    """Stop sending digests and alerts to a chat."""
    from storage.staff import unregister_chat

    settings = settings_from(ctx, config)
    if not open_db_with_units(settings).call(unregister_chat, chat_id, actor="cli"):
        raise fail(f"Chat {chat_id} is not registered.")
    typer.echo(f"Chat {chat_id} unregistered.")
