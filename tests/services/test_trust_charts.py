import io

import pytest
from matplotlib.image import imread

from services.trust_charts import figures_chart_png, history_chart_png, trend_chart_png, units_chart_png
from services.trust_digest import digest_files
from tests.support.demo import DEMO_TZ, demo_messages, demo_org
from trust.model import GroupKey
from trust.report import Figure, HistoryPoint, report_from_messages
from trust.settings import TrustSettings

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def report():
    return report_from_messages(demo_messages("2026-W47"), "2026-W47", tz=DEMO_TZ, org=demo_org(),
                                settings=TrustSettings())


def _image(png):
    assert png.startswith(PNG_MAGIC)
    return imread(io.BytesIO(png), format="png")


def test_trend_chart_is_a_readable_png_of_the_last_12_weeks(report):
    img = _image(trend_chart_png(report, "en"))
    height, width = img.shape[:2]
    assert width >= 800 and height >= 400
    assert len(report.history) == 12


def test_units_chart_is_a_png_with_one_bar_per_unit_in_spanish(report):
    img = _image(units_chart_png(report, "es"))
    assert img.shape[0] > 8 * 40  # grows with the number of units


def test_charts_cope_with_weeks_and_units_without_enough_feedback():
    points = [HistoryPoint("2026-W45", 3, None, None, None),
              HistoryPoint("2026-W46", 0, None, None, None),
              HistoryPoint("2026-W47", 12, 61.0, 52.0, 70.0)]
    _image(history_chart_png(points, lang="en"))
    _image(history_chart_png([HistoryPoint("2026-W47", 0, None, None, None)], lang="es"))
    figs = [Figure(GroupKey.unit("u1"), "Only unit", 2, 2, None, None, None)]
    _image(figures_chart_png(figs, lang="en", title="t"))
    _image(figures_chart_png([], lang="en", title="empty"))


def test_digest_files_hold_text_html_and_two_charts(report):
    files = digest_files(report, "en")
    assert sorted(files) == sorted([
        "trust-digest-2026-W47-en.txt", "trust-digest-2026-W47-en.html",
        "trust-trend-2026-W47-en.png", "trust-units-2026-W47-en.png"])
    assert files["trust-digest-2026-W47-en.txt"].decode().startswith("Trust Index")
    assert all(files[name].startswith(PNG_MAGIC) for name in files if name.endswith(".png"))
