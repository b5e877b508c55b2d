"""Estimation: shrinkage toward the parent, intervals, trend tests.

Model (normal-normal, per group g with parent p)::

    resident voices  y_i | theta_g  ~  N(theta_g, sigma^2)
    prior            theta_g        ~  N(theta_p, sigma^2 / k)

so the prior is worth k residents. The posterior is

    mean  = (n * ybar + k * theta_p) / (n + k)
    se    = s~ / sqrt(n + k)
    s~^2  = ((n - 1) * s^2 + k * s_p~^2) / ((n - 1) + k)     (variance, shrunk alike)
    df    = (n - 1) + k

and the interval is ``mean +- t_{df, (1 + level) / 2} * se``. At the root
(the agency: no parent) and with k = 0 this is the textbook t interval
``ybar +- t_{n-1} * s / sqrt(n)``. See docs/trust-index.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

from .model import AGENCY_KEY, GroupKey, GroupStats, OrgChart, PeriodStats
from .settings import TrustSettings

# --------------------------------------------------------------------------
# quantiles (no SciPy dependency)

def z_quantile(level: float) -> float:
    """Two-sided critical value of the standard normal at ``level`` (0.90 -> 1.6449)."""
    if not 0.0 < level < 1.0:
        raise ValueError("level must be within (0, 1)")
    return NormalDist().inv_cdf(0.5 + level / 2.0)


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 400):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def _betainc(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """CDF of Student's t with (real) ``df`` degrees of freedom."""
    if df <= 0:
        raise ValueError("df must be > 0")
    tail = 0.5 * _betainc(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


@lru_cache(maxsize=4096)
def t_quantile(level: float, df: float) -> float:
    """Two-sided critical value of Student's t: P(|T| <= q) = level.

    (0.90, 4) -> 2.1318; (0.90, 14) -> 1.7613; df = inf -> the normal value."""
    if not 0.0 < level < 1.0:
        raise ValueError("level must be within (0, 1)")
    if df <= 0:
        raise ValueError("df must be > 0")
    if math.isinf(df) or df > 1e7:
        return z_quantile(level)
    p = 0.5 + level / 2.0
    lo, hi = 0.0, max(1.0, z_quantile(level))
    while t_cdf(hi, df) < p:
        lo, hi = hi, hi * 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-12:
            break
    return 0.5 * (lo + hi)


# --------------------------------------------------------------------------
# estimates

def to_index(value: float) -> float:
    """[-1, 1] -> Trust Index 0-100 (50 = neutral), clipped."""
    return min(100.0, max(0.0, 50.0 * (1.0 + value)))


def index_text(index: float) -> str:
    """A Trust Index as people read it: a whole number, halves rounded up (``round`` would show
    62.5 as 62, so the same figure could read differently in two places)."""
    return str(math.floor(index + 0.5))


@dataclass(frozen=True, slots=True)
class Estimate:
    """A group's estimate on the value scale [-1, 1] (internal: may rest on
    too few residents to show; :mod:`trust.report` decides what is shown)."""

    n_residents: int
    raw_mean: float | None  # the group's own mean over residents
    prior_mean: float | None  # the parent's estimate it was shrunk toward
    mean: float  # posterior (shrunk) mean
    variance: float | None  # between-resident variance, shrunk toward the parent's
    se: float | None
    df: float | None
    low: float | None
    high: float | None

    @property
    def index(self) -> float:
        return to_index(self.mean)

    @property
    def index_low(self) -> float | None:
        return None if self.low is None else to_index(self.low)

    @property
    def index_high(self) -> float | None:
        return None if self.high is None else to_index(self.high)


def estimate_group(
    stats: GroupStats, parent: Estimate | None, settings: TrustSettings
) -> Estimate:
    """Shrunk estimate and interval of one group (``parent`` None: the root)."""
    n = stats.n_residents
    level = settings.confidence_level
    if parent is None:
        if n == 0:
            return Estimate(0, None, None, 0.0, None, None, None, None, None)
        mean = stats.mean
        var = stats.variance
        df = float(n - 1)
        se = math.sqrt(var / n) if var is not None else None
        prior_mean = None
        raw = mean
    else:
        if n == 0:
            return Estimate(0, None, parent.mean, parent.mean, parent.variance, None, None, None, None)
        k = settings.prior_strength
        raw = stats.mean
        prior_mean = parent.mean
        mean = (n * raw + k * parent.mean) / (n + k)
        own_df = float(n - 1)
        own_var = stats.variance if n >= 2 else 0.0
        prior_df = k if parent.variance is not None else 0.0
        prior_var = parent.variance if parent.variance is not None else 0.0
        df = own_df + prior_df
        var = (own_df * own_var + prior_df * prior_var) / df if df > 0 else None
        se = math.sqrt(var / (n + k)) if var is not None else None
    low = high = None
    if se is not None and df > 0:
        half = t_quantile(level, df) * se
        low, high = max(-1.0, mean - half), min(1.0, mean + half)
    mean = min(1.0, max(-1.0, mean))
    return Estimate(n, raw, prior_mean, mean, var, se, df if se is not None else None, low, high)


def parent_key(key: GroupKey, org: OrgChart) -> GroupKey | None:
    """unit -> district -> agency; topic cells the same within the topic, the
    topic itself -> agency; channel and language -> agency."""
    if key.dimension == "agency":
        return None if key.topic is None else GroupKey.agency()
    if key.dimension == "unit":
        district = org.district_of(key.key)
        if district is not None:
            return GroupKey.district(district, key.topic)
        return GroupKey("agency", AGENCY_KEY, key.topic)
    if key.dimension == "district":
        return GroupKey("agency", AGENCY_KEY, key.topic)
    return GroupKey.agency()


def estimate_all(
    stats: PeriodStats,
    org: OrgChart,
    settings: TrustSettings,
    extra_keys: tuple[GroupKey, ...] = (),
    prior: Mapping[GroupKey, Estimate] | None = None,
) -> dict[GroupKey, Estimate]:
    """Estimates of every group in ``stats`` (and ``extra_keys``), parents first.

    ``prior``: estimates to shrink toward instead of this period's parents,
    normally the parents' estimates over the trailing baseline weeks. A stable
    prior keeps one unit's change from leaking into its neighbours' figures
    and trends. A parent missing from ``prior`` (or with no residents there)
    falls back to this period's parent."""
    out: dict[GroupKey, Estimate] = {}

    def visit(key: GroupKey) -> Estimate:
        if key in out:
            return out[key]
        pk = parent_key(key, org)
        parent = None
        if pk is not None:
            cand = prior.get(pk) if prior is not None else None
            parent = cand if cand is not None and cand.n_residents > 0 else visit(pk)
        est = estimate_group(stats.get(key), parent, settings)
        out[key] = est
        return est

    visit(GroupKey.agency())
    for key in (*stats.groups.keys(), *extra_keys):
        visit(key)
    return out


# --------------------------------------------------------------------------
# trend test

@dataclass(frozen=True, slots=True)
class Comparison:
    """current - reference on the value scale, with the combined SE."""

    delta: float
    se: float
    z: float
    significant: bool

    @property
    def delta_index(self) -> float:
        return 50.0 * self.delta


def compare(current: Estimate, reference: Estimate, level: float) -> Comparison | None:
    """Difference of two independent estimates: z = (a - b) / sqrt(se_a^2 + se_b^2),
    significant when |z| exceeds the two-sided normal value at ``level``.
    None when either estimate has no standard error."""
    if current.se is None or reference.se is None:
        return None
    delta = current.mean - reference.mean
    se = math.hypot(current.se, reference.se)
    if se == 0.0:
        z = 0.0 if delta == 0 else math.copysign(math.inf, delta)
    else:
        z = delta / se
    return Comparison(delta, se, z, abs(z) > z_quantile(level))


def shrink_weights(n: int, k: float) -> tuple[float, float]:
    """(weight of the group's own mean, weight of the parent): n/(n+k), k/(n+k)."""
    if n + k == 0:
        return 1.0, 0.0
    return n / (n + k), k / (n + k)


__all__ = [
    "Comparison", "Estimate", "compare", "estimate_all", "estimate_group", "parent_key",
    "shrink_weights", "t_cdf", "t_quantile", "to_index", "z_quantile",
]

