"""Every text of the digest and charts, one catalogue per language.

Placeholders use ``str.format`` names. Add a language by adding a dict with
the same keys (tests check the catalogues have identical keys and
placeholders). Unknown languages fall back to English.
"""

from __future__ import annotations

import string
from typing import Mapping

DEFAULT_LANGUAGE = "en"

EN: dict[str, str] = {
    "title": "Trust Index — weekly digest",
    "week_line": "{agency}week {period} ({start} – {end})",
    "agency_fallback": "Agency",
    "headline": "Trust Index: {index}",
    "interval": "{level}% interval {low}–{high}",
    "residents_one": "{n} resident",
    "residents_many": "{n} residents",
    "not_enough": "not enough feedback",
    "not_enough_long": "not enough feedback ({n} residents; {min} needed for a figure)",
    "vs_previous": "vs last week",
    "vs_baseline": "vs {weeks}-week baseline",
    "trend_line": "{label}: {arrow} {delta} points — {verdict}",
    "trend_none": "{label}: no comparison (too little earlier feedback)",
    "significant": "significant",
    "within_noise": "within noise",
    "follow_up": "Follow-up: {responded}/{requested} answered ({rate})",
    "follow_up_satisfied": "{satisfied}/{rated} satisfied with the answer ({rate})",
    "needs_attention": "Needs attention",
    "attention_none": "Nothing stands out this week.",
    "topic_prefix": "Topic",
    "channel_prefix": "Channel",
    "language_prefix": "Language",
    "district_prefix": "District",
    "figure_line": "Index {index} ({interval}) · {residents}",
    "why": "Why",
    "reason_fell_previous": "fell {delta} points vs last week (significant)",
    "reason_fell_baseline": "fell {delta} points vs the {weeks}-week baseline (significant)",
    "reason_lowest": "among the lowest {what} this week ({rank} of {out_of})",
    "what_unit": "units",
    "what_district": "districts",
    "what_topic": "topics",
    "what_channel": "channels",
    "what_language": "languages",
    "top_topics": "Top concerns",
    "where": "Where",
    "mention": "{label} ({negative} of {n} residents negative)",
    "quotes": "Residents said (redacted)",
    "districts": "Districts",
    "units": "Units",
    "units_without_district": "Other units",
    "topics": "Topics",
    "channels": "Channels",
    "languages": "Languages",
    "col_name_district": "District",
    "col_name_unit": "Unit",
    "col_name_topic": "Topic",
    "col_name_channel": "Channel",
    "col_name_language": "Language",
    "col_n": "n",
    "col_index": "Idx",
    "col_interval": "{level}%",
    "col_prev": "Δwk",
    "col_base": "Δ{weeks}w",
    "table_legend": (
        "n = residents. Δwk = change vs last week, Δ{weeks}w = vs the {weeks}-week "
        "baseline, in points; * = significant at {level}%."
    ),
    "none_this_week": "No feedback this week.",
    "footer": (
        "The Trust Index runs from 0 to 100: 50 is neutral, above 50 leans positive, below "
        "50 negative. It is not a percentage. Each resident counts once per week and unit, "
        "however much they write. Intervals are {level}%; small groups are pulled toward "
        "their district or the agency (prior worth {k} residents). “Significant” means the "
        "change is larger than week-to-week noise at the {level}% level. Figures from fewer "
        "than {min} residents read “not enough feedback”."
    ),
    "baseline_partial": "Baseline from {found} of {weeks} weeks.",
    "channel_deep_link": "QR / deep link",
    "channel_direct": "direct message",
    "lang_en": "English",
    "lang_es": "Spanish",
    "lang_und": "unknown",
    "months": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
    "decimal_sep": ".",
    # charts
    "chart_trend_title": "Trust Index, last {weeks} weeks",
    "chart_units_title": "Trust Index by unit, week {period}",
    "chart_y": "Trust Index (0–100, 50 = neutral)",
    "chart_x_week": "ISO week",
    "chart_band": "{level}% interval",
    "chart_neutral": "neutral (50)",
    "chart_index": "Trust Index",
    "chart_not_enough": "not enough feedback",
    "chart_not_enough_n": "not enough feedback (n={n})",
    "chart_n": "n={n}",
}

