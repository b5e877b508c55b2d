"""Trust Index: pure statistics for the weekly commanders' digest.

No Telegram, no database, no texts, no global state: dataclasses in,
dataclasses out. See docs/trust-index.md. The digest's words, layout and
charts live in :mod:`services.trust_digest` and :mod:`services.trust_charts`,
next to the text catalogue they read.
Officer-level figures live in :mod:`trust.officers` and are deliberately not
re-exported here.
"""

import types as _types

from .aggregate import (
    content_key,
    message_value,
    quote_candidates_from_messages,
    rating_to_value,
    stats_by_period,
    stats_from_messages,
    stats_from_voices,
    voices_from_messages,
)
from .model import (
    AGENCY_KEY,
    CHANNEL_DEEP_LINK,
    CHANNEL_DIRECT,
    RATING_ITEMS,
    FeedbackMessage,
    FollowUpStats,
    GroupKey,
    GroupStats,
    OrgChart,
    PeriodStats,
    QuoteCandidate,
    ResidentVoice,
    Unit,
    pool_stats,
)
from .periods import (
    IsoWeek,
    format_period,
    next_period,
    parse_period,
    period_bounds,
    period_of,
    period_range,
    previous_period,
    shift_period,
    trailing_periods,
)
from .report import (
    AttentionItem,
    Figure,
    HistoryPoint,
    Mention,
    Reason,
    Trend,
    TrustReport,
    compute_report,
    history_for,
    report_from_messages,
    select_quotes,
)
from .settings import TrustSettings
from .stats import Comparison, Estimate, compare, estimate_all, estimate_group, to_index

__all__ = [n for n, v in dict(globals()).items()
           if not n.startswith("_") and not isinstance(v, _types.ModuleType)]
