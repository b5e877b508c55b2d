"""fr cues."""

from __future__ import annotations

EMERGENCY_DEFINITE: tuple[str, ...] = (
    "au secours", "a l'aide", "il a une arme", "il a un couteau", "il a un pistolet", "avec une arme",
    "avec un couteau", "veut me tuer", "va me tuer", "vont nous tuer", "veulent me tuer", "menace de mort",
    "menaces de mort", "on m'agresse", "je me fais agresser", "quelqu'un entre chez moi",
    "quelqu'un essaie d'entrer", "cambriolage en cours", "ils tirent", "il tire", "envoyez la police",
    "envoyez quelqu'un", "kidnapp*", "prise d'otage*",
    # entrée forcée en cours
    "essaie d'entrer", "essaient d'entrer", "tente d'entrer", "tentent d'entrer", "force la porte",
    "forcer la porte", "fracturer la porte", "defonce la porte", "defoncer la porte", "essaie de forcer",
    # violence entendue ou vue maintenant
    "j'entends des coups", "j'entends des cris", "entends des coups", "entends des cris", "frappe sa femme",
    "bat sa femme", "frappe sa copine", "il la frappe", "il le frappe", "est en train de frapper",
    "menace de me tuer", "dit qu'il va me tuer",
    # personne blessée et sans défense maintenant; conducteur à contresens
    "ne bouge plus", "ne respire plus", "inconscient*", "a contresens", "a contre-sens",
)

EMERGENCY_BORDERLINE: tuple[str, ...] = (
    "cambriol*", "arme", "armes", "arme a feu", "arme blanche", "couteau", "pistolet", "agresse*",
    "agression", "coups de feu", "bagarre*", "m'a menace", "on me suit", "violence conjugale",
    "violences conjugales", "incendie", "viol", "violee",
    # disparition: urgente avec 'maintenant' ou 'aidez-moi'
    "a disparu", "n'est pas rentre*", "pas rentree", "a ete enleve*",
    # danger dans la rue maintenant
    "on me suit", "me suit depuis", "devant chez moi", "devant ma porte", "renverse un", "renverse une",
    "s'est enfui",
)

SELF_HARM_DEFINITE: tuple[str, ...] = (
    "me suicider", "je vais me tuer", "je veux me tuer", "en finir avec la vie", "mettre fin a mes jours",
    "mettre fin a ma vie", "envie de mourir", "je veux mourir", "me faire du mal", "se suicider",
    # intention explicite, aussi à la troisième personne
    "me jeter du", "me jeter sous", "me jeter par", "me pendre", "se pendre", "veut sauter", "va sauter",
    "je vais sauter", "plus de raison de vivre", "plus de raison de continuer", "je ne veux plus vivre",
    "en finir", "lettre d'adieu", "lettres d'adieu", "va se tuer", "veut se tuer",
)

MISCONDUCT_SELF_CONTAINED: tuple[str, ...] = (
    "pot-de-vin", "pots-de-vin", "violences policieres", "violence policiere", "bavure*", "abus de pouvoir",
    "abus d'autorite", "insulte raciste", "insultes racistes", "force excessive", "racket*",
    # pot-de-vin paraphrasé, fouilles sans cadre, propos xénophobes
    "oublier l'amende", "oublier le pv", "faire sauter l'amende", "faire sauter le pv", "en liquide",
    "sans mandat", "fouille illegale", "controle au facies", "rentre dans ton pays",
    "retourne dans ton pays", "rentre chez toi",
)

MISCONDUCT_ACTIONS: tuple[str, ...] = (
    "m'a frappe", "m'ont frappe", "m'a donne des coups", "m'a pousse", "m'ont pousse",
    "m'a demande de l'argent", "m'a touche", "m'a insulte", "m'ont insulte", "m'a menace",
    "a menti", "sans raison", "raciste",
    # fouilles, force et menaces par des agents
    "ont fouille", "a fouille", "m'a fouille", "m'ont fouille", "sans aucune raison", "m'a plaque",
    "m'ont plaque", "m'a tordu le bras", "m'a gifle", "m'a etrangle", "m'a menotte", "m'a tutoye",
    "ont rigole", "se sont moques", "m'a menace de", "menace de m'arreter", "effacer la video",
    "supprimer la video",
    # argent demandé par un agent
    "m'a demande * euros", "m'a demande * €", "demande * en liquide",
    # inconduite sexuelle et usage du contact à des fins personnelles
    "m'envoie des sms", "m'envoie des messages", "m'a envoye des messages", "m'a demande mon numero",
    "m'a drague", "remarques sur mon corps",
    # objets disparus lors d'une fouille ou d'une arrestation
    "n'est pas sur la liste", "jamais rendu", "jamais rendue", "a empoche",
    # représailles contre une plainte
    "si je portais plainte", "si je porte plainte", "sait ou j'habite",
)

