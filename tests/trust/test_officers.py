import pytest

import trust
from tests.support.demo import DEMO_TZ, demo_messages, demo_org
from trust.aggregate import stats_from_messages
from trust.model import GroupKey, GroupStats
from trust.officers import (
    OfficerAccessError,
    OfficerAudience,
    officer_figure,
    officer_stats_from_messages,
)
from trust.report import TrustReport
from trust.settings import TrustSettings

S = TrustSettings()
WEEK = "2026-W47"
SUPERVISORS = {"n-patrol-o1": "sgt-north", "n-patrol-o2": "sgt-north"}


@pytest.fixture(scope="module")
def data():
    msgs = demo_messages(last_period=WEEK, weeks=2)
    org = demo_org()
    return dict(
        org=org,
        officers=officer_stats_from_messages(msgs, period=WEEK, tz=DEMO_TZ, settings=S),
        week=stats_from_messages(msgs, period=WEEK, tz=DEMO_TZ, org=org, settings=S),
    )


def _figure(data, officer, audience, settings=S):
    return officer_figure(officer, audience=audience, supervisor_of=SUPERVISORS, period=WEEK,
                          current=data["officers"].get(officer, GroupStats()), unit_id="n-patrol",
                          period_stats=data["week"], org=data["org"], settings=settings)


def test_an_officer_sees_their_own_figure(data):
    fig = _figure(data, "n-patrol-o1", OfficerAudience("n-patrol-o1", "self"),
                  TrustSettings(min_residents=2))
    assert fig.n_residents >= 2 and fig.index is not None and 0 <= fig.index <= 100


def test_the_direct_supervisor_sees_the_officers_figure(data):
    fig = _figure(data, "n-patrol-o2", OfficerAudience("sgt-north", "supervisor"))
    assert fig.audience.relation == "supervisor"


@pytest.mark.parametrize("audience", [
    OfficerAudience("n-patrol-o2", "self"),          # a colleague claiming "self"
    OfficerAudience("n-patrol-o2", "supervisor"),    # a colleague claiming "supervisor"
    OfficerAudience("sgt-south", "supervisor"),      # another unit's supervisor
    OfficerAudience("n-patrol-o1", "supervisor"),    # oneself as one's own supervisor
])
def test_anyone_else_is_refused(data, audience):
    with pytest.raises(OfficerAccessError):
        _figure(data, "n-patrol-o1", audience)


def test_officer_below_min_residents_gets_no_number(data):
    fig = _figure(data, "n-patrol-o1", OfficerAudience("n-patrol-o1", "self"),
                  TrustSettings(min_residents=500))
    assert (fig.index, fig.index_low, fig.index_high) == (None, None, None)


def test_officer_figures_cannot_enter_a_report_or_digest():
    with pytest.raises(ValueError):
        GroupKey("officer", "n-patrol-o1")
    assert not any(f.name.startswith("officer") for f in TrustReport.__dataclass_fields__.values())
    assert "officer_figure" not in trust.__all__
