"""Small sentiment lexicons for residents' feedback to the police, in English, Spanish, French, German.

Written as a resident would write (including common misspellings without accents, which folding
handles), not copied from any corpus. They are *features* for the embedding head
(:mod:`nlp.head`), not a classifier: counts of positive and negative cues, each split by whether a
negation governs it ("not helpful" counts as a negated positive cue).

Syntax is that of :func:`nlp.text.compile_phrases`: whole words, case and accents ignored, a
trailing ``*`` matches any ending.
"""

from __future__ import annotations

from functools import lru_cache

from nlp.text import compile_phrases, fold_str, is_negated

POSITIVE: dict[str, tuple[str, ...]] = {
    "en": (
        "thank*", "thx", "grateful", "appreciat*", "great", "excellent", "amazing", "awesome", "wonderful",
        "fantastic", "brilliant", "good job", "well done", "kind", "kindly", "kindness", "polite*", "respectful*",
        "professional*", "helpful", "helped", "supportive", "friendly", "patient", "calm", "reassur*", "quick*",
        "fast", "prompt*", "efficient*", "caring", "gentle", "fair", "fairly", "safe", "safer", "impressed",
        "love", "lovely", "happy", "glad", "pleased", "nice", "best", "heroes", "hero", "perfect*", "outstanding",
        "superb", "good", "courteous", "attentive", "compassion*", "understanding",
        "legend*", "respect", "kudos", "cheers", "relieved", "reassuring", "thorough", "decent", "dignity",
        "above and beyond", "keep it up", "spot on", "top notch", "much appreciated",
    ),
    "es": (
        "gracias", "agradec*", "agradezco", "excelente*", "genial", "estupend*", "maravillos*", "fantastic*",
        "buen trabajo", "bien hecho", "amable*", "amabilidad", "educad*", "respetuos*", "profesional*",
        "ayudaron", "me ayudo", "ayuda", "atent*", "rapid*", "rapidez", "eficaz*", "eficiente*", "tranquil*",
        "segur*", "content*", "feliz", "encantad*", "perfect*", "impecable*", "buenisim*", "bueno", "buena",
        "buenos", "buenas", "mejor", "heroes", "heroe", "paciencia", "pacientes", "cercan*", "comprensiv*",
        "majo", "maja", "majos", "majas", "encantador*", "un diez", "de diez", "enhorabuena", "felicidades",
        "felicit*", "chapeau", "cracks", "crack", "competent*", "satisfech*", "aliviad*", "bien hecho", "me encanta",
        "muchas gracias", "mil gracias", "gracias de corazon",
    ),
    "fr": (
        "merci", "remerci*", "reconnaissant*", "excellent*", "genial*", "super", "formidable*", "parfait*",
        "bravo", "bon travail", "gentil*", "aimable*", "poli", "polis", "polie*", "politesse", "respectueu*",
        "professionnel*", "serviable*", "aide", "aidé", "m'ont aide", "rapide*", "rapidement", "efficace*",
        "rassur*", "calme*", "securite", "content*", "heureu*", "ravi*", "top", "impeccable*", "bien", "bon",
        "bonne", "meilleur*", "patient*", "patience", "attentionn*", "a l'ecoute", "humain*", "chaleureu*",
        "sympa*", "chapeau", "nickel", "adorable*", "agreable*", "remarquable*", "soulag*", "satisfait*",
        "reactif*", "reactive*", "reactivite", "disponible*", "courtois*", "bienveillan*", "felicit*", "au top",
        "j'adore", "adore", "competent*", "efficacite", "pas mal", "bien joue", "merci beaucoup",
    ),
    "de": (
        "danke*", "dank", "dankbar*", "bedank*", "toll*", "super", "klasse", "prima", "hervorragend*",
        "ausgezeichnet*", "großartig*", "wunderbar*", "perfekt*", "gute arbeit", "freundlich*", "höflich*",
        "respektvoll*", "professionell*", "hilfsbereit*", "geholfen", "hilfe", "schnell*", "zügig*", "effizient*",
        "ruhig*", "beruhig*", "sicher", "sicherer", "zufrieden*", "froh", "glücklich*", "gut", "gute", "guten",
        "guter", "gutes", "besten", "beste", "geduldig*", "geduld", "nett*", "kompetent*", "verständnisvoll*",
        "spitze", "lob", "loben", "hut ab", "respekt", "einfühlsam*", "anständig*", "korrekt*", "vorbildlich*",
        "erleichtert*", "weiter so", "top", "klasse arbeit", "vielen dank", "herzlichen dank", "tausend dank",
    ),
}