EMERGENCY_HINTS: tuple[str, ...] = (
    # détresse qui ne compte qu'avec un autre signe
    "cris", "crie", "hurle*", "seule", "agee", "ne repond pas", "s'il vous plait", "svp",
)


SELF_HARM_BORDERLINE: tuple[str, ...] = (
    # formes indirectes: ne plus être là, tout arrêter, adieux, donner ses affaires
    "je ne veux plus etre la", "plus etre la", "je vais tout arreter", "tout arreter ce soir", "dire adieu",
    "mes cachets", "les medicaments", "je ne vois plus de raison", "disparaitre", "j'ai donne mes affaires",
    "je n'en aurai plus besoin", "ce soir c'est fini", "dites a ma * que je suis desole*",
)


SELF_HARM_HINTS: tuple[str, ...] = (
    # désespoir fréquent aussi dans les plaintes
    "je n'en peux plus", "j'en peux plus", "personne ne peut m'aider", "range mes affaires",
    "tout le monde s'en fiche", "a bout", "ecrit a ma", "ecrit a mon",
)


MISCONDUCT_STRICT_ACTIONS: tuple[str, ...] = (
    # 'on m'a volé' désigne d'ordinaire un voleur: seulement si l'agent est le sujet
    "m'a vole", "m'ont vole",
)


POLICE_WORDS: tuple[str, ...] = (
    # la police dans les mots des habitants
    "gendarme*", "policier*", "policiere*", "flic*", "keuf*", "agent*", "police*", "patrouille",
)


CIVILIAN_ACTORS: tuple[str, ...] = (
    # acteurs qui ne sont pas la police
    "homme*", "femme*", "quelqu'un", "voleur*", "voisin*", "voisine*", "mari", "copain", "ex", "chauffard*",
    "type*", "mec*",
)


URGENCY_STRONG: tuple[str, ...] = (
    # demandes d'action immédiate
    "tout de suite", "vite", "venez", "il est encore la", "a l'instant", "en ce moment meme",
    "depechez-vous", "aidez-moi", "aidez moi", "au secours",
)


URGENCY_WEAK: tuple[str, ...] = (
    # présent: urgent seulement sans expression du passé
    "maintenant", "en ce moment", "ce soir", "urgence", "depuis * minutes",
)


PAST: tuple[str, ...] = (
    # l'incident est passé
    # not bare "hier": German "hier" means "here" and every message gets every language's rules
    "hier soir", "hier matin", "hier midi", "hier apres-midi", "hier j'ai", "hier on", "hier il", "hier elle",
    "hier nous", "hier ma", "hier mon", "depuis hier", "d'hier", "avant-hier", "la semaine derniere", "le mois dernier", "l'annee derniere", "il y a * jours",
    "il y a * semaines", "il y a * mois", "l'autre jour", "samedi dernier", "l'an dernier", "l'autre soir",
    "a l'epoque", "ca fait un mois", "ca fait * mois",
)


REPORTING: tuple[str, ...] = (
    # on parle d'une plainte ou d'un dossier
    "signaler", "j'ai signale", "porte plainte", "plainte", "apres le", "apres la", "apres l'", "dossier",
    "enquete",
)


HABITUAL: tuple[str, ...] = (
    # problème récurrent
    "tous les week-ends", "chaque week-end", "chaque soir", "tous les soirs", "tous les jours", "toujours",
)


GRATITUDE: tuple[str, ...] = (
    # on remercie une fois le danger passé
    "merci*", "remerci*",
)


HYPOTHETICAL: tuple[str, ...] = (
    # hypothèse
    "si", "et si",
)


POLICE_CONTEXT: tuple[str, ...] = (
    # actes de police
    "controle*", "controle d'identite", "m'a arrete", "m'ont arrete", "interpelle*", "m'ont fouille",
)


