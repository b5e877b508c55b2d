"""``/mytrust``: officer-level Trust Index figures, in private chats only.

An officer sees their own figure; a supervisor also sees the officers of their own unit, a
commander those of their district (agency-wide without one), an admin everyone's. Anyone else
(a resident, a stranger, a revoked officer) gets the usual "staff only" reply. Figures are the
last complete ISO week's in the agency's time zone, computed by :mod:`trust.officers`, which
re-checks the audience against the supervision map built here. Numbers only: an officer reading
a quote about themselves could recognise the resident, so no resident text is ever shown.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import Update
from telegram.ext import ContextTypes

from bot.runtime import runtime
from bot.staff import reply, staff_texts
from services.access import Member, find_member, member_units
from services.digest_schedule import last_complete_week
from services.i18n import Texts
from services.settings import Settings
from storage import rollups
from storage.activity import active_officers, officer_messages
from storage.db import Session
from trust.model import GroupStats
from trust.officers import (
    OfficerAccessError,
    OfficerAudience,
    OfficerFigure,
    officer_figure,
    officer_stats_from_messages,
)
from trust.periods import period_bounds, previous_period
from trust.stats import index_text

log = logging.getLogger(__name__)
Ctx = ContextTypes.DEFAULT_TYPE
MAX_OFFICERS = 200  # one line each; split_message keeps every message under 4096 characters


@dataclass(frozen=True)
class Subject:
    """An officer whose figure the viewer may see, and how (``"self"`` or ``"supervisor"``)."""

    staff_id: int
    name: str
    unit_code: str | None
    relation: str


def viewer_key(member: Member) -> str:
    # Bootstrap admins have no staff row; they can never be "self" for an officer.
    return str(member.staff_id) if member.staff_id is not None else "admin"


def subjects_for(session: Session, member: Member) -> list[Subject]:
    """The viewer first (if they are a staff row), then the officers their role lets them see:
    a supervisor's own unit, a commander's district (or agency), an admin's agency. Strict: an
    officer sees only themselves, whatever their unit."""
    out: list[Subject] = []
    if member.staff_id is not None:
        out.append(Subject(member.staff_id, member.name, member.unit_code, "self"))
    if member.role == "officer":
        return out
    if member.role == "supervisor":
        units: list[int] | None = [member.unit_id] if member.unit_id is not None else []
    else:  # commander or admin
        units = member_units(session, member)
    if units == []:
        return out
    out += [Subject(o.staff_id, o.name, o.unit_code, "supervisor")
            for o in active_officers(session, units) if o.staff_id != member.staff_id]
    return out[:MAX_OFFICERS]


def compute_figures(session: Session, settings: Settings, member: Member, period: str) -> list[tuple[Subject, OfficerFigure]]:
    subjects = subjects_for(session, member)
    if not subjects:
        return []
    tz, trust = settings.agency.tz, settings.trust
    viewer = viewer_key(member)
    supervisor_of = {str(s.staff_id): viewer for s in subjects if s.relation == "supervisor"}
    org = rollups.org_chart(session, settings.agency.name)
    before = previous_period(period)
    ids = [s.staff_id for s in subjects]
    stats = {}
    for p in (period, before):
        start, end = period_bounds(p, tz)
        msgs = officer_messages(session, ids, start, end)
        stats[p] = (officer_stats_from_messages(msgs, period=p, tz=tz, settings=trust), rollups.period_stats(session, p, org))
    (now, ps_now), (prev, ps_prev) = stats[period], stats[before]
    out = []
    for s in subjects:
        key = str(s.staff_id)
        audience = OfficerAudience(viewer if s.relation == "supervisor" else key, s.relation)  # type: ignore[arg-type]
        try:
            fig = officer_figure(
                key, audience=audience, supervisor_of=supervisor_of, period=period,
                current=now.get(key) or GroupStats(), unit_id=s.unit_code if s.unit_code in org.units else None,
                period_stats=ps_now, org=org, settings=trust,
                previous=prev.get(key) or GroupStats(), previous_period_stats=ps_prev,
            )
        except OfficerAccessError:  # never expected: the map is built from the same scope
            log.warning("officer figure refused for viewer %s, officer %s", viewer, key)
            continue
        out.append((s, fig))
    return out



def figure_line(tx: Texts, subject: Subject, fig: OfficerFigure, min_residents: int) -> str:
    # Names go in as values: Texts HTML-escapes every value.
    name = tx("mytrust.you") if subject.relation == "self" else subject.name
    if subject.relation != "self" and subject.unit_code:
        name = f"{name} ({subject.unit_code})"
    if fig.index is None or fig.index_low is None or fig.index_high is None:
        return tx("mytrust.not_enough", name=name, residents=fig.n_residents, min=min_residents)
    line = tx("mytrust.figure", name=name, index=index_text(fig.index), low=index_text(fig.index_low),
              high=index_text(fig.index_high), residents=fig.n_residents)
    if fig.delta_vs_previous is None:
        return line + " " + tx("mytrust.no_change")
    d = fig.delta_vs_previous
    arrow = "↑" if d >= 0.05 else "↓" if d <= -0.05 else "→"
    verdict = tx("mytrust.significant") if fig.significant_vs_previous else tx("mytrust.within_noise")
    return line + " " + tx("mytrust.change", arrow=arrow, delta=f"{abs(d):.1f}", verdict=verdict)


def render(tx: Texts, period: str, rows: list[tuple[Subject, OfficerFigure]], min_residents: int) -> str:
    lines = [tx("mytrust.title", period=period)]
    others = [r for r in rows if r[0].relation == "supervisor"]
    # A supervisor with no feedback of their own need not read an empty line about themselves.
    own = [r for r in rows if r[0].relation == "self" and (r[1].n_residents > 0 or not others)]
    lines += [figure_line(tx, s, f, min_residents) for s, f in own]
    if others:
        lines += ["", tx("mytrust.officers_title")]
        lines += ["• " + figure_line(tx, s, f, min_residents) for s, f in others]
    elif not own:
        lines.append(tx("mytrust.nobody"))
    lines += ["", tx("mytrust.footer")]
    return "\n".join(lines)


async def mytrust_command(update: Update, context: Ctx) -> None:
    rt = runtime(context)
    tx = staff_texts(rt)
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    if chat.type != "private":  # figures about named officers never go to a group
        await reply(update, tx("staff.private_only"))
        return
    member = await rt.db.run(find_member, user.id, rt.settings.telegram.admin_ids)
    if member is None:
        await reply(update, tx("staff.not_staff"))
        return
    period = last_complete_week(rt.hooks.clock(), rt.settings.agency.tz)
    rows = await rt.db.run(compute_figures, rt.settings, member, period)
    await reply(update, render(tx, period, rows, rt.settings.trust.min_residents))