NEGATIVE: dict[str, tuple[str, ...]] = {
    "en": (
        "rude*", "disrespect*", "arrogant*", "aggressive*", "hostile", "terrible", "awful", "horrible", "worst",
        "bad", "poor*", "useless", "pathetic", "disgrace*", "disgust*", "shame*", "ashamed", "unacceptable",
        "ridiculous", "joke", "incompetent*", "lazy", "slow*", "late", "waited", "waiting", "wait", "hours",
        "never came", "never showed", "nobody came", "no one came", "ignored", "ignore*", "unanswered",
        "no response", "no reply", "no call back", "didn't bother", "angry", "furious", "upset", "frustrat*",
        "disappoint*", "scared", "afraid", "unsafe", "harass*", "abus*", "hit me", "hurt", "racist*",
        "racial*", "profil*", "discriminat*", "unfair*", "corrupt*", "bribe*", "lied", "liar*", "threaten*",
        "humiliat*", "insult*", "yelled", "shouted", "screamed", "complain*", "complaint*", "fed up", "sick of",
        "worse", "nothing", "wtf", "smh",
        "condescending", "dismissive", "patroniz*", "patronis*", "careless", "negligen*", "inexcusable",
        "outrage*", "appalling", "shocking", "embarrassing", "clueless", "couldn't care less", "don't care",
        "didn't care", "still waiting", "still nothing", "no one cares", "nobody cares", "waste of time",
    ),
    "es": (
        "maleducad*", "grosero*", "groser*", "prepotent*", "arrogant*", "agresiv*", "terrible*", "horrible*",
        "fatal", "pesim*", "malo", "mala", "malos", "malas", "peor*", "inutil*", "vergüenza", "vergonzos*",
        "inaceptable*", "ridicul*", "incompetent*", "vag*", "lent*", "tarde", "tardaron", "esperando", "espere",
        "horas", "nunca vinieron", "nadie vino", "no vino nadie", "ignoraron", "me ignoro", "sin respuesta",
        "nadie contesta", "nadie me llamo", "enfadad*", "indignad*", "harto", "harta", "molest*", "frustr*",
        "decepcion*", "miedo", "insegur*", "acos*", "abus*", "me pego", "me pegaron", "racist*", "discrimin*",
        "injust*", "corrupt*", "mordida", "soborno*", "mintieron", "mentir*", "amenaz*", "humill*", "insult*",
        "gritaron", "me grito", "queja*", "denuncia", "nada", "asco", "una pena",
        "inadmisible*", "impresentable*", "lamentable*", "penoso", "penosa", "borde", "bordes", "chulo", "chulos",
        "pasotas", "pasan de todo", "pasaron de mi", "les da igual", "le da igual", "nadie me hace caso",
        "dejadez", "abandonad*", "cansad*", "hart*", "indignante", "verguenza", "vergonzoso", "incapaces",
        "de risa", "mierda", "joder", "una mierda", "sigo esperando", "todavia nada", "aun nada",
    ),
    "fr": (
        "impoli*", "grossier*", "arrogant*", "agressi*", "mepris*", "terrible*", "horrible*", "nul", "nulle*",
        "nuls", "mauvais*", "pire*", "inutile*", "honte*", "honteu*", "inacceptable*", "ridicule*",
        "incompetent*", "lent*", "tard", "attendu", "attente", "heures", "jamais venu*", "personne n'est venu",
        "ignore*", "sans reponse", "aucune reponse", "pas de reponse", "aucun retour", "en colere", "furieu*",
        "enerve*", "frustr*", "decu*", "decevant*", "deception", "peur", "harcel*", "abus*", "m'a frappe",
        "frappe*", "raciste*", "racisme", "discrimin*", "injust*", "corrompu*", "pot-de-vin", "menti",
        "mensonge*", "menac*", "humili*", "insult*", "crie", "hurle", "plainte*", "rien", "marre", "scandal*",
        "lamentable*", "n'importe quoi",
        "inadmissible*", "deplorable*", "desagreable*", "condescendant*", "hautain*", "desinvolt*", "negligen*",
        "laxis*", "indifferen*", "s'en fiche*", "s'en fout*", "je m'en fous", "bordel", "merde", "putain",
        "degoute*", "degueulasse*", "inexcusable*", "abandonne*", "delaisse*", "toujours rien", "toujours pas",
        "sans nouvelle*", "aucune nouvelle*", "jamais rappele*", "personne ne repond", "personne ne rappelle",
        "ras le bol", "ras-le-bol", "inutiles", "mal a l'aise", "choque*", "revoltant*", "incapable*",
    ),
    "de": (
        "unhöflich*", "unfreundlich*", "respektlos*", "arrogant*", "aggressiv*", "frech*", "schrecklich*",
        "furchtbar*", "schlimm*", "schlecht*", "mies*", "nutzlos*", "unfähig*", "inkompetent*", "schande",
        "unverschämt*", "unmöglich*", "inakzeptabel*", "lächerlich*", "peinlich*", "langsam*", "spät", "zu spät",
        "gewartet", "warten", "stunden", "nie gekommen", "niemand kam", "keiner kam", "ignoriert*",
        "keine antwort", "keine rückmeldung", "kein rückruf", "wütend*", "sauer", "verärgert*", "frustr*",
        "enttäusch*", "angst", "unsicher*", "belästig*", "missbrauch*", "geschlagen", "verletzt", "rassist*",
        "diskriminier*", "ungerecht*", "unfair*", "korrupt*", "bestech*", "gelogen", "lüge*", "gedroht",
        "bedroht", "droh*", "gedemütigt", "demütig*", "beleidig*", "angeschrien", "beschwerde*", "nichts",
        "skandal*", "frechheit", "katastroph*",
        "zumutung", "erbärmlich*", "armselig*", "pampig*", "herablassend*", "überheblich*", "gleichgültig*",
        "egal", "im stich", "allein gelassen", "unzumutbar*", "unverantwortlich*", "ärgerlich*", "mist",
        "scheiß*", "nase voll", "reicht mir", "warte immer noch", "immer noch nichts", "bis heute nichts",
    ),
}

FEATURES: tuple[str, ...] = ("positive", "negative", "negated_positive", "negated_negative", "exclamations", "questions")
"""Names of the values :func:`lexicon_features` returns, in order."""


@lru_cache(maxsize=1)
def _patterns() -> tuple[object, object]:
    pos = compile_phrases(w for words in POSITIVE.values() for w in words)
    neg = compile_phrases(w for words in NEGATIVE.values() for w in words)
    return pos, neg


def lexicon_features(text: str) -> list[float]:
    """Cue counts (see :data:`FEATURES`), squashed with ``x / (1 + x)`` so long messages do not dominate."""
    folded = fold_str(text or "")
    pos, neg = _patterns()
    counts = [0.0] * len(FEATURES)
    for slot, pattern in ((0, pos), (1, neg)):
        for match in pattern.finditer(folded):  # type: ignore[attr-defined]
            counts[slot + 2 if is_negated(folded, match.start()) else slot] += 1.0
    counts[4] = float(text.count("!")) if text else 0.0
    counts[5] = float(text.count("?")) if text else 0.0
    return [c / (1.0 + c) for c in counts]
