"""Follow-up cases: opening them from negative feedback, routing, staff actions, the relay outbox,
reminders and escalations, kudos, /forget, and figures for digests.

Every function takes an open session and leaves committing to the caller (``Database.run``).
Authorisation is the caller's job (``services.access``); these functions trust their ``Actor`` and
write every change to the append-only audit log. Nothing here returns or stores a resident's
Telegram id, name or chat id, except ``resident_contact`` which the bot uses to write to them.

One module per concern; callers use the package (``from storage import cases as store``), which
re-exports every public name below. Imports inside the package go one way only, so there is
no cycle: ``base`` imports nothing here; ``routing``, ``resident`` and ``kudos`` import only
``base``; ``opening``, ``views``, ``actions`` and ``outbox`` build on those; ``reminders`` on
``actions``; ``audit``, ``corrections``, ``forget``, ``figures``, ``sweeps``, ``prompts`` and ``coverage`` on
``base`` alone (or nothing here).
"""

from __future__ import annotations

from storage.cases.actions import (
    acknowledge,
    add_reply,
    awaiting_reply,
    clear_pending,
    escalate,
    live_pending_of_user,
    mark_sensitive,
    reassign,
    reopen_unhelpful,
    resolve,
    set_pending,
    take_pending,
    unmark_sensitive,
)
from storage.cases.audit import AuditRow, audit_denied, audit_rows, record_action
from storage.cases.base import SENSITIVE_FLAGS, Actor, CaseActionError, FollowupRules, get_case, note_system
from storage.cases.complaint import mark_conduct_complaint
from storage.cases.corrections import (
    SENTIMENT_LABELS,
    CorrectionOutcome,
    TrainingExample,
    correct_sentiment,
    correct_topics,
    latest_corrections,
    training_examples,
)
from storage.cases.coverage import RoutingGaps, routing_gaps, unit_count, unowned_open_cases
from storage.cases.figures import FollowupCounts, followup_counts, followup_stats
from storage.cases.forget import forget_resident_cases
from storage.cases.kudos import KudosBatch, due_kudos, mark_kudos_sent, queue_kudos
from storage.cases.opening import (
    DONE_SCORING,
    Evaluation,
    evaluate_submission,
    sensitive_from_flags,
    submissions_of_messages,
)
from storage.cases.outbox import (
    MAX_RELAY_ATTEMPTS,
    Closing,
    Relay,
    StaffTarget,
    assignee_target,
    claim_relays,
    claim_status_messages,
    claim_unnotified,
    closing_of,
    finish_relay,
    finish_status_message,
    mark_contact_blocked_for_case,
    record_resident_notice,
    relay,
    release_notification,
)
from storage.cases.prompts import PromptRef, had_prompt, live_prompts, record_prompt, retire_prompt
from storage.cases.relay_lookup import open_relays
from storage.cases.reminders import DueAction, auto_escalate, claim_reminder, due_actions
from storage.cases.resident import (
    ResidentContactInfo,
    add_resident_answer,
    case_of_resident_reply,
    record_helpful,
    resident_contact,
)
from storage.cases.routing import escalation_target, first_above, reassign_candidates, reroute_cases_of, route_initial
from storage.cases.sweeps import UnassignedNotice, claim_unassigned, recent_submissions_without_case
from storage.cases.views import (
    CaseView,
    MessageView,
    NoteView,
    case_by_submission_reference,
    case_reference,
    case_view,
    find_case,
    open_cases,
)

__all__ = [
    "DONE_SCORING",
    "MAX_RELAY_ATTEMPTS",
    "SENSITIVE_FLAGS",
    "SENTIMENT_LABELS",
    "Actor",
    "AuditRow",
    "CaseActionError",
    "CaseView",
    "Closing",
    "CorrectionOutcome",
    "DueAction",
    "Evaluation",
    "FollowupCounts",
    "FollowupRules",
    "KudosBatch",
    "MessageView",
    "NoteView",
    "PromptRef",
    "Relay",
    "ResidentContactInfo",
    "RoutingGaps",
    "StaffTarget",
    "TrainingExample",
    "UnassignedNotice",
    "acknowledge",
    "add_reply",
    "add_resident_answer",
    "assignee_target",
    "audit_denied",
    "audit_rows",
    "auto_escalate",
    "awaiting_reply",
    "case_by_submission_reference",
    "case_of_resident_reply",
    "case_reference",
    "case_view",
    "claim_relays",
    "claim_reminder",
    "claim_status_messages",
    "claim_unassigned",
    "claim_unnotified",
    "clear_pending",
    "closing_of",
    "correct_sentiment",
    "correct_topics",
    "due_actions",
    "due_kudos",
    "escalate",
    "escalation_target",
    "evaluate_submission",
    "sensitive_from_flags",
    "find_case",
    "finish_relay",
    "finish_status_message",
    "first_above",
    "followup_counts",
    "followup_stats",
    "forget_resident_cases",
    "get_case",
    "had_prompt",
    "latest_corrections",
    "live_pending_of_user",
    "live_prompts",
    "mark_conduct_complaint",
    "mark_contact_blocked_for_case",
    "mark_kudos_sent",
    "mark_sensitive",
    "note_system",
    "open_cases",
    "open_relays",
    "queue_kudos",
    "reassign",
    "reassign_candidates",
    "recent_submissions_without_case",
    "record_action",
    "record_helpful",
    "record_prompt",
    "record_resident_notice",
    "relay",
    "release_notification",
    "reopen_unhelpful",
    "reroute_cases_of",
    "resident_contact",
    "resolve",
    "retire_prompt",
    "route_initial",
    "routing_gaps",
    "unit_count",
    "set_pending",
    "submissions_of_messages",
    "take_pending",
    "training_examples",
    "unmark_sensitive",
    "unowned_open_cases",
]
