"""fr cues."""

from __future__ import annotations

EMERGENCY_DEFINITE: tuple[str, ...] = (
    "au secours", "a l'aide", "il a une arme", "il a un couteau", "il a un pistolet", "avec une arme", "avec des armes",
    "avec un couteau", "veut me tuer", "va me tuer", "vont nous tuer", "veulent me tuer", "menace de mort",
    "menaces de mort", "on m'agresse", "je me fais agresser", "quelqu'un entre chez moi",
    "quelqu'un essaie d'entrer", "cambriolage en cours", "ils tirent", "il tire", "envoyez la police",
    "envoyez quelqu'un", "prise d'otage en cours",
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
    "cambriol*", "une arme", "des armes", "son arme", "ses armes", "arme a feu", "arme blanche", "couteau",
    "pistolet", "agresse*",
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
    "mes cachets", "les medicaments", "je ne vois plus de raison", "envie de disparaitre", "veux disparaitre",
    "disparaitre pour toujours", "disparaitre a jamais", "j'ai donne mes affaires",
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
    "hier nous", "hier ma", "hier mon", "depuis hier", "d'hier", "avant-hier", "la semaine derniere",
    "le mois dernier", "l'annee derniere", "il y a * jours",
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
        "expliqu*", "explication*", "informe", "informee*", "informes", "informer*", "informez", "information*",
        "rappel*", "pas de nouvelles", "aucune nouvelle", "reponse",
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
        "autoroute", "la route", "sur la route", "contresens", "ceinture", "permis", "renverse", "radar",
        "fourriere", "pv",
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


# --------------------------------------------------------------------------------------------------
# Couverture des concepts (deuxième passe): comment les gens décrivent chaque concept.
# --------------------------------------------------------------------------------------------------

EMERGENCY_DEFINITE = EMERGENCY_DEFINITE + tuple(f"{s} {v}" for s in ("il me", "elle me", "ils me", "on me", "il nous",
                                                                   "ils nous", "il la", "il le", "il les")
                                                for v in ("frappe", "bat", "tape", "etrangle", "menace", "poursuit",
                                                          "suit", "tabasse", "agresse", "poignarde", "cogne")) + (
    "est en train de me frapper", "est en train de la frapper", "est en train de le frapper", "en train de tabasser",
    "frappe ses enfants", "frappe son enfant", "frappe un enfant", "frappe le bebe", "bat ses enfants",
    "il y a quelqu'un chez moi", "quelqu'un est chez moi", "quelqu'un dans mon appartement", "quelqu'un dans la maison",
    "il y a un homme chez moi", "ils sont chez moi", "toujours chez moi", "encore dans la maison", "je suis cache*",
    "je me suis enferme*", "il est arme", "ils sont armes", "avec un fusil", "a un fusil", "avec une hache",
    "avec une batte", "avec une machette", "a ete poignarde*", "s'est fait poignarder", "coup de couteau",
    "s'est fait tirer dessus", "on m'a tire dessus", "il saigne", "elle saigne", "saigne beaucoup", "beaucoup de sang",
    "ne respire pas", "ne se reveille pas", "ne reagit plus", "ne reagit pas", "au feu", "il y a le feu", "le feu chez",
    "en feu", "en flammes", "ca brule", "enfant seul dans la voiture", "enferme dans la voiture",
    "bebe dans la voiture",
    "enfants seuls", "appelez une ambulance", "envoyez une ambulance", "envoyez les secours", "envoyez des secours",
    "venez vite", "venez svp", "j'ai besoin d'aide", "je suis en danger", "en danger de mort", "il va me frapper",
    "va me faire du mal", "veut me frapper", "ne me laisse pas sortir", "m'empeche de sortir", "m'a enferme*",
)

EMERGENCY_BORDERLINE = EMERGENCY_BORDERLINE + (
    "kidnapp*", "prise d'otage*", "otage*", "fusil", "hache", "machette", "poignard*", "tire dessus",
    "perdu connaissance", "crise cardiaque", "overdose", "odeur de gaz", "fuite de gaz", "fumee",
    "aidez-nous", "me frappe", "me bat", "violent avec moi", "il est ivre",
    "casse tout", "jette des objets", "ne trouve plus mon", "ne trouve plus ma", "introuvable",
    "fait un malaise", "sont en danger",
)

EMERGENCY_HINTS = EMERGENCY_HINTS + ("besoin d'aide", "peur", "pleure", "pleurs", "panique")

SELF_HARM_DEFINITE = SELF_HARM_DEFINITE + (
    "me foutre en l'air", "me supprimer", "me flinguer", "m'ouvrir les veines", "me taillader les veines",
    "me tailler les veines", "me scarifier", "plus envie de vivre", "n'ai plus envie de vivre", "veux plus vivre",
    "aucune raison de vivre", "pas de raison de vivre", "ma vie n'a plus de sens", "envie d'en finir",
    "je vais en finir", "je veux en finir", "je ne serai plus la demain", "je serai plus la demain",
    "c'est mon dernier message", "mon dernier message", "quand vous lirez ce message", "quand tu liras ce message",
    "avaler tous mes", "avale tous mes", "toute la boite de", "tous mes cachets", "toutes mes pilules",
    "sauter du pont", "sauter d'un pont", "me jeter d'un pont", "me jeter du haut", "me jeter par la fenetre",
    "me jeter sous un train", "veut mourir", "veut se suicider", "va se suicider", "menace de se suicider",
    "menace de se tuer", "parle de se tuer", "va se jeter", "veut se jeter",
)

SELF_HARM_BORDERLINE = SELF_HARM_BORDERLINE + (
    "je ne peux plus continuer", "peux plus continuer", "je ne tiens plus", "plus la force", "la vie n'a plus de sens",
    "plus de sens", "je suis un fardeau", "mieux sans moi", "je ne serai plus la", "je serai plus la",
    "dernier message",
    "adieu a tous", "adieu", "quand vous lirez", "je donne mes affaires", "donner mes affaires", "cachets", "pilules",
    "medicaments", "le pont", "la corde", "dormir pour toujours", "ne plus me reveiller", "me faire du mal",
    "automutil*", "scarif*",
)

SELF_HARM_HINTS = SELF_HARM_HINTS + ("j'abandonne", "je suis seul*", "pardonnez-moi", "pardon pour tout",
                                     "prenez soin de", "je vous aime", "je ne vaux rien")

FIGURATIVE: tuple[str, ...] = (
    # mort et danger au sens figuré
    "mourir de rire", "mort de rire", "morte de rire", "morts de rire", "mdr", "ptdr", "je meurs de *",
    "meurs d'envie", "mourir d'ennui", "mort d'ennui", "a mourir", "failli mourir de", "ca me tue", "tu me tues",
    "tuer le temps", "une tuerie", "c'est une tuerie", "ca tue", "une bombe", "en feu ce soir", "etait en feu",
    "mourir de honte", "morte de honte", "mort de honte", "mourir de faim", "mourir de chaud", "mourir de froid",
    "je vais mourir de", "disparaitre de la circulation", "disparaitre des ecrans", "haha*", "hihi*", "lol",
)

MISCONDUCT_SELF_CONTAINED = MISCONDUCT_SELF_CONTAINED + (
    "bakchich", "dessous-de-table", "une enveloppe", "on peut s'arranger", "s'arranger a l'amiable contre",
    "payer pour que", "fermer les yeux contre", "faux pv", "faux proces-verbal", "pv mensonger",
    "proces-verbal mensonger",
    "a menti dans le pv", "a menti dans son rapport", "ont menti dans", "fouille sans", "sans autorisation",
    "fouille de mon telephone", "a fouille mon telephone", "deverrouiller mon telephone",
    "refuse de prendre ma plainte",
    "refuse ma plainte", "pas voulu prendre ma plainte", "refus de plainte", "refuse d'enregistrer ma plainte",
    "parce que je suis arabe", "parce que je suis musulman*", "a cause de mon voile", "a cause de mon accent",
    "a cause de mes origines", "a cause de ma couleur", "a cause de ma religion", "sale arabe", "sale noir",
    "cle d'etranglement", "plaquage ventral",
)

MISCONDUCT_ACTIONS = MISCONDUCT_ACTIONS + (
    "m'a tabasse", "m'ont tabasse", "m'ont frappe", "m'a cogne", "m'ont cogne", "m'a mis un coup", "m'a bouscule",
    "m'ont bouscule", "m'a jete au sol", "m'ont jete au sol", "m'a jete par terre", "m'a traine", "m'ont traine",
    "m'a etrangle", "m'ont etrangle", "m'a gaze", "m'ont gaze", "m'a matraque", "m'ont matraque", "m'ont menotte",
    "menottes trop serrees", "m'a blesse", "m'ont blesse", "m'a casse", "ont garde mon", "a garde mon",
    "a pris mon argent", "ont pris mon argent", "il manquait", "manquait de l'argent", "a menti", "ont menti",
    "a invente", "ont invente", "m'ont menace", "m'a intimide", "m'ont intimide", "m'a touche", "m'a mis la main",
    "main aux fesses", "remarques deplacees", "propos deplaces", "m'a traite de", "m'ont traite de", "m'a humilie",
    "m'ont humilie", "a cause de mon", "a cause de ma", "a cause de mes", "parce que je suis", "a refuse de",
    "ont refuse de",
)

URGENCY_STRONG = URGENCY_STRONG + ("venez vite", "vite svp", "au secours", "a l'aide", "vite vite", "c'est en train",
                                   "en train de se passer", "il est toujours la", "ils sont toujours la")

URGENCY_WEAK = URGENCY_WEAK + ("en ce moment", "actuellement", )

PAST = PAST + ("lundi dernier", "mardi dernier", "mercredi dernier", "jeudi dernier", "vendredi dernier",
               "dimanche dernier", "en 20*", "quand j'etais", "il y a longtemps", "l'ete dernier")

TOPICS["use_of_force"] = TOPICS["use_of_force"] + (
    "tabass*", "cogne*", "bouscul*", "jete au sol", "jete par terre", "projete*", "plaquage*", "etrangl*", "gaze*",
    "menottes", "trop serre*", "ecchymose*", "hematome*", "saign*", "nez casse", "bras casse", "poignet*", "lbd",
    "flashball", "balle de defense", "coup de pied", "coups de matraque", "violemment", "brutalement", "de force",
    "par la force", "genou", "au sol",
)

TOPICS["misconduct_allegation"] = TOPICS["misconduct_allegation"] + (
    "bakchich", "dessous-de-table", "enveloppe", "s'arranger", "payer pour", "argent liquide", "ont garde",
    "a garde mon", "pris mon argent", "il manquait", "mensonge*", "mentent", "menteur*", "invente*", "pv mensonger",
    "faux pv", "falsifi*", "sans autorisation", "deverrouiller", "intimid*", "main aux fesses",
    "deplace*", "drague*", "sexis*", "harcel* sexuel*", "refuse de prendre", "pas voulu prendre ma plainte",
    "refus de plainte", "impunite", "abus", "corrompu*", "etouffe* l'affaire",
)

TOPICS["fairness_bias"] = TOPICS["fairness_bias"] + (
    "religion", "musulman*", "juif", "juive", "mon nom", "mon accent", "accent", "maghrebin*", "africain*", "rebeu*",
    "beur*", "renoi*", "gitan*", "rom", "roms", "homo", "gay", "lesbienne", "trans", "parce que je suis une femme",
    "parce qu'on est", "delit de facies", "facies", "a cause de ma", "a cause de mon", "a cause de mes", "les blancs",
    "inegal*", "pas pareil", "differemment", "cible*", "que moi", "que nous",
)

TOPICS["respect"] = TOPICS["respect"] + (
    "impolitesse", "politesse", "mal poli*", "grossier*", "grossierete*", "desagreable*", "agressif*",
    "seche", "froid*", "hautain*", "condescendance", "mepris*", "se moquer", "moquerie*", "rire de", "ri au nez",
    "crier", "crie", "criait", "hurl*", "tutoie*", "vouvoie*", "courtoisie", "aimable*", "amabilite", "chaleureu*",
    "bienveillance", "respectueu*", "avec respect", "comme une personne", "comme un moins que rien",
    "comme de la merde", "pris au serieux", "pas pris au serieux", "ignore*", "dignite", "empathie",
)

TOPICS["response_time"] = TOPICS["response_time"] + (
    "attendre", "attendu", "attends", "ont mis", "a mis", "heure*", "minutes", "jamais venus", "personne n'est venu",
    "personne ne vient", "toujours pas venus", "pas venus", "delai*", "retard", "vite", "rapidite",
    "en quelques minutes",
    "immediatement", "aussitot", "arrives tres vite", "intervention rapide", "intervenus",
)

TOPICS["communication"] = TOPICS["communication"] + (
    "repond*", "reponse*", "rappel*", "rappele*", "telephone", "appel*", "message*", "courrier", "mail*", "nouvelles",
    "informe*", "tenu au courant", "tenir au courant", "suivi", "ou en est", "mon dossier", "numero de dossier",
    "m'a explique", "ont explique", "personne ne m'a dit", "on ne m'a rien dit", "sans nouvelles", "ecoute*",
    "comprendre", "compris", "langue", "anglais", "traduire",
)

TOPICS["safety"] = TOPICS["safety"] + (
    "voler", "volent", "cambriol*", "agress*", "racket*", "pickpocket*", "degradation*", "casse*",
    "rixe*", "bagarre*", "poignard*", "couteau*", "arme*", "tirs", "coups de feu", "menac*", "harcel*",
    "violence*", "violences conjugales", "ivre*", "alcool*", "seringue*", "dealer*", "trafic", "squat*", "rodeo*",
    "sombre", "la nuit", "le soir", "tranquillite", "insecurite", "danger*", "incendie",
    "feu",
    "vol", "vols", "voleur*", "voler", "volent",
)

TOPICS["traffic"] = TOPICS["traffic"] + (
    "voiture* mal", "mal gare*", "garee*", "se garer", "embouteillage*", "bouchon*", "conduit*", "conduire",
    "rodeo* urbain*", "klaxon*", "feu rouge", "au rouge", "passage pieton*", "trottoir", "verbalise*", "amende",
    "permis", "assurance", "carte grise", "plaque d'immatriculation", "alcootest", "ethylotest",
    "controle d'alcoolemie", "accident*", "collision", "moto*", "scooter*", "velo*", "trottinette*",
)

TOPICS["praise"] = TOPICS["praise"] + (
    "merci beaucoup", "mille mercis", "un grand merci", "merci infiniment", "reconnaissance", "formidable*",
    "exemplaire*", "admirable*", "fier*", "ravi*", "content*", "satisfait*", "m'ont aide", "nous ont aide",
    "m'ont sauve", "sauve*", "super", "genial", "chapeau bas", "respect a",
)

# Respect : d'autres façons de parler de la manière d'être traité ; et les emplois de ses mots qui parlent d'autre chose.
TOPICS["respect"] = TOPICS["respect"] + (
    "comme a un chien", "comme des chiens", "comme a des chiens", "comme a un criminel", "glacial*",
    "meme pas regarde*", "sans me regarder", "pas un regard", "pas une excuse", "pas d'excuse*", "aucune excuse",
    "sans s'excuser", "se sont excuse*", "s'est excuse*", "soupir*", "leve les yeux au ciel", "sale arabe",
    "sale noir", "sale negre", "sale race", "sale juif", "m'a traite de", "l'a traite de", "les a traite de",
    "a traite * de", "dit bonjour", "disent bonjour",
)
TOPIC_EXCLUSIONS: dict[str, tuple[str, ...]] = {
    "respect": ("entends crier", "entends hurler", "entends des cris", "crie depuis", "hurle depuis", "crie au secours",
                "crier au secours", "crie a l'aide", "hurle de douleur", "qui crie", "qui hurle"),
}

TOPIC_EXCLUSIONS["response_time"] = (
    "quelle heure", "horaire*", "il y a une heure", "il y a * heures", "il y a * minutes", "salle d'attente",
    "venez vite", "vite vite", "vite svp", "faites vite", "mis une amende", "mis un pv", "mis une contravention",
    "mis une prune", "mis les menottes", "combien de temps faut-il",
)
TOPICS["praise"] = TOPICS["praise"] + ("bon courage", "courage a vous", "merci pour votre travail")
TOPIC_EXCLUSIONS["praise"] = ("merci pour rien", "merci hein", "merci du cadeau")

TOPIC_EXCLUSIONS["traffic"] = (
    "vol de velo", "vol de mon velo", "vol de scooter", "mon velo", "velo vole", "volé mon velo", "vole mon velo",
    "mon scooter", "scooter vole",
)

# D'autres tournures courantes : arriver avant les autres secours, éloges sans « merci », bagarres et effractions.
TOPICS["response_time"] = TOPICS["response_time"] + (
    "avant les pompiers", "avant l'ambulance", "avant le samu", "avant les secours",
)
TOPICS["praise"] = TOPICS["praise"] + (
    "continuez", "continuez comme ca", "bien joue", "appreciable", "pas pu demander mieux", "demander mieux",
    "des gens bien", "adorable*", "rien a redire",
)
TOPICS["safety"] = TOPICS["safety"] + (
    "se battent", "se bagarrent", "se tapent dessus", "essaie d'ouvrir les portieres", "essaie d'entrer",
    "essaient d'entrer", "casse la vitrine", "casser la vitrine", "fracture*", "effraction",
)

# Quatrième tour (respect) : comment on raconte l'attitude d'un agent, dans les deux sens.
TOPICS["respect"] = TOPICS["respect"] + (
    "m'a parle comme", "nous a parle comme", "parle comme a", "de haut", "pris de haut", "prend de haut",
    "sur un ton", "sur ce ton", "ton agressif", "ton sec", "ton meprisant", "ton condescendant", "le ton",
    "tutoy*", "desinvolt*", "je-m'en-foutis*", "s'en fichai*", "s'en fiche*", "s'en fout*", "rien a faire de",
    "rien a foutre", "indifferen*", "nonchalan*", "souriant*", "avenant*", "prevenant*", "attentionne*",
    "delicatesse", "avec tact", "comprehensif*", "comprehensive*", "gentillesse", "mal accueilli*",
    "bien accueilli*", "bon accueil", "mauvais accueil", "accueil glacial", "accueillant*", "remballe*",
    "envoye balader", "envoyee balader", "envoye promener", "envoyee promener", "envoye bouler", "rembarre*",
    "insolen*", "arrogance", "moqueu*", "de ma gueule", "ricane*", "ricanement*", "engueul*", "gueul*",
    "sermonn*", "infantilis*", "comme un gamin", "comme une gamine", "comme un enfant", "comme si j'etais",
    "vulgair*", "injuri*", "parle mal", "humanite", "comportement", "mal parle", "fait la morale",
)
# le comportement d'autres personnes (suspect, incivique) n'est pas l'attitude d'un agent
TOPIC_EXCLUSIONS["respect"] = TOPIC_EXCLUSIONS["respect"] + (
    "comportement suspect", "comportements suspects", "comportement etrange", "comportement bizarre",
    "comportements inciviques",
)

# Quatrième tour (communication) : ne rien savoir, suivre son dossier ; et les mots d'appel ou de message qui
# parlent d'autre chose (appeler pour signaler, messages d'un agent, qui contacter pour un lampadaire).
TOPICS["communication"] = TOPICS["communication"] + (
    "un retour", "sans retour", "je n'ai rien su", "on ne sait rien", "pas un mot",
    "silence radio", "personne ne decroche", "decroche*", "suite donnee", "quelle suite", "sans suite",
    "sms", "tenu informe*", "tenue informee",
)
TOPIC_EXCLUSIONS["communication"] = (
    "temps de reponse", "temps de reaction", "reponse rapide", "m'envoyer des messages", "m'envoie des messages",
    "m'envoie des sms", "m'envoyer des sms", "qui dois-je contacter", "qui contacter", "qui appeler",
    "qui dois-je appeler", "mon telephone", "mon portable", "son courrier", "courrier s'accumule",
    "appele les pompiers", "appeler les pompiers", "appeler une ambulance", "ne repond plus",
)

# Mots de temps qui ne disent pas la rapidité de la police : attendre un rappel ou un numéro (communication),
# la durée d'une garde à vue, attendre pendant qu'on est reçu.
TOPIC_EXCLUSIONS["response_time"] = TOPIC_EXCLUSIONS["response_time"] + (
    "attends un retour", "attends toujours un retour", "attends le rappel", "attends toujours le rappel",
    "attends une reponse", "attends toujours une reponse", "attends des nouvelles", "attends le numero",
    "attends toujours le numero", "attends qu'on me rappelle", "attends toujours qu'on me rappelle",
    "pendant que j'attendais", "garde a vue de * heures", "garde a vue pendant * heures", "retenu pendant * heures",
    "retenu * heures",
)
TOPICS["response_time"] = TOPICS["response_time"] + ("en vous attendant", "en les attendant")

# Mots de sécurité dans autre chose : sécurité routière, feux de circulation, traité comme un criminel.
TOPIC_EXCLUSIONS["safety"] = (
    "securite routiere", "feu rouge", "feux rouges", "feu vert", "feu orange", "feux tricolores",
    "comme un criminel", "comme une criminelle", "comme des criminels", "comme un delinquant",
    "comme une delinquante",
)
