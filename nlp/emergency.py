"""Flag messages that need a human *now*: emergencies, self-harm, and misconduct allegations.

A feedback bot is not an emergency line, but residents will still write "someone is breaking in"
or "I want to kill myself" into it, and a supervisor must see allegations such as "the officer hit
me" quickly. This module finds those messages with multilingual phrase rules (English, Spanish,
French, German), cheap enough to run when the message arrives.

How a message is scored, per kind (``emergency``, ``self_harm``, ``misconduct``):

* **Cues.** *Definite* cues weigh 1.0 ("has a gun", "is breaking in", "kill myself", "took a
  bribe"); *borderline* cues weigh 0.5 ("gun", "break-in", "attacked me", "suicide"). Overlapping
  cues of one kind count once (the heaviest); a self-harm cue overrides an emergency cue it overlaps
  ("je vais me tuer" is self-harm, not a threat).
* **Negation** among the 4 words before a cue, in the same clause ("nobody has a gun", "the
  officer did not hit me"), drops the cue.
* **Hypothetical** wording among the 6 words before a cue ("what if", "si", "falls") halves it.
* **Past** time expressions anywhere in the message ("last month", "yesterday", "ayer", "la semaine
  dernière") halve emergency and self-harm cues, and **reporting** wording ("report", "complaint",
  "denuncia", "plainte", "Anzeige") halves their *borderline* cues - both only when no urgency
  marker is present. Misconduct is normally reported afterwards, so it is never discounted for that.
* **Urgency** adds 0.5 to emergency and self-harm when the message already has a cue of that kind,
  and cancels the past/reporting discounts. Strong markers ("right now", "hurry", "ahora mismo",
  "vite", "sofort") always count; weak ones ("now", "ahora", "jetzt", "emergency") only when the
  message has no past-time expression.
* **Misconduct actions** ("hit me", "stole my", "me pegaron", "m'a frappé") need the actor to be
  police: the nearest actor word before the action in its clause decides (officer/cop/policía/flic
  -> 1.0; man/neighbour/alguien/quelqu'un -> 0). Without one, a police word in the same sentence
  gives 1.0, elsewhere in the message 0.5, none 0. Self-contained cues ("bribe", "police
  brutality", "mordida") need no actor.

A kind **alerts** when its total is >= 1.0. Model assistance: once the background worker knows the
sentiment score, a kind whose total is >= 0.5 also alerts when the score is <=
``nlp.emergency_model_threshold`` (default -0.5) - i.e. a single borderline cue in a strongly
negative message is enough. See :meth:`EmergencyAssessment.with_sentiment`.

Decision on reports of past incidents: "the response to the break-in last month was slow" is a
complaint (topics ``response_time``/``safety``), not an emergency - its only cue is borderline and
halved by "last month".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from nlp.text import FoldedText, compile_phrases, fold, is_negated, preceding_words

Kind = Literal["emergency", "self_harm", "misconduct"]
KINDS: tuple[Kind, ...] = ("emergency", "self_harm", "misconduct")
URGENT: tuple[Kind, ...] = ("emergency", "self_harm")
Level = Literal["alert", "advise", "none"]

DEFINITE, BORDERLINE = 1.0, 0.5
ALERT_AT = 1.0
MODEL_ASSISTED_ALERT_AT = 0.5
URGENCY_BONUS = 0.5
NEGATION_WINDOW = 4
HYPOTHETICAL_WINDOW = 6
ACTOR_WINDOW = 6

# --------------------------------------------------------------------------------------------------
# Phrase lists (syntax: see nlp.text.phrase_regex; accents and case do not matter).
# --------------------------------------------------------------------------------------------------
EMERGENCY_DEFINITE: tuple[str, ...] = (
    # en
    "breaking in", "breaking into", "trying to break in*", "trying to get in", "someone is in my house",
    "someone in my house", "someone is inside", "has a gun", "has a knife", "has a weapon", "got a gun",
    "got a knife", "with a gun", "with a knife", "pointing a gun", "pulled a gun", "pulled a knife",
    "waving a gun", "waving a knife", "is shooting", "are shooting", "shots fired", "shooting at us",
    "shooting at me", "being attacked", "attacking me", "attacking us", "being robbed", "robbing me",
    "robbing us", "being stabbed", "is stabbing", "is beating", "beating me", "are beating", "is hitting me",
    "hitting my", "send help", "send someone", "send the police", "send police", "send an officer",
    "going to kill", "gonna kill", "will kill me", "will kill us", "kill you", "trying to kill",
    "threatening to kill", "threatened to kill", "threatens to kill", "death threat*", "kidnapp*",
    "abduct*", "held hostage", "hostage*", "is bleeding", "is dying", "not breathing",
    # es
    "estan entrando", "esta entrando", "se estan metiendo", "se esta metiendo", "quieren entrar",
    "intentan entrar", "hay alguien en mi casa", "tiene un arma", "tiene una pistola", "tiene un cuchillo",
    "tiene una navaja", "con una pistola", "con un cuchillo", "con una navaja", "me apunta", "nos apunta",
    "me quiere matar", "me va a matar", "nos van a matar", "nos quiere matar", "te voy a matar",
    "amenaza de muerte", "amenazas de muerte", "amenazo de muerte", "me estan atacando", "nos estan atacando",
    "me estan robando", "nos estan robando", "me esta pegando", "me estan pegando", "le esta pegando",
    "esta golpeando", "estan golpeando", "estan disparando", "esta disparando", "secuestr*", "socorro",
    "auxilio", "manden una patrulla", "envien una patrulla", "manden ayuda", "manden a alguien",
    # fr
    "au secours", "a l'aide", "il a une arme", "il a un couteau", "il a un pistolet", "avec une arme",
    "avec un couteau", "veut me tuer", "va me tuer", "vont nous tuer", "veulent me tuer", "menace de mort",
    "menaces de mort", "on m'agresse", "je me fais agresser", "quelqu'un entre chez moi",
    "quelqu'un essaie d'entrer", "cambriolage en cours", "ils tirent", "il tire", "envoyez la police",
    "envoyez quelqu'un", "kidnapp*", "prise d'otage*",
    # de
    "hat eine waffe", "hat ein messer", "hat eine pistole", "mit einer waffe", "mit einem messer",
    "will mich umbringen", "bringt mich um", "wird mich umbringen", "will uns umbringen", "morddrohung*",
    "mit dem tod gedroht", "bricht ein", "brechen ein", "einbruch gerade", "jemand ist in meiner wohnung",
    "ich werde angegriffen", "es wird geschossen", "schickt polizei", "schicken sie polizei", "entfuhrt",
    "geisel*",
)
EMERGENCY_BORDERLINE: tuple[str, ...] = (
    # en
    "broke in*", "broken into", "break-in*", "burglary", "intruder*", "had a gun", "had a knife", "gun", "guns",
    "gunman", "gunmen", "gunpoint",
    "knife", "weapon*", "attacked me", "attacked us", "assaulted", "robbed me", "mugged", "stabbed", "shot",
    "shooting", "fight*", "threatened me", "threatened us", "scared for my life", "afraid for my life",
    "fear for my life", "domestic violence", "following me", "being followed", "call 911", "call 999",
    "call 112", "on fire", "trapped", "raped", "overdos*",
    # es
    "entraron a robar", "se metieron", "arma", "armas", "armado", "armados", "pistola*", "cuchillo", "navaja", "me atacaron", "me asaltaron",
    "me robaron", "disparo*", "balazo*", "tiroteo*", "pelea*", "me amenaz*", "miedo por mi vida",
    "violencia domestica", "violencia de genero", "me estan siguiendo", "me siguen", "incendio", "violaron", "violacion",
    # fr
    "cambriol*", "arme", "armes", "arme a feu", "arme blanche", "couteau", "pistolet", "agresse*", "agression", "coups de feu", "bagarre*",
    "m'a menace", "on me suit", "violence conjugale", "violences conjugales", "incendie",
    "viol", "violee",
    # de
    "eingebrochen", "einbruch", "waffe", "waffen", "messer", "pistole", "angegriffen", "uberfallen", "schusse",
    "schlagerei*", "bedroht", "werde verfolgt", "hausliche gewalt", "feuer", "vergewaltigt",
)
SELF_HARM_DEFINITE: tuple[str, ...] = (
    # en
    "kill myself", "killing myself", "end my life", "ending my life", "take my own life", "take my life",
    "want to die", "wanna die", "going to die tonight", "suicidal", "commit suicide", "hurt myself",
    "harm myself", "cut myself", "cutting myself", "no reason to live", "better off dead",
    "don't want to live", "don't want to be alive", "end it all", "kill himself", "kill herself",
    "kill themselves",
    # es
    "matarme", "suicidarme", "me voy a suicidar", "me quiero suicidar", "suicidarse", "quitarme la vida",
    "quiero morir", "quiero morirme", "no quiero vivir", "no quiero seguir viviendo", "acabar con mi vida",
    "hacerme dano", "cortarme", "quitarse la vida",
    # fr
    "me suicider", "je vais me tuer", "je veux me tuer", "en finir avec la vie", "mettre fin a mes jours",
    "mettre fin a ma vie", "envie de mourir", "je veux mourir", "me faire du mal", "se suicider",
    # de
    "ich will mich umbringen", "ich bringe mich um", "ich bring mich um", "ich mich umbringen",
    "mich umbringen will", "nicht mehr leben",
    "will sterben", "mir etwas antun", "mir was antun", "mich ritzen", "mir das leben nehmen",
)
SELF_HARM_BORDERLINE: tuple[str, ...] = (
    "suicid*", "selbstmord*", "suizid*", "self-harm", "self harm", "autolesion*", "automutilation",
    "hopeless", "sin esperanza", "desesper*", "hoffnungslos",
)
MISCONDUCT_SELF_CONTAINED: tuple[str, ...] = (
    # en
    "bribe*", "bribery", "police brutality", "excessive force", "racial slur*", "n-word", "planted drugs",
    "planted evidence", "abuse of power", "abuse of authority", "extort*", "shakedown", "sexual misconduct",
    # es
    "soborno*", "sobornar", "mordida", "coima*", "abuso de autoridad", "abuso policial", "abuso de poder",
    "brutalidad policial", "violencia policial", "fuerza excesiva", "insulto racista", "insultos racistas",
    "sembraron droga*", "me sembraron", "extorsion*", "extorsiono", "extorsionaron",
    # fr
    "pot-de-vin", "pots-de-vin", "violences policieres", "violence policiere", "bavure*", "abus de pouvoir",
    "abus d'autorite", "insulte raciste", "insultes racistes", "force excessive", "racket*",
    # de
    "bestechung*", "bestochen", "schmiergeld*", "polizeigewalt", "machtmissbrauch", "amtsmissbrauch",
    "rassistisch beleidigt", "ubermassige gewalt", "erpressung", "erpresst",
)
MISCONDUCT_ACTIONS: tuple[str, ...] = (
    # en
    "hit me", "hit my", "punched me", "kicked me", "beat me", "beat us", "beat him", "beat her", "slapped me",
    "choked me", "pushed me", "shoved me", "tased me", "pepper sprayed me", "pepper-sprayed me", "threw me",
    "slammed me", "stole", "stole my", "took my money", "took money", "asked for money", "asked me for money",
    "touched me", "touched my", "groped", "harassed me", "sexually", "called me a", "insulted me",
    "threatened me", "threatened to arrest", "lied", "falsified", "illegal search", "searched me without",
    "without a warrant", "for no reason", "racist", "racially profiled", "drunk on duty",
    # es
    "me pego", "me pegaron", "me golpeo", "me golpearon", "me pateo", "me patearon", "me empujo",
    "me empujaron", "me robo", "me robaron", "se quedo con mi", "se quedaron con", "me pidio dinero",
    "me pidieron dinero", "me toco", "me manoseo", "me acoso", "me insulto", "me insultaron", "me amenazo",
    "me amenazaron", "mintio", "mintieron", "sin orden", "sin motivo", "racista",
    # fr
    "m'a frappe", "m'ont frappe", "m'a donne des coups", "m'a pousse", "m'ont pousse", "m'a vole",
    "m'ont vole", "m'a demande de l'argent", "m'a touche", "m'a insulte", "m'ont insulte", "m'a menace",
    "a menti", "sans raison", "raciste",
    # de
    "hat mich geschlagen", "haben mich geschlagen", "hat mich getreten", "hat mich geschubst",
    "hat mich bestohlen", "geld verlangt", "hat mich angefasst", "hat mich begrapscht", "hat mich beleidigt",
    "hat mich bedroht", "hat gelogen", "ohne grund", "rassistisch",
)
POLICE_WORDS: tuple[str, ...] = (
    "officer*", "cop", "cops", "police*", "policeman", "policemen", "policewoman", "deputy", "deputies",
    "sheriff*", "trooper*", "detective*", "sergeant*", "constable*", "agente*", "policia*", "poli", "polis",
    "guardia*", "municipal*", "patrullero*", "oficial*", "mosso*", "gendarme*", "policier*", "policiere*",
    "flic*", "keuf*", "agent*", "polizist*", "polizei*", "beamte*", "beamtin*", "bulle*", "bullen",
)
CIVILIAN_ACTORS: tuple[str, ...] = (
    "man", "men", "woman", "women", "guy*", "someone", "somebody", "thief", "thieves", "robber*", "burglar*",
    "neighbour*", "neighbor*", "kid*", "boy*", "girl*", "stranger*", "driver*", "husband", "wife", "boyfriend",
    "girlfriend", "partner", "ex", "gang*", "hombre*", "mujer*", "tipo*", "alguien", "ladron*", "vecin*",
    "chico*", "chica*", "desconocid*", "marido", "esposo", "novio", "pareja", "homme*", "femme*",
    "quelqu'un", "voleur*", "voisin*", "mari", "copain", "mann", "manner", "frau", "jemand", "dieb*",
    "nachbar*", "fremde*", "ehemann", "freund",
)
URGENCY_STRONG: tuple[str, ...] = (
    # explicit requests for immediate action: always urgent
    "right now", "hurry", "asap", "immediately", "please come", "come now", "come quick*", "as we speak",
    "still here", "still inside", "outside my door", "at my door", "happening now",
    "ahora mismo", "vengan", "vengan ya", "todavia esta aqui", "sigue aqui", "esta pasando",
    "tout de suite", "vite", "venez", "il est encore la",
    "sofort", "kommen sie", "beeilen sie sich", "ist noch hier",
)
URGENCY_WEAK: tuple[str, ...] = (
    # present-time words: urgent only when the message has no past-time expression
    # ("I'm now afraid to go out after the break-in last month" is not urgent)
    "now", "currently", "tonight", "quick*", "urgent*", "emergency",
    "ahora", "rapido", "urgente", "emergencia", "en este momento", "esta noche",
    "maintenant", "en ce moment", "ce soir", "urgence",
    "jetzt", "gerade", "schnell", "dringend", "notfall", "heute nacht",
)
PAST: tuple[str, ...] = (
    "yesterday", "last night", "last week", "last month", "last year", "ago", "the other day", "back in",
    "earlier this year", "last time",
    "ayer", "anoche", "anteayer", "la semana pasada", "el mes pasado", "el ano pasado", "hace * dias",
    "hace * semanas", "hace * meses", "hace * anos", "el otro dia",
    "hier", "la semaine derniere", "le mois dernier", "l'annee derniere", "il y a * jours",
    "il y a * semaines", "il y a * mois", "l'autre jour",
    "gestern", "letzte woche", "letzten monat", "letztes jahr", "vor * tagen", "vor * wochen",
    "vor * monaten", "neulich",
)
REPORTING: tuple[str, ...] = (
    "report*", "i called the police", "when i called", "after the", "complaint",
    "denunci*", "cuando llame", "despues del", "queja",
    "signaler", "j'ai signale", "porte plainte", "plainte", "apres le", "apres la",
    "anzeige*", "angezeigt", "nach dem", "nach der", "beschwerde",
)
HYPOTHETICAL: frozenset[str] = frozenset(
    "if whether would could should suppose hypothetically si falls wenn ob".split()
)

# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cue:
    """One matched phrase: what the resident wrote and how much it counted (after discounts)."""

    kind: Kind
    text: str
    weight: float
    definite: bool
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class EmergencyAssessment:
    """Result of :meth:`EmergencyDetector.assess`.

    ``kinds`` are the alerts raised (empty = no alert); ``scores`` the per-kind totals; ``cues``
    every cue that counted, strongest first, for the alert text.
    """

    kinds: tuple[Kind, ...] = ()
    scores: Mapping[Kind, float] = field(default_factory=dict)
    cues: tuple[Cue, ...] = ()
    sentiment_score: float | None = None

    @property
    def alert(self) -> bool:
        return bool(self.kinds)

    @property
    def borderline(self) -> tuple[Kind, ...]:
        """Kinds that would alert if the message turns out to be strongly negative."""
        return tuple(k for k in KINDS if k not in self.kinds and self.scores.get(k, 0.0) >= MODEL_ASSISTED_ALERT_AT)

    @property
    def advise(self) -> tuple[Kind, ...]:
        """Urgent kinds that are plausible but not certain: the resident gets the emergency number
        at once (cheap and safe) but the duty chat is not alerted."""
        return tuple(k for k in self.borderline if k in URGENT)

    @property
    def level(self) -> Level:
        """``"alert"`` (duty chat + advice), ``"advise"`` (advice only) or ``"none"``, for danger/self-harm."""
        if any(k in URGENT for k in self.kinds):
            return "alert"
        return "advise" if self.advise else "none"

    def cue_for(self, kind: Kind) -> str | None:
        """The strongest phrase behind ``kind``, as the resident wrote it (for the alert)."""
        return next((c.text for c in self.cues if c.kind == kind), None)

    def with_sentiment(self, sentiment_score: float, threshold: float = -0.5) -> EmergencyAssessment:
        """Re-decide with the sentiment score: totals >= 0.5 alert when ``score <= threshold``."""
        negative = sentiment_score <= threshold
        kinds = tuple(
            k
            for k in KINDS
            if self.scores.get(k, 0.0) >= ALERT_AT or (negative and self.scores.get(k, 0.0) >= MODEL_ASSISTED_ALERT_AT)
        )
        return replace(self, kinds=kinds, sentiment_score=sentiment_score)


def _pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    pattern = compile_phrases(phrases)
    assert pattern is not None
    return pattern


_SENTENCE_BREAK = re.compile(r"[.!?\n]+")
_CLAUSE_END = re.compile(r"[.!?;:,\n]|\b(?:and|but|y|pero|et|mais|und|aber)\b")


class EmergencyDetector:
    """Compiled rules; build once, then :meth:`assess` is pure and thread-safe."""

    def __init__(self, extra_cues: Mapping[Kind, Iterable[str]] | None = None) -> None:
        extra = {k: list(v) for k, v in (extra_cues or {}).items()}
        unknown = set(extra) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown emergency kinds {sorted(unknown)}; use {list(KINDS)}")
        # (kind, weight, needs_police_actor, pattern)
        self._rules: list[tuple[Kind, float, bool, re.Pattern[str]]] = [
            ("emergency", DEFINITE, False, _pattern([*EMERGENCY_DEFINITE, *extra.get("emergency", [])])),
            ("emergency", BORDERLINE, False, _pattern(EMERGENCY_BORDERLINE)),
            ("self_harm", DEFINITE, False, _pattern([*SELF_HARM_DEFINITE, *extra.get("self_harm", [])])),
            ("self_harm", BORDERLINE, False, _pattern(SELF_HARM_BORDERLINE)),
            ("misconduct", DEFINITE, False, _pattern([*MISCONDUCT_SELF_CONTAINED, *extra.get("misconduct", [])])),
            ("misconduct", DEFINITE, True, _pattern(MISCONDUCT_ACTIONS)),
        ]
        self._police = _pattern(POLICE_WORDS)
        self._civilian = _pattern(CIVILIAN_ACTORS)
        self._urgent_strong = _pattern(URGENCY_STRONG)
        self._urgent_weak = _pattern(URGENCY_WEAK)
        self._past = _pattern(PAST)
        self._reporting = _pattern(REPORTING)

    def assess(
        self, text: str, folded: FoldedText | None = None, sentiment_score: float | None = None, threshold: float = -0.5
    ) -> EmergencyAssessment:
        folded = folded or fold(text)
        hay = folded.folded
        past_words = self._past.search(hay) is not None
        urgent = self._urgent_strong.search(hay) is not None or (
            not past_words and self._urgent_weak.search(hay) is not None
        )
        past = past_words and not urgent
        reporting = not urgent and self._reporting.search(hay) is not None

        found: list[Cue] = []
        for kind, base, needs_actor, pattern in self._rules:
            for m in pattern.finditer(hay):
                if is_negated(hay, m.start(), NEGATION_WINDOW):
                    continue
                weight = base
                if needs_actor:
                    weight *= self._police_actor_weight(hay, m.start())
                if any(w in HYPOTHETICAL for w in preceding_words(hay, m.start(), HYPOTHETICAL_WINDOW)):
                    weight *= 0.5
                if kind != "misconduct" and (past or (reporting and base < DEFINITE)):
                    weight *= 0.5
                if weight > 0:
                    found.append(Cue(kind, folded.original_span(m.start(), m.end()), weight, base >= DEFINITE, m.start(), m.end()))

        kept = self._resolve_overlaps(found)
        scores: dict[Kind, float] = {}
        for cue in kept:
            scores[cue.kind] = scores.get(cue.kind, 0.0) + cue.weight
        if urgent:
            for kind in ("emergency", "self_harm"):
                if kind in scores:
                    scores[kind] += URGENCY_BONUS
        scores = {k: round(v, 4) for k, v in scores.items()}
        kinds = tuple(k for k in KINDS if scores.get(k, 0.0) >= ALERT_AT)
        result = EmergencyAssessment(kinds, scores, tuple(sorted(kept, key=lambda c: -c.weight)), None)
        return result.with_sentiment(sentiment_score, threshold) if sentiment_score is not None else result

    def _police_actor_weight(self, hay: str, start: int) -> float:
        """1.0 if police did it, 0 if a civilian did, 0.5 if police are only mentioned elsewhere."""
        before = preceding_words(hay, start, ACTOR_WINDOW)
        for word in reversed(before):
            if self._police.fullmatch(word):
                return 1.0
            if self._civilian.fullmatch(word):
                return 0.0
        sentence_start = max((m.end() for m in _SENTENCE_BREAK.finditer(hay, 0, start)), default=0)
        clause_end = _CLAUSE_END.search(hay, start)
        # Sentence start .. end of the action's clause: "los policías me pegaron", "me pegaron los
        # policías", but not "me robaron el móvil y la policía no hizo nada".
        if self._police.search(hay, sentence_start, clause_end.start() if clause_end else len(hay)):
            return 1.0
        return 0.5 if self._police.search(hay) else 0.0

    @staticmethod
    def _resolve_overlaps(cues: list[Cue]) -> list[Cue]:
        """Heaviest cue wins among overlapping cues of a kind; self-harm beats overlapping emergency."""
        self_harm = [c for c in cues if c.kind == "self_harm"]
        cues = [c for c in cues if not (c.kind == "emergency" and any(c.start < s.end and s.start < c.end for s in self_harm))]
        kept: list[Cue] = []
        for cue in sorted(cues, key=lambda c: (-c.weight, -(c.end - c.start))):
            if any(k.kind == cue.kind and cue.start < k.end and k.start < cue.end for k in kept):
                continue
            if any(k.kind == cue.kind and k.text.lower() == cue.text.lower() for k in kept):
                continue  # the same phrase repeated counts once
            kept.append(cue)
        return sorted(kept, key=lambda c: c.start)