ES: dict[str, str] = {
    "title": "Índice de Confianza — resumen semanal",
    "week_line": "{agency}semana {period} ({start} – {end})",
    "agency_fallback": "Institución",
    "headline": "Índice de Confianza: {index}",
    "interval": "intervalo del {level}% {low}–{high}",
    "residents_one": "{n} residente",
    "residents_many": "{n} residentes",
    "not_enough": "opiniones insuficientes",
    "not_enough_long": "opiniones insuficientes ({n} residentes; se necesitan {min} para una cifra)",
    "vs_previous": "frente a la semana pasada",
    "vs_baseline": "frente a la base de {weeks} semanas",
    "trend_line": "{label}: {arrow} {delta} puntos — {verdict}",
    "trend_none": "{label}: sin comparación (pocas opiniones anteriores)",
    "significant": "significativo",
    "within_noise": "dentro del ruido",
    "follow_up": "Seguimiento: {responded}/{requested} respondidos ({rate})",
    "follow_up_satisfied": "{satisfied}/{rated} satisfechos con la respuesta ({rate})",
    "needs_attention": "Requiere atención",
    "attention_none": "Nada destaca esta semana.",
    "topic_prefix": "Tema",
    "channel_prefix": "Canal",
    "language_prefix": "Idioma",
    "district_prefix": "Distrito",
    "figure_line": "Índice {index} ({interval}) · {residents}",
    "why": "Por qué",
    "reason_fell_previous": "bajó {delta} puntos frente a la semana pasada (significativo)",
    "reason_fell_baseline": "bajó {delta} puntos frente a la base de {weeks} semanas (significativo)",
    "reason_lowest": "entre {what} con el índice más bajo esta semana ({rank} de {out_of})",
    "what_unit": "las unidades",
    "what_district": "los distritos",
    "what_topic": "los temas",
    "what_channel": "los canales",
    "what_language": "los idiomas",
    "top_topics": "Principales quejas",
    "where": "Dónde",
    "mention": "{label} ({negative} de {n} residentes en negativo)",
    "quotes": "Lo que dijeron (anonimizado)",
    "districts": "Distritos",
    "units": "Unidades",
    "units_without_district": "Otras unidades",
    "topics": "Temas",
    "channels": "Canales",
    "languages": "Idiomas",
    "col_name_district": "Distrito",
    "col_name_unit": "Unidad",
    "col_name_topic": "Tema",
    "col_name_channel": "Canal",
    "col_name_language": "Idioma",
    "col_n": "n",
    "col_index": "Índ",
    "col_interval": "{level}%",
    "col_prev": "Δsem",
    "col_base": "Δ{weeks}s",
    "table_legend": (
        "n = residentes. Δsem = cambio frente a la semana pasada, Δ{weeks}s = frente a la "
        "base de {weeks} semanas, en puntos; * = significativo al {level}%."
    ),
    "none_this_week": "Sin opiniones esta semana.",
    "footer": (
        "El Índice de Confianza va de 0 a 100: 50 es neutral, por encima de 50 tiende a "
        "positivo, por debajo a negativo. No es un porcentaje. Cada residente cuenta una vez "
        "por semana y unidad, escriba lo que escriba. Los intervalos son del {level}%; los "
        "grupos pequeños se acercan a su distrito o a la institución (peso previo de {k} "
        "residentes). «Significativo» quiere decir que el cambio supera el ruido semanal al "
        "nivel del {level}%. Las cifras de menos de {min} residentes se muestran como "
        "«opiniones insuficientes»."
    ),
    "baseline_partial": "Base calculada con {found} de {weeks} semanas.",
    "channel_deep_link": "QR / enlace directo",
    "channel_direct": "mensaje directo",
    "lang_en": "inglés",
    "lang_es": "español",
    "lang_und": "desconocido",
    "months": "ene feb mar abr may jun jul ago sep oct nov dic",
    "decimal_sep": ",",
    "chart_trend_title": "Índice de Confianza, últimas {weeks} semanas",
    "chart_units_title": "Índice de Confianza por unidad, semana {period}",
    "chart_y": "Índice de Confianza (0–100, 50 = neutral)",
    "chart_x_week": "semana ISO",
    "chart_band": "intervalo del {level}%",
    "chart_neutral": "neutral (50)",
    "chart_index": "Índice de Confianza",
    "chart_not_enough": "opiniones insuficientes",
    "chart_not_enough_n": "opiniones insuficientes (n={n})",
    "chart_n": "n={n}",
}

CATALOGUES: dict[str, Mapping[str, str]] = {"en": EN, "es": ES}


def catalogue(lang: str | None) -> Mapping[str, str]:
    """The catalogue for ``lang`` ("es", "es-CO" ...), English when unknown."""
    code = (lang or DEFAULT_LANGUAGE).lower().replace("_", "-").split("-")[0]
    return CATALOGUES.get(code, CATALOGUES[DEFAULT_LANGUAGE])


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
