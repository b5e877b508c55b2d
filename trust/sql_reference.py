"""Reference SQL for the storage layer (strings only; trust/ runs no queries).

Runs unchanged on PostgreSQL and SQLite (tests run it on SQLite to prove that
the sufficient-statistics path gives the same report as the raw path).
Parameters use the ``:name`` style of SQLAlchemy ``text()`` and sqlite3.

Flow:

1. at ingest, for each *distinct* message (unique on resident, week, unit,
   content key: :func:`trust.aggregate.content_key`) with value
   ``v = trust.message_value(...)``, run :data:`UPSERT_RESIDENT_WEEK` once and
   :data:`UPSERT_RESIDENT_WEEK_TOPIC` once per topic of the message;
2. for the digest week, run :data:`GROUP_STATS_SQL` (cost: that week's rollup
   rows) -> :meth:`trust.model.PeriodStats.from_rows`, and store the rows in
   ``trust_group_week`` (:data:`STORE_GROUP_WEEK`);
3. read the trailing weeks' stored rows with :data:`GROUP_WEEKS_SQL`
   (cost: weeks x groups, independent of message history).
"""

from __future__ import annotations

#: Columns of a group-statistics row, as :meth:`PeriodStats.from_rows` reads them.
GROUP_STATS_COLUMNS: tuple[str, ...] = (
    "dimension", "group_key", "topic", "n_residents", "value_sum", "value_sum_sq",
    "n_negative", "n_messages",
)

SCHEMA_SQL = """
CREATE TABLE trust_units (
    unit_id      TEXT PRIMARY KEY,
    district_id  TEXT
);
-- one row per (ISO week, unit, resident, channel, language): sum and count of
-- the values of the resident's distinct messages
CREATE TABLE trust_resident_week (
    week          TEXT NOT NULL,              -- '2026-W47', agency time zone
    unit_id       TEXT,                       -- NULL: feedback about no unit
    resident_key  TEXT NOT NULL,              -- pseudonymous resident id
    channel       TEXT NOT NULL,              -- 'deep_link' | 'direct'
    language      TEXT NOT NULL,
    value_sum     DOUBLE PRECISION NOT NULL,
    n_messages    INTEGER NOT NULL,
    UNIQUE (week, unit_id, resident_key, channel, language)
);
-- the same, restricted to the messages tagged with one topic
CREATE TABLE trust_resident_week_topic (
    week          TEXT NOT NULL,
    unit_id       TEXT,
    resident_key  TEXT NOT NULL,
    channel       TEXT NOT NULL,
    language      TEXT NOT NULL,
    topic         TEXT NOT NULL,
    value_sum     DOUBLE PRECISION NOT NULL,
    n_messages    INTEGER NOT NULL,
    UNIQUE (week, unit_id, resident_key, channel, language, topic)
);
-- stored weekly group statistics (the output of GROUP_STATS_SQL)
CREATE TABLE trust_group_week (
    week          TEXT NOT NULL,
    dimension     TEXT NOT NULL,              -- agency|district|unit|channel|language
    group_key     TEXT NOT NULL,              -- 'all' for the agency
    topic         TEXT NOT NULL DEFAULT '',   -- '' = all topics
    n_residents   INTEGER NOT NULL,
    value_sum     DOUBLE PRECISION NOT NULL,
    value_sum_sq  DOUBLE PRECISION NOT NULL,
    n_negative    INTEGER NOT NULL,
    n_messages    INTEGER NOT NULL,
    PRIMARY KEY (week, dimension, group_key, topic)
);
"""

UPSERT_RESIDENT_WEEK = """
INSERT INTO trust_resident_week
    (week, unit_id, resident_key, channel, language, value_sum, n_messages)
VALUES (:week, :unit_id, :resident_key, :channel, :language, :value, 1)
ON CONFLICT (week, unit_id, resident_key, channel, language) DO UPDATE SET
    value_sum  = trust_resident_week.value_sum + excluded.value_sum,
    n_messages = trust_resident_week.n_messages + 1
"""

