import re
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser

import pytest

from services.trust_digest import ALLOWED_TAGS, compose_digest, render_digest_text, telegram_length
from tests.support.demo import DEMO_TZ, demo_messages, demo_org
from trust.model import FeedbackMessage, FollowUpStats, GroupKey, OrgChart, Unit
from trust.report import report_from_messages
from trust.settings import TrustSettings

WEEK = "2026-W47"
HOSTILE = '<script>alert("x")</script> & <b>Sons</b> &amp; 🚓'


class _TagChecker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.errors.append(f"tag <{tag}> not allowed by Telegram")
        if tag == "pre" and "pre" in self.stack:
            self.errors.append("nested pre")
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unbalanced </{tag}> (open: {self.stack})")
        else:
            self.stack.pop()


def assert_valid_telegram_html(chunk, limit=4096):
    assert telegram_length(chunk) <= limit and telegram_length(chunk) < 4096
    checker = _TagChecker()
    checker.feed(chunk)
    checker.close()
    assert not checker.errors, checker.errors
    assert checker.stack == [], f"unclosed tags {checker.stack}"
    # every & starts a complete entity: nothing was cut inside one
    assert not re.search(r"&(?!(amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);)", chunk), chunk
    assert "<script" not in chunk.lower()


@pytest.fixture(scope="module")
def demo_report():
    follow = {GroupKey.agency(): FollowUpStats(40, 31, 20, 14),
              GroupKey.unit("n-patrol"): FollowUpStats(9, 5, 4, 1)}
    return report_from_messages(demo_messages(WEEK), WEEK, tz=DEMO_TZ, org=demo_org(),
                                settings=TrustSettings(), follow_ups=follow)


@pytest.fixture(scope="module")
def hostile_report():
    """300 units with hostile names, hostile topics and hostile quotes."""
    monday = datetime(2026, 11, 16, 6, tzinfo=UTC)
    units = [Unit(f"u{i}", f"{HOSTILE} unit {i}", f"d{i % 7}") for i in range(300)]
    org = OrgChart.build(units, {f"d{j}": f"<i>District</i> {j} & co" for j in range(7)},
                         agency_name="<Agency> & \"friends\"")
    msgs = []
    for i, unit in enumerate(units):
        for r in range(6):
            msgs.append(FeedbackMessage(
                f"res-{i}-{r}", monday + timedelta(minutes=7 * i + r), -0.9 + 0.3 * r + 0.001 * i,
                unit_id=unit.unit_id, topics=("<img src=x onerror=alert(1)>",),
                redacted_text=f"{HOSTILE} quote {i}/{r} " + "&lt;already escaped&gt; " * 3))
    return report_from_messages(msgs, WEEK, tz="UTC", org=org, settings=TrustSettings())


def test_every_message_fits_telegram_and_has_balanced_allowed_tags(hostile_report):
    chunks = compose_digest(hostile_report, "en")
    assert len(chunks) > 5
    for chunk in chunks:
        assert_valid_telegram_html(chunk, 4000)


def test_hostile_names_topics_and_quotes_are_escaped_not_interpreted(hostile_report):
    text = "\n".join(compose_digest(hostile_report, "en"))
    assert "&lt;script&gt;" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "&amp;amp;" in text  # a literal "&amp;" typed by a resident stays literal
    assert "&lt;Agency&gt; &amp; \"friends\"" in text


def test_nothing_is_lost_when_a_digest_is_split(hostile_report):
    chunks = compose_digest(hostile_report, "en")
    unit_rows = 0
    for chunk in chunks:
        for table in re.findall(r"<pre>(.*?)</pre>", chunk, flags=re.S):
            header, *rows = table.split("\n")
            if header.startswith("Unit "):
                unit_rows += len(rows)
    assert unit_rows == 300


@pytest.mark.parametrize("limit", [500, 1200])
def test_small_limits_split_tables_and_long_lines_without_breaking_markup(hostile_report, limit):
    cfg = TrustSettings(quote_max_chars=1000, digest_message_limit=limit)
    chunks = compose_digest(hostile_report, "es", settings=cfg)
    for chunk in chunks:
        assert_valid_telegram_html(chunk, limit)
    # a split <pre> table repeats its header row
    headers = [c for c in chunks if "<pre>Unidad" in c]
    assert len(headers) > 1


def test_digest_leads_with_index_interval_residents_and_trend_verdicts(demo_report):
    first = compose_digest(demo_report, "en")[0]
    a = demo_report.agency
    assert f"Trust Index: {round(a.index)}</b>" in first
    assert "90% interval" in first and f"{a.n_residents} residents" in first
    assert "vs last week:" in first and "vs 12-week baseline:" in first
    assert ("significant" in first) and ("within noise" in first)
    assert "Follow-up: 31/40 answered (78%)" in first


def test_needs_attention_says_why_where_and_quotes(demo_report):
    text = render_digest_text(demo_report, "en")
    section = text.split("Needs attention", 1)[1].split("Districts", 1)[0]
    assert "1. North Patrol · North" in section
    assert "Why: fell" in section and "(significant)" in section
    assert "Top concerns: response time" in section
    assert "Residents said (redacted):" in section and "— “" in section


def test_small_unit_row_reads_not_enough_feedback_without_an_index(demo_report):
    text = render_digest_text(demo_report, "en")
    row = next(line for line in text.splitlines() if line.startswith("South K-9"))
    assert "not enough feedback" in row
    assert re.fullmatch(r"South K-9\s+\d+\s+not enough feedback", row)


def test_footer_explains_the_scale_and_says_not_a_percentage(demo_report):
    text = render_digest_text(demo_report, "en")
    assert "50 is neutral" in text and "It is not a percentage." in text
    es = render_digest_text(demo_report, "es")
    assert "No es un porcentaje." in es and "50 es neutral" in es


def test_spanish_digest_uses_spanish_texts_and_decimal_comma(demo_report):
    chunks = compose_digest(demo_report, "es-CO")
    joined = "\n".join(chunks)
    assert "Índice de Confianza — resumen semanal" in joined
    assert "Requiere atención" in joined and "opiniones insuficientes" in joined
    assert re.search(r"\d,\d puntos", joined)
    assert "Needs attention" not in joined


def test_plain_text_rendering_has_no_markup(demo_report):
    text = render_digest_text(demo_report, "en")
    assert not re.search(r"</?(b|i|pre)>", text)
    assert text.startswith("Trust Index — weekly digest\n")


def test_unknown_language_falls_back_to_english(demo_report):
    assert compose_digest(demo_report, "de")[0] == compose_digest(demo_report, "en")[0]


def test_compose_digest_refuses_anything_but_a_report():
    with pytest.raises(TypeError):
        compose_digest({"agency": 50}, "en")
