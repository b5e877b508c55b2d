"""A resident says their feedback is a complaint about how an officer behaved.

The submission is flagged like a rule-detected misconduct allegation (``SENSITIVE_FLAGS``), which
is what opening and routing already read: the case opens as sensitive and goes to a supervisor,
never to the officer concerned. A case opened before the resident said so is made sensitive here
and taken off the officer concerned; the scan job then prompts its new assignee.
"""

from __future__ import annotations

from sqlmodel import Session, select

from storage.cases.base import SENSITIVE_FLAGS, Actor, _audit
from storage.cases.routing import _assign, route_initial
from storage.models import FeedbackMessage, Submission
from storage.models_cases import CASE_RESOLVED, FollowupCase

COMPLAINT_FLAG = "misconduct"
assert COMPLAINT_FLAG in SENSITIVE_FLAGS  # the flag opening and routing read


def mark_conduct_complaint(session: Session, submission_id: int, resident_id: int) -> bool:
    """Flag the resident's own submission as a conduct complaint; False if it is not theirs."""
    sub = session.get(Submission, submission_id)
    if sub is None or sub.resident_id != resident_id:
        return False
    for msg in session.exec(select(FeedbackMessage).where(FeedbackMessage.submission_id == submission_id)).all():
        if COMPLAINT_FLAG not in msg.flags:
            msg.flags = [*msg.flags, COMPLAINT_FLAG]  # a new list, so the JSON column is saved
    case = session.exec(select(FollowupCase).where(FollowupCase.submission_id == submission_id)).first()
    if case is not None and not case.sensitive:
        case.sensitive = True
        moved = ""
        if case.status != CASE_RESOLVED and case.officer_id is not None and case.assignee_id == case.officer_id:
            target = route_initial(session, case.unit_id, case.officer_id, True)
            _assign(session, case, target)
            moved = f"; moved to {'staff #' + str(target.id) if target else 'nobody'}"
        _audit(session, Actor(None, "resident"), "marked_complaint", case.id, "resident: conduct complaint" + moved)
    session.flush()
    return True