TOPICS: dict[str, tuple[str, ...]] = {
    "respect": (
        "impoli*", "irrespectueu*", "respect*", "arrogant*", "meprisant*", "mepris", "insult*", "courtois*",
        "mal eleve*", "humili*", "hautain*", "condescendant*", "crie dessus", "moque*",
        # manière dont les agents ont traité les gens
        "gentil*", "doux", "douce", "calme", "patient*", "bienveillant*", "a l'ecoute", "humain*", "sympa*",
        "poli", "polie", "polis", "rigole*", "m'a traite", "nous a traite", "comme un criminel",
        "comme une criminelle", "comme un chien", "tutoye", "agressi*", "mal parle", "hurle", "top avec",
        "n'a meme pas voulu ecouter", "pas voulu ecouter",
    ),
    "response_time": (
        "trop lent*", "tres lent*", "lentement", "lenteur", "attendu*", "attente", "en retard",
        "jamais venu*", "personne n'est venu", "jamais arrive*", "rapide*", "rapidement", "temps de reponse",
        "tout de suite", "des heures", "mis * heure*", "attendu * heure*",
        # rapidité
        "arrives en", "en * minutes", "des heures", "personne n'est venu", "sont arrives",
    ),
    "communication": (
        "expliqu*", "explication*", "inform*", "rappel*", "pas de nouvelles", "aucune nouvelle", "reponse",
        "repondu", "communication", "interprete", "traducteur", "raccroche", "ecoute*", "ignore*",
        # information, réponses, contact
        "nouvelle*", "au courant", "savoir si", "savoir a qui", "me dire", "courriel", "mail", "appel*",
        "aucun retour", "pas de retour",
    ),
    "fairness_bias": (
        "racis*", "discrimin*", "injust*", "controle au facies", "au facies", "prejuge*", "xenophob*",
        "homophob*", "sexis*", "deux poids deux mesures", "parce que je suis noir",
        "parce que je suis noire",
        # traitement inégal
        "noir", "noire", "arabe*", "etranger*", "immigre*", "origine*", "couleur de peau",
        "parce que je suis", "ton pays", "voile",
        # contrôle au faciès en mots simples
        "toujours moi", "jamais les autres", "a cause de ma tete", "de ma couleur",
    ),
    "safety": (
        "insecurite", "securite", "dangereu*", "danger", "peur", "cambriol*", "agression*", "agresse*",
        "drogue*", "dealer*", "trafic de drogue", "violence*", "violent*", "harcelement", "harcele*", "tirs",
        "fusillade*", "vandal*", "eclairage", "menace*", "couteau", "arme", "armes", "bagarre*",
        "patrouille*",
        # délits et peur dans le quartier
        "vol", "vols", "vole", "volee", "arnaque*", "escroquerie", "en securite", "coups", "entrer chez",
        "rodeo*", "deal", "point de deal",
    ),
    "traffic": (
        "circulation", "exces de vitesse", "vitesse", "feu rouge", "feux rouges", "stationnement",
        "stationne*", "gare en double file", "alcool au volant", "accident*", "collision", "pieton*",
        "passage pieton*", "cycliste*", "piste cyclable", "amende*", "controle routier", "conducteur*",
        "chauffard*", "rond-point", "trottinette*",
        # routes et véhicules
        "autoroute", "la route", "sur la route", "contresens", "ceinture", "permis", "renverse", "radar", "fourriere", "pv",
        "contravention", "grille", "griller", "velo*", "voiture mal garee",
    ),
    "use_of_force": (
        "force excessive", "usage de la force", "frappe*", "coups", "coup de poing", "coups de pied",
        "menotte*", "taser", "gaz lacrymogene", "gazeuse", "matraque*", "plaque au sol", "brutal*",
        "blesse*", "blessure*", "violences policieres", "traine*", "etrangle*",
        # force par les agents
        "plaque*", "gifle*", "tordu", "cle de bras", "matraqu*", "genou sur",
        # gaz
        "gaze*", "gazer", "lacrymo*",
    ),
    "misconduct_allegation": (
        "pot-de-vin", "pots-de-vin", "corrompu*", "corruption", "extorsion", "menti", "ment",
        "faux rapport", "abus de pouvoir", "abus d'autorite", "harcelement sexuel", "attouchement*",
        "insulte raciste", "insultes racistes", "sans mandat", "intimid*", "m'a menace",
        "numero de matricule", "camera pieton",
        # abus d'autorité, fouilles, argent, menaces
        "fouill*", "sans raison", "sans aucune raison", "matricule", "liquide", "oublier l'amende",
        "pas le bon appartement", "mauvais appartement", "m'a menace",
    ),
    "praise": (
        "merci", "remerci*", "reconnaissant*", "bon travail", "bravo", "excellent*", "professionnel*",
        "aimable*", "gentil*", "formidable", "super travail", "felicit*", "heros", "genial*",
        # éloges sans 'merci'
        "au top", "etait top", "vraiment top", "nickel", "chapeau", "tres bien", "parfait*", "impeccable*", "efficace*",
        "a ete top",
    ),
}
