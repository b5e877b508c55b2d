"""Topic tagging: which aspects of policing a message talks about.

Staff filter and chart feedback by topic, so tagging must be predictable and explainable: we use
keyword rules (English, Spanish, French, German) matched on whole words, ignoring case and accents,
and report the words that triggered each topic. A message can have several topics; ``other`` is
given only when no rule matched.

Rules for every language are applied to every message: residents often write in a language other
than their Telegram interface language, and the shipped keywords are chosen not to collide across
languages. Topics describe the *aspect* (respect, response time...), not the polarity: "very
polite" and "very rude" are both ``respect``; sentiment says which way it went. The exception is
``praise``, which is itself positive, so negated praise words ("not helpful") do not count.

Operators extend the rules through ``nlp.topics_extra_keywords`` (see :mod:`nlp.text` for the
keyword syntax). An optional zero-shot model (``nlp.topics_zero_shot_model``) can be run by the
background worker to add topics the rules missed; it is never used on the receive path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from nlp.text import FoldedText, compile_phrases, fold, is_negated

OTHER = "other"

# topic -> language -> keywords. '*' = any word ending; spaces/hyphens interchangeable.
DEFAULT_TOPIC_KEYWORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "respect": {
        "en": (
            "rude*", "disrespect*", "respect*", "arrogant", "condescending", "insult*", "dismissive",
            "polite*", "impolite", "courteous", "discourteous", "mocked", "laughed at", "talked down",
            "yelled at", "shouted at", "screamed at", "swore at", "attitude", "humiliat*", "belittl*",
            "treated me like", "patronizing", "patronising", "unprofessional",
        ),
        "es": (
            "grosero*", "grosera*", "maleducad*", "mal educad*", "respeto*", "irrespetuos*", "falta de respeto",
            "prepotente*", "prepotencia", "insult*", "despectiv*", "educad*", "amable*", "me grito", "nos grito",
            "me gritaron", "se burl*", "humill*", "trato", "altaner*", "soberbi*", "desprecio",
        ),
        "fr": (
            "impoli*", "irrespectueu*", "respect*", "arrogant*", "meprisant*", "mepris", "insult*", "courtois*",
            "mal eleve*", "humili*", "hautain*", "condescendant*", "crie dessus", "moque*",
        ),
        "de": (
            "unhoflich*", "unfreundlich*", "respektlos*", "respekt*", "arrogant*", "beleidig*", "hoflich*",
            "herablassend*", "angeschrien", "angebrullt", "ausgelacht", "gedemutigt", "unverschamt*",
        ),
    },
    "response_time": {
        "en": (
            "slow*", "took forever", "took hours", "took ages", "hours later", "wait*", "never came",
            "never showed", "never arrived", "no one came", "nobody came", "no one showed", "nobody showed",
            "response time*", "arrived late", "came late", "too late", "was late", "were late", "delay*", "quick*", "fast", "prompt*", "arrived quickly", "on time",
            "right away", "within minutes", "came straight away", "still waiting", "took * hour*",
            "took * minutes", "took an hour", "waited * hour*", "hours to arrive", "hours to come", "hours to respond",
        ),
        "es": (
            "llegaron tarde", "llego tarde", "muy tarde", "demasiado tarde", "tardaron", "tardo", "tardan*", "tardanza", "lento*", "lenta*", "espera*", "espere",
            "esperamos", "demora*", "demoraron", "nunca llego", "nunca llegaron", "nunca vinieron", "nadie vino",
            "nadie llego", "rapid*", "enseguida", "a tiempo", "tiempo de respuesta", "horas despues", "todavia espero",
            "tardaron * hora*", "tardo * hora*", "una hora", "horas en llegar",
        ),
        "fr": (
            "trop lent*", "tres lent*", "lentement", "lenteur", "attendu*", "attente", "en retard", "jamais venu*", "personne n'est venu",
            "jamais arrive*", "rapide*", "rapidement", "temps de reponse", "tout de suite", "des heures",
            "mis * heure*", "attendu * heure*",
        ),
        "de": (
            "langsam*", "gewartet", "wartezeit", "warten", "nie gekommen", "niemand kam", "niemand ist gekommen",
            "schnell*", "verspatung", "verspatet", "punktlich", "sofort da", "stundenlang", "reaktionszeit",
            "* stunden gedauert", "* stunde gedauert", "* stunden gewartet",
        ),
    },
    "communication": {
        "en": (
            "no update*", "never called back", "call back", "called back", "call me back", "explain*",
            "inform*", "kept me informed", "no one told", "nobody told", "didn't answer", "never answered",
            "no answer", "no response", "no reply", "never replied", "replied", "follow up", "followed up",
            "communicat*", "interpreter", "translator", "couldn't understand", "language barrier",
            "hung up", "on hold", "phone line", "answered my questions", "listened", "didn't listen",
            "wouldn't listen", "ignored me", "ignored my",
        ),
        "es": (
            "explic*", "inform*", "no me llamaron", "nunca llamaron", "devolver la llamada", "devolvieron la llamada",
            "respuesta", "sin respuesta", "no contest*", "nadie contest*", "seguimiento", "comunicacion",
            "interprete", "traductor*", "no entend*", "me colgaron", "escuch*", "me ignor*", "ignoraron",
        ),
        "fr": (
            "expliqu*", "explication*", "inform*", "rappel*", "pas de nouvelles", "aucune nouvelle", "reponse",
            "repondu", "communication", "interprete", "traducteur", "raccroche", "ecoute*", "ignore*",
        ),
        "de": (
            "erklart", "erklarung*", "informiert", "information*", "ruckruf", "zuruckgerufen", "antwort*",
            "geantwortet", "kommunikation", "dolmetscher*", "ubersetzer*", "aufgelegt", "zugehort", "ignoriert",
        ),
    },
    "fairness_bias": {
        "en": (
            "racis*", "racial*", "profiled", "profiling", "discriminat*", "prejudice*", "bias*", "unfair*", "unjust*",
            "treated differently", "stereotyp*", "because i'm black", "because i am black", "because of my race",
            "because of my skin", "because of my accent", "because i'm an immigrant", "xenophob*", "homophob*",
            "transphob*", "sexis*", "islamophob*", "antisemit*", "double standard*", "targeted me",
        ),
        "es": (
            "racis*", "discrimin*", "injust*", "perfil racial", "prejuicio*", "xenofob*", "homofob*", "transfob*",
            "machis*", "sexis*", "por mi color", "por ser negro", "por ser negra", "por ser inmigrante",
            "por ser extranjero", "por mi acento", "trato desigual", "doble rasero", "parcialidad",
        ),
        "fr": (
            "racis*", "discrimin*", "injust*", "controle au facies", "au facies", "prejuge*", "xenophob*",
            "homophob*", "sexis*", "deux poids deux mesures", "parce que je suis noir", "parce que je suis noire",
        ),
        "de": (
            "rassis*", "diskriminier*", "ungerecht*", "unfair*", "vorurteil*", "racial profiling", "fremdenfeindlich*",
            "homophob*", "sexis*", "wegen meiner hautfarbe", "wegen meiner herkunft", "voreingenommen*",
        ),
    },
    "safety": {
        "en": (
            "unsafe", "not safe", "feel safe", "safety", "dangerous", "danger", "afraid", "scared", "fear*",
            "crime*", "criminal*", "robbery", "robbed", "mugg*", "theft", "stolen", "burglar*", "break-in*",
            "broke in", "broken into", "gang*", "drug*", "dealer*", "violence", "violent", "assault*",
            "harass*", "stalk*", "shooting*", "gunshot*", "gunfire", "street light*", "streetlight*",
            "vandal*", "graffiti", "threat*", "knife", "weapon*", "fight*", "patrol*", "neighbourhood watch",
        ),
        "es": (
            "insegur*", "seguridad", "peligro*", "miedo", "asust*", "robo*", "robaron", "atraco*", "asalt*",
            "ladron*", "hurto*", "delincuen*", "delito*", "droga*", "narco*", "pandilla*", "violencia", "violent*",
            "acoso", "acosa*", "balacera*", "disparo*", "tiroteo*", "vandal*", "alumbrado", "amenaz*", "cuchillo",
            "navaja", "arma", "armas", "armado*", "pelea*", "patrulla*",
        ),
        "fr": (
            "insecurite", "securite", "dangereu*", "danger", "peur", "cambriol*", "agression*", "agresse*",
            "drogue*", "dealer*", "trafic de drogue", "violence*", "violent*", "harcelement", "harcele*", "tirs",
            "fusillade*", "vandal*", "eclairage", "menace*", "couteau", "arme", "armes", "bagarre*", "patrouille*",
        ),
        "de": (
            "unsicher*", "sicherheit", "gefahrlich*", "gefahr", "angst", "einbruch*", "eingebrochen", "diebstahl",
            "gestohlen", "uberfall*", "uberfallen", "drogen*", "dealer*", "gewalt", "gewalttatig*", "belastig*",
            "schusse", "vandalismus", "beleuchtung", "bedroh*", "messer", "waffe", "waffen", "schlagerei*", "streife*",
        ),
    },
    "traffic": {
        "en": (
            "traffic", "speeding", "speeder*", "speed limit", "speed bump*", "red light*", "ran a red",
            "parking", "parked", "double park*", "drunk driv*", "drink driv*", "dui", "crash*", "car accident",
            "accident*", "collision", "hit and run", "pedestrian*", "crosswalk", "zebra crossing", "cyclist*",
            "bike lane*", "speeding ticket", "parking ticket", "traffic stop", "pulled me over", "pulled over",
            "intersection", "junction", "roundabout", "motorbike*", "scooter*", "reckless driv*", "driver*",
            "road rage",
        ),
        "es": (
            "trafico", "transito", "exceso de velocidad", "velocidad", "semaforo*", "estacionad*", "estacionamiento*",
            "estacionar*", "aparca*",
            "aparcad*", "doble fila", "conductor ebrio", "borracho al volante", "alcoholemia", "choque*",
            "accidente*", "atropell*", "peaton*", "paso de cebra", "paso peatonal", "ciclist*", "carril bici",
            "multa*", "control de trafico", "me pararon", "conductor*", "conducir", "manejando borracho",
            "glorieta", "rotonda", "moto*", "patinete*",
        ),
        "fr": (
            "circulation", "exces de vitesse", "vitesse", "feu rouge", "feux rouges", "stationnement",
            "stationne*", "gare en double file", "alcool au volant", "accident*", "collision", "pieton*",
            "passage pieton*", "cycliste*", "piste cyclable", "amende*", "controle routier", "conducteur*",
            "chauffard*", "rond-point", "trottinette*",
        ),
        "de": (
            "verkehr*", "raser*", "zu schnell", "geschwindigkeit*", "rote ampel", "ampel*", "parken",
            "geparkt", "falschparker*", "betrunken am steuer", "alkohol am steuer", "unfall*", "fussganger*",
            "zebrastreifen", "radfahrer*", "radweg*", "strafzettel", "bussgeld*", "verkehrskontrolle*",
            "autofahrer*", "kreisverkehr", "roller",
        ),
    },
    "use_of_force": {
        "en": (
            "excessive force", "use of force", "forced me", "by force", "forcefully", "tased", "taser*", "pepper spray*", "pepper-sprayed",
            "handcuff*", "cuffed", "tackled", "chokehold", "choke*", "beat me", "beat him", "beat her", "beat us",
            "beaten", "beating", "punched", "kicked", "hit me", "hit him", "hit her", "shoved", "pushed me",
            "threw me", "slammed", "baton*", "shot at", "brutal*", "knee on", "injur*", "bruise*", "roughed up", "rough with",
            "manhandl*", "dragged",
        ),
        "es": (
            "fuerza excesiva", "uso de la fuerza", "golpe*", "golpear*", "golpeo", "golpearon", "me pego",
            "me pegaron", "empuj*", "esposado*", "esposaron", "me esposaron", "taser", "pistola electrica",
            "gas pimienta", "patad*", "porra*", "brutal*", "lesion*", "herid*", "moreton*", "me tiraron al suelo",
            "arrastr*", "violencia policial",
        ),
        "fr": (
            "force excessive", "usage de la force", "frappe*", "coups", "coup de poing", "coups de pied", "menotte*",
            "taser", "gaz lacrymogene", "gazeuse", "matraque*", "plaque au sol", "brutal*", "blesse*", "blessure*",
            "violences policieres", "traine*", "etrangle*",
        ),
        "de": (
            "ubermassige gewalt", "gewaltanwendung", "geschlagen", "getreten", "gestossen", "handschellen",
            "taser", "pfefferspray", "schlagstock", "brutal*", "polizeigewalt", "verletzt", "verletzung*",
            "zu boden gebracht", "gewurgt", "geschubst",
        ),
    },
    "misconduct_allegation": {
        "en": (
            "bribe*", "bribery", "corrupt*", "took money", "asked for money", "asked me for money", "extort*",
            "stole", "planted", "lied", "lying", "false report", "fake report", "abuse of power", "abuse of authority",
            "abused", "sexual*", "groped", "touched me", "slur*", "n-word", "misconduct", "illegal search",
            "without a warrant", "threatened me", "threatened us", "turned off * camera", "body cam*", "bodycam*",
            "covered up", "cover-up", "intimidat*", "badge number", "refused to give * name", "no badge",
            "off duty", "drunk on duty", "framed",
        ),
        "es": (
            "soborno*", "sobornar", "mordida", "coima*", "corrup*", "me pidio dinero", "pidieron dinero",
            "pidio dinero", "extorsi*", "se quedo con", "me robaron", "me robo", "mintio", "mintieron",
            "mentira*", "informe falso", "abuso*", "abuso de autoridad", "abuso de poder", "acoso sexual",
            "me toco", "manose*", "insulto racista", "sin orden", "registro ilegal", "me amenaz*", "intimid*",
            "numero de placa", "sin placa", "fuera de servicio", "camara corporal",
        ),
        "fr": (
            "pot-de-vin", "pots-de-vin", "corrompu*", "corruption", "extorsion", "m'a vole", "menti", "ment",
            "faux rapport", "abus de pouvoir", "abus d'autorite", "harcelement sexuel", "attouchement*",
            "insulte raciste", "insultes racistes", "sans mandat", "intimid*", "m'a menace", "numero de matricule",
            "camera pieton",
        ),
        "de": (
            "bestechung*", "bestochen", "korrupt*", "korruption", "erpress*", "gelogen", "lugt", "falscher bericht",
            "machtmissbrauch", "amtsmissbrauch", "sexuelle belastigung", "begrapscht", "angefasst",
            "rassistische beleidigung", "ohne durchsuchungsbeschluss", "eingeschuchtert", "mir gedroht",
            "dienstnummer", "bodycam*",
        ),
    },
    "praise": {
        "en": (
            "thank*", "thx", "grateful", "appreciate*", "great job", "good job", "well done", "excellent",
            "amazing", "helpful", "professional*", "so kind", "very kind", "really kind", "were kind", "was kind",
            "kind and", "kind officer*", "kindness", "above and beyond", "hero*", "kudos",
            "shout out", "fantastic", "wonderful", "keep up the good work", "great work", "outstanding",
            "awesome", "brilliant", "impressed", "compassionate", "friendly",
            "were great", "was great", "great officer*", "great service",
        ),
        "es": (
            "gracias", "agradec*", "agradezco", "buen trabajo", "excelente*", "muy amable*", "profesional*",
            "felicit*", "heroe*", "maravillos*", "atento", "atenta", "atentos", "atentas", "estupend*", "genial*", "increible*", "ayudaron mucho",
            "bien hecho",
        ),
        "fr": (
            "merci", "remerci*", "reconnaissant*", "bon travail", "bravo", "excellent*", "professionnel*",
            "aimable*", "gentil*", "formidable", "super travail", "felicit*", "heros", "genial*",
        ),
        "de": (
            "danke*", "dankbar*", "vielen dank", "gute arbeit", "super arbeit", "hervorragend*", "ausgezeichnet*",
            "professionell*", "freundlich*", "hilfsbereit*", "tolle", "toller", "tolles", "tollen", "grossartig*",
            "lob", "vorbildlich*", "helden", "heldin",
        ),
    },
}

# Sarcasm and formulaic negatives that contain praise words.
_PRAISE_EXCLUSIONS = compile_phrases(
    ["thanks for nothing", "thank you for nothing", "no thanks to", "gracias por nada", "merci pour rien", "danke fur nichts"]
)
_NEGATION_SENSITIVE = frozenset({"praise"})


@dataclass(frozen=True, slots=True)
class TopicMatch:
    """Topics found in one message, in taxonomy order, with the words that triggered each."""

    topics: tuple[str, ...]
    cues: Mapping[str, tuple[str, ...]]


class TopicTagger:
    """Compiled keyword rules. Build once (compilation takes milliseconds), use from any thread."""

    def __init__(self, extra_keywords: Mapping[str, Iterable[str]] | None = None) -> None:
        merged: dict[str, list[str]] = {
            topic: [kw for words in by_lang.values() for kw in words] for topic, by_lang in DEFAULT_TOPIC_KEYWORDS.items()
        }
        for topic, words in (extra_keywords or {}).items():
            name = topic.strip().lower().replace(" ", "_")
            if not name or name == OTHER:
                raise ValueError(f"cannot add keywords to topic {topic!r}: 'other' means 'nothing matched'")
            merged.setdefault(name, []).extend(words)
        self._patterns: dict[str, re.Pattern[str]] = {}
        for topic, words in merged.items():
            pattern = compile_phrases(words)
            if pattern is not None:
                self._patterns[topic] = pattern

    @property
    def topics(self) -> tuple[str, ...]:
        """All topic names, in report order, ending with ``other``."""
        return (*self._patterns, OTHER)

    def tag(self, text: str, folded: FoldedText | None = None) -> TopicMatch:
        folded = folded or fold(text)
        haystack = folded.folded
        found: dict[str, tuple[str, ...]] = {}
        excluded = _PRAISE_EXCLUSIONS.search(haystack) if _PRAISE_EXCLUSIONS else None
        for topic, pattern in self._patterns.items():
            cues: list[str] = []
            for m in pattern.finditer(haystack):
                if topic in _NEGATION_SENSITIVE:
                    if is_negated(haystack, m.start()):
                        continue
                    if excluded and excluded.start() <= m.start() < excluded.end():
                        continue
                cue = folded.original_span(m.start(), m.end())
                if cue not in cues:
                    cues.append(cue)
            if cues:
                found[topic] = tuple(cues)
        if not found:
            return TopicMatch((OTHER,), {})
        return TopicMatch(tuple(found), found)


# --- optional zero-shot model (background worker only) ------------------------------------------


class _ZeroShotPipeline(Protocol):
    def __call__(self, sequences: Any, candidate_labels: Sequence[str], **kwargs: Any) -> Any: ...


TOPIC_DESCRIPTIONS: dict[str, str] = {
    "respect": "respect and courtesy of officers",
    "response_time": "police response time",
    "communication": "communication and updates from the police",
    "fairness_bias": "fairness, discrimination or bias",
    "safety": "crime and safety in the neighbourhood",
    "traffic": "traffic, driving and parking",
    "use_of_force": "use of force by officers",
    "misconduct_allegation": "an allegation of police misconduct or corruption",
    "praise": "praise or thanks for the police",
}


class ZeroShotTopicClassifier:
    """Adds topics with a transformers zero-shot-classification pipeline (multi-label).

    Slow (one NLI forward pass per topic per message), so only the background worker should call
    it, after the keyword rules. ``pipeline`` can be injected for tests; otherwise it is built
    from ``model`` (Hub id or local dir), honouring HF_HUB_OFFLINE like the sentiment model.
    """

    def __init__(
        self,
        model: str,
        threshold: float = 0.8,
        topics: Mapping[str, str] | None = None,
        hypothesis_template: str = "This message is about {}.",
        pipeline: _ZeroShotPipeline | None = None,
    ) -> None:
        self.threshold = threshold
        self.topics = dict(topics or TOPIC_DESCRIPTIONS)
        self.hypothesis_template = hypothesis_template
        if pipeline is None:
            from transformers import pipeline as make_pipeline

            pipeline = make_pipeline("zero-shot-classification", model=model)
        self._pipeline = pipeline

    def classify(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        """Topics whose description is entailed with probability >= ``threshold``, per text."""
        if not texts:
            return []
        descriptions = list(self.topics.values())
        by_description = {d: t for t, d in self.topics.items()}
        raw = self._pipeline(
            list(texts), candidate_labels=descriptions, multi_label=True, hypothesis_template=self.hypothesis_template
        )
        outputs = raw if isinstance(raw, list) else [raw]
        result: list[tuple[str, ...]] = []
        for out in outputs:
            scores = dict(zip(out["labels"], out["scores"], strict=True))
            result.append(tuple(t for t, d in self.topics.items() if scores.get(d, 0.0) >= self.threshold and t in by_description.values()))
        return result


def merge_topics(rule_topics: Sequence[str], model_topics: Sequence[str]) -> tuple[str, ...]:
    """Union of rule and model topics, dropping ``other`` once anything real is present."""
    merged = [t for t in (*rule_topics, *model_topics) if t != OTHER]
    unique = tuple(dict.fromkeys(merged))
    return unique or (OTHER,)