UPSERT_RESIDENT_WEEK_TOPIC = """
INSERT INTO trust_resident_week_topic
    (week, unit_id, resident_key, channel, language, topic, value_sum, n_messages)
VALUES (:week, :unit_id, :resident_key, :channel, :language, :topic, :value, 1)
ON CONFLICT (week, unit_id, resident_key, channel, language, topic) DO UPDATE SET
    value_sum  = trust_resident_week_topic.value_sum + excluded.value_sum,
    n_messages = trust_resident_week_topic.n_messages + 1
"""

# A resident's voice in a group is SUM(value_sum) / SUM(n_messages) over their
# rollup rows in the group (so rows need not be unique); each resident counts
# once per group. The outer query turns voices into sufficient statistics.
GROUP_STATS_SQL = """
WITH r AS (
    SELECT t.unit_id, u.district_id, t.resident_key, t.channel, t.language,
           t.value_sum, t.n_messages
    FROM trust_resident_week AS t
    LEFT JOIN trust_units AS u ON u.unit_id = t.unit_id
    WHERE t.week = :week
),
rt AS (
    SELECT t.unit_id, u.district_id, t.resident_key, t.topic, t.value_sum, t.n_messages
    FROM trust_resident_week_topic AS t
    LEFT JOIN trust_units AS u ON u.unit_id = t.unit_id
    WHERE t.week = :week
),
voices AS (
    SELECT 'agency' AS dimension, 'all' AS group_key, CAST(NULL AS TEXT) AS topic,
           resident_key, SUM(value_sum) AS s, SUM(n_messages) AS c
      FROM r GROUP BY resident_key
    UNION ALL
    SELECT 'district', district_id, NULL, resident_key, SUM(value_sum), SUM(n_messages)
      FROM r WHERE district_id IS NOT NULL GROUP BY district_id, resident_key
    UNION ALL
    SELECT 'unit', unit_id, NULL, resident_key, SUM(value_sum), SUM(n_messages)
      FROM r WHERE unit_id IS NOT NULL GROUP BY unit_id, resident_key
    UNION ALL
    SELECT 'channel', channel, NULL, resident_key, SUM(value_sum), SUM(n_messages)
      FROM r GROUP BY channel, resident_key
    UNION ALL
    SELECT 'language', language, NULL, resident_key, SUM(value_sum), SUM(n_messages)
      FROM r GROUP BY language, resident_key
    UNION ALL
    SELECT 'agency', 'all', topic, resident_key, SUM(value_sum), SUM(n_messages)
      FROM rt GROUP BY topic, resident_key
    UNION ALL
    SELECT 'district', district_id, topic, resident_key, SUM(value_sum), SUM(n_messages)
      FROM rt WHERE district_id IS NOT NULL GROUP BY district_id, topic, resident_key
    UNION ALL
    SELECT 'unit', unit_id, topic, resident_key, SUM(value_sum), SUM(n_messages)
      FROM rt WHERE unit_id IS NOT NULL GROUP BY unit_id, topic, resident_key
),
v AS (
    SELECT dimension, group_key, topic, CAST(s AS DOUBLE PRECISION) / c AS v, c
    FROM voices
)
SELECT dimension, group_key, topic,
       COUNT(*)                               AS n_residents,
       SUM(v)                                 AS value_sum,
       SUM(v * v)                             AS value_sum_sq,
       SUM(CASE WHEN v < 0 THEN 1 ELSE 0 END) AS n_negative,
       SUM(c)                                 AS n_messages
FROM v
GROUP BY dimension, group_key, topic
"""

STORE_GROUP_WEEK = """
INSERT INTO trust_group_week
    (week, dimension, group_key, topic, n_residents, value_sum, value_sum_sq,
     n_negative, n_messages)
VALUES (:week, :dimension, :group_key, COALESCE(:topic, ''), :n_residents, :value_sum,
        :value_sum_sq, :n_negative, :n_messages)
"""

#: The stored rows of one or more weeks (bind :first and :last, e.g. the 12
#: weeks before the digest week; ISO week strings sort chronologically).
GROUP_WEEKS_SQL = """
SELECT week, dimension, group_key, NULLIF(topic, '') AS topic, n_residents, value_sum,
       value_sum_sq, n_negative, n_messages
FROM trust_group_week
WHERE week BETWEEN :first AND :last
ORDER BY week
"""
