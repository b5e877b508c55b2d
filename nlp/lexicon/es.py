"""es cues."""

from __future__ import annotations

EMERGENCY_DEFINITE: tuple[str, ...] = (
    "estan entrando en", "esta entrando en", "estan entrando a", "esta entrando a", "alguien esta entrando",
    "alguien estan entrando", "esta entrando alguien", "estan entrando por", "esta entrando por",
    "estan entrando ladrones", "se estan metiendo", "se esta metiendo", "quieren entrar",
    "intentan entrar", "hay alguien en mi casa", "tiene un arma", "tiene una pistola", "tiene un cuchillo",
    "tiene una navaja", "con una pistola", "con un cuchillo", "con una navaja", "me apunta", "nos apunta",
    "me quiere matar", "me va a matar", "nos van a matar", "nos quiere matar", "te voy a matar",
    "amenaza de muerte", "amenazas de muerte", "amenazo de muerte", "me estan atacando",
    "nos estan atacando", "me estan robando", "nos estan robando", "me esta pegando", "me estan pegando",
    "le esta pegando", "esta golpeando", "estan golpeando", "estan disparando", "esta disparando",
    "socorro", "auxilio", "manden una patrulla", "envien una patrulla", "manden ayuda",
    "manden a alguien",
    # violencia que se oye o se ve ahora (presente continuo)
    "esta pegando a", "pegando a su mujer", "pegando a su pareja", "pegandole a", "se oyen golpes",
    "oigo golpes", "se oyen gritos", "oigo gritos", "estan pegando a",
    # entrada forzada en curso
    "forzar la puerta", "forzando la puerta", "forzar la ventana", "intentando entrar", "intenta entrar",
    "intentando forzar", "estan intentando forzar", "reventar la puerta",
    # amenaza de muerte en estilo indirecto
    "dice que me va a matar", "dice que me mata", "que me va a matar",
    # persona herida e indefensa ahora; conductor kamikaze
    "no respira", "no se mueve", "inconsciente", "direccion contraria", "sentido contrario", "kamikaze",
)

EMERGENCY_BORDERLINE: tuple[str, ...] = (
    "entraron a robar", "se metieron", "arma", "armas", "armado", "armados", "pistola*", "cuchillo",
    "navaja", "me atacaron", "me asaltaron", "disparo*", "balazo*", "tiroteo*", "pelea*",
    "me amenaz*", "miedo por mi vida", "violencia domestica", "violencia de genero", "me estan siguiendo",
    "me siguen", "incendio", "violaron", "violacion",
    # desaparecidos: urgente con 'ahora' o 'ayuda'
    "ha desaparecido", "esta desaparecid*", "no ha vuelto", "no ha llegado a casa", "se lo llevaron",
    "se la llevaron",
    # peligro en curso en la calle
    "me esta siguiendo", "tirando piedras", "rompiendo cristales", "fuera de mi casa", "en mi puerta",
)

SELF_HARM_DEFINITE: tuple[str, ...] = (
    "matarme", "suicidarme", "me voy a suicidar", "me quiero suicidar", "suicidarse", "quitarme la vida",
    "quiero morir", "quiero morirme", "no quiero vivir", "no quiero seguir viviendo", "acabar con mi vida",
    "hacerme dano", "cortarme", "quitarse la vida",
    # intención explícita, también en tercera persona
    "se va a tirar", "se quiere tirar", "me voy a tirar", "tirarme por", "tirarme de", "tirarse por",
    "me voy a matar", "se va a matar", "se quiere matar", "ahorcarme", "ahorcarse", "se va a cortar",
    "quiere suicidarse", "carta de despedida", "cartas de despedida",
)

MISCONDUCT_SELF_CONTAINED: tuple[str, ...] = (
    "soborno*", "sobornar", "mordida", "coima*", "abuso de autoridad", "abuso policial", "abuso de poder",
    "brutalidad policial", "violencia policial", "fuerza excesiva", "insulto racista", "insultos racistas",
    "sembraron droga*", "me sembraron", "extorsion*", "extorsiono", "extorsionaron",
    # soborno parafraseado: pagar para que desaparezca la multa
    "olvidar la multa", "olvidarse de la multa", "quitarme la multa", "quitar la multa", "arreglar la multa",
    "para el refresco", "para un cafe", "algo para el cafe", "arreglarlo aqui",
    # registros sin permiso y comentarios xenófobos
    "sin orden judicial", "registro ilegal", "cacheo ilegal", "vuelve a tu pais", "vete a tu pais",
    "perfil racial",
)

MISCONDUCT_ACTIONS: tuple[str, ...] = (
    "me pego", "me pegaron", "me golpeo", "me golpearon", "me pateo", "me patearon", "me empujo",
    "me empujaron", "me pidio dinero",
    "me pidieron dinero", "me toco", "me manoseo", "me acoso", "me insulto", "me insultaron", "me amenazo",
    "me amenazaron", "mintio", "mintieron", "sin orden", "sin motivo", "racista",
    # amenazas para impedir quejas o grabaciones
    "me amenazo con", "nos amenazo con", "amenazo con", "amenazaron con", "te vas a arrepentir",
    "me iba a arrepentir", "arrepentir si", "dejar de grabar", "borrar el video", "me obligo a borrar",
    # registros y fuerza por agentes
    "me registraron", "registraron mi", "revisaron mi", "me cachearon", "me tiraron al suelo",
    "me retorcio el brazo", "me dio una bofetada", "me dieron una paliza", "me apunto con",
    # dinero pedido por un agente
    "me pidio * euros", "me pidieron * euros", "en efectivo",
    # conducta sexual y contacto personal por un agente
    "me pidio el numero", "me pidio mi numero", "me escribe", "me manda mensajes", "me mando mensajes",
    "comentarios sobre mi cuerpo", "piropos", "me tiro los tejos",
    # objetos que desaparecen en un registro o detención
    "no estaba en el inventario", "nunca me devolvieron", "se lo guardo", "se lo quedo",
    # represalias por quejarse
    "si ponia una queja", "si me quejaba", "si denunciaba", "sabe donde vivo",
)

EMERGENCY_HINTS: tuple[str, ...] = (
    # angustia que solo cuenta junto a otra señal
    "golpes", "gritos", "gritando", "vive sola", "vive solo", "no contesta", "por favor",
)


SELF_HARM_BORDERLINE: tuple[str, ...] = (
    # formas indirectas: desaparecer, acabar, despedirse
    "mejor desaparecer", "quiero desaparecer", "desaparecer del todo", "desaparecer para siempre",
    "se acaba todo", "acabar con todo", "no quiero seguir asi", "no quiero seguir", "no vale la pena vivir",
    "despedirme de", "dile a mi * que lo siento", "decidle a mi * que lo siento", "las pastillas",
    "no hay salida", "ya no me va a hacer falta", "no lo voy a necesitar", "regalando mis cosas",
    "he regalado mis",
)


SELF_HARM_HINTS: tuple[str, ...] = (
    # desesperanza que también aparece en quejas
    "ya no aguanto", "no aguanto mas", "ya no sirvo para nada", "no sirvo para nada", "nadie me cree",
    "nadie me quiere", "harta de todo", "harto de todo", "no puedo mas", "balcon", "azotea",
)


MISCONDUCT_STRICT_ACTIONS: tuple[str, ...] = (
    # impersonal 'me robaron' suele ser un ladrón: solo cuenta si el agente es el sujeto inmediato
    "me robo", "me robaron", "se quedo con mi", "se quedaron con",
)


POLICE_WORDS: tuple[str, ...] = (
    # la policía en palabras de los vecinos
    "agente*", "policia*", "poli", "polis", "guardia*", "municipal*", "patrullero*", "oficial*", "mosso*",
    "patrulla",
)


CIVILIAN_ACTORS: tuple[str, ...] = (
    # actores que no son policía
    "hombre*", "mujer*", "tipo*", "alguien", "ladron*", "vecin*", "chico*", "chica*", "desconocid*",
    "marido", "esposo", "novio", "pareja", "ex", "jefe", "amig*", "hermano", "hermana", "hijo", "hija",
)


URGENCY_STRONG: tuple[str, ...] = (
    # peticiones de acción inmediata
    "ahora mismo", "vengan", "vengan ya", "todavia esta aqui", "sigue aqui", "esta pasando",
    "ayuda por favor", "rapido por favor", "por favor rapido", "ya mismo", "en este momento", "ayudenme",
)


URGENCY_WEAK: tuple[str, ...] = (
    # presente: urgente solo sin expresiones de pasado
    "ahora", "rapido", "urgente", "emergencia", "esta noche", "desde hace * minutos",
)


PAST: tuple[str, ...] = (
    # el incidente ya pasó
    "ayer", "anoche", "anteayer", "la semana pasada", "el mes pasado", "el ano pasado", "hace * dias",
    "hace * semanas", "hace * meses", "hace * anos", "el otro dia", "el sabado", "el domingo", "el viernes",
    "el fin de semana pasado", "la otra noche",
)


REPORTING: tuple[str, ...] = (
    # se habla de una denuncia o de un caso
    "denunci*", "cuando llame", "despues del", "queja", "caso", "investigacion", "cuando me robaron",
    "expediente",
)


HABITUAL: tuple[str, ...] = (
    # problema repetido, no algo que pasa ahora
    "cada fin de semana", "cada noche", "cada dia", "todos los dias", "todas las noches",
    "todos los fines de semana", "siempre",
)


GRATITUDE: tuple[str, ...] = (
    # se agradece cuando el peligro ya pasó
    "gracias", "agradec*", "agradezco",
)


HYPOTHETICAL: tuple[str, ...] = (
    # hipótesis
    "si", "que pasa si",
)


POLICE_CONTEXT: tuple[str, ...] = (
    # actuaciones policiales
    "me pararon", "me paran", "me para", "me piden los papeles", "pidieron los papeles", "me identificaron",
    "control*", "me detuvieron", "me registraron",
)


TOPICS: dict[str, tuple[str, ...]] = {
    "respect": (
        "grosero*", "grosera*", "maleducad*", "mal educad*", "respeto*", "irrespetuos*", "falta de respeto",
        "prepotente*", "prepotencia", "insult*", "despectiv*", "educad*", "amable*", "me grito", "nos grito",
        "me gritaron", "se burl*", "humill*", "trato", "altaner*", "soberbi*", "desprecio",
        # trato de los agentes, bueno o malo
        "amable*", "me trato", "nos trato", "trato fatal", "me trataron", "nos trataron", "me hablo",
        "me hablaron", "gritando", "de malas maneras", "borde", "bordes", "simpatic*", "carinos*", "un amor",
        "majo", "maja", "atent*", "paciencia", "paciente", "comprensiv*", "empatic*", "cercan*", "tranquil*",
        "con respeto", "como a un delincuente", "como a una delincuente", "como una delincuente",
        "como un delincuente", "se rieron", "se rio", "chulo", "chuleria", "de tu", "tute*", "me grito",
    ),
    "response_time": (
        "llegaron tarde", "llego tarde", "muy tarde", "demasiado tarde", "tardaron", "tardo", "tardan*",
        "tardanza", "lento*", "lenta*", "espera*", "espere", "esperamos", "demora*", "demoraron",
        "nunca llego", "nunca llegaron", "nunca vinieron", "nadie vino", "nadie llego", "rapid*",
        "enseguida", "a tiempo", "tiempo de respuesta", "horas despues", "todavia espero",
        "tardaron * hora*", "tardo * hora*", "una hora", "horas en llegar",
        # lo rápido que llegaron
        "no aparece", "hasta que", "en minutos", "en * minutos", "horas",
    ),
    "communication": (
        "explic*", "informa", "informan", "informar*", "informaron", "informo", "informad*", "informacion",
        "no me llamaron", "nunca llamaron", "devolver la llamada",
        "devolvieron la llamada", "respuesta", "sin respuesta", "no contest*", "nadie contest*",
        "seguimiento", "comunicacion", "interprete", "traductor*", "no entend*", "me colgaron", "escuch*",
        "me ignor*", "ignoraron",
        # información, respuestas, contacto
        "nadie me ha dicho", "nadie me dijo", "me digan", "decirme", "saber si", "saber como", "noticias",
        "ninguna noticia", "sin noticias", "correo", "el chat", "del chat", "llamar", "llamada*",
        "me avisen", "avisar*", "me contesten", "no me han llamado",
    ),
    "fairness_bias": (
        "racis*", "discrimin*", "injust*", "perfil racial", "prejuicio*", "xenofob*", "homofob*",
        "transfob*", "machis*", "sexis*", "por mi color", "por ser negro", "por ser negra",
        "por ser inmigrante", "por ser extranjero", "por mi acento", "trato desigual", "doble rasero",
        "parcialidad",
        # trato desigual
        "blanco", "gitano*", "extranjer*", "inmigrante*", "acento", "de tu y", "tu pais", "por ser",
        "por mi origen", "piel", "sudaca*",
        # perfil racial en palabras llanas
        "por ser moreno", "por ser morena", "por el color", "siempre a mi", "solo a mi",
    ),
    "safety": (
        "insegur*", "seguridad", "peligro*", "miedo", "asust*", "robo*", "robaron", "atraco*", "asalt*",
        "ladron*", "hurto*", "delincuen*", "delito*", "droga*", "narco*", "pandilla*", "violencia",
        "violent*", "acoso", "acosa*", "balacera*", "disparo*", "tiroteo*", "vandal*", "alumbrado",
        "amenaz*", "cuchillo", "navaja", "arma", "armas", "armado*", "pelea*",
        # delitos y miedo en el barrio
        "roba*", "estafa*", "forzar", "desaparec*", "pegando", "me siento segur*", "nos sentimos segur*", "sentirme segur*", "sentirse segur*",
        "no es segur*", "mas segur*", "menos segur*", "barrio segur*", "calle segur*", "okupa*", "pintadas",
        "trapicheo", "camellos", "golpes", "gritos", "direccion contraria",
    ),
    "traffic": (
        "trafico", "transito", "exceso de velocidad", "velocidad", "semaforo*", "estacionad*",
        "estacionamiento*", "estacionar*", "aparca*", "aparcad*", "doble fila", "conductor ebrio",
        "borracho al volante", "alcoholemia", "choque*", "accidente*", "atropell*", "peaton*",
        "paso de cebra", "paso peatonal", "ciclist*", "carril bici", "multa*", "control de trafico",
        "me pararon", "conductor*", "conducir", "manejando borracho", "glorieta", "rotonda", "moto*",
        "patinete*",
        # vías y vehículos
        "autovia", "autopista", "carretera", "direccion contraria", "cinturon", "seguridad vial", "grua",
        "carnet de conducir", "radar", "coche mal aparcado", "vado",
    ),
    "use_of_force": (
        "fuerza excesiva", "uso de la fuerza", "golpe*", "golpear*", "golpeo", "golpearon", "me pego",
        "me pegaron", "empuj*", "esposado*", "esposaron", "me esposaron", "taser", "pistola electrica",
        "gas pimienta", "patad*", "porra*", "brutal*", "lesion*", "herid*", "moreton*",
        "me tiraron al suelo", "arrastr*", "violencia policial",
        # fuerza por agentes
        "paliza", "bofetada", "retorc*", "porrazo*", "apunto con", "rodilla",
    ),
    "misconduct_allegation": (
        "soborno*", "sobornar", "mordida", "coima*", "corrup*", "me pidio dinero", "pidieron dinero",
        "pidio dinero", "extorsi*", "mintio", "mintieron",
        "mentira*", "informe falso", "abuso*", "abuso de autoridad", "abuso de poder", "acoso sexual",
        "me toco", "manose*", "insulto racista", "sin orden", "registro ilegal", "me amenaz*", "intimid*",
        "numero de placa", "sin placa", "fuera de servicio", "camara corporal",
        # abuso de autoridad, registros, dinero, amenazas
        "me registraron", "registraron", "revisaron", "sin permiso", "efectivo", "arrepentir", "grabando",
        "borrar", "amenazo con", "olvidar la multa",
    ),
    "praise": (
        "gracias", "agradec*", "agradezco", "buen trabajo", "excelente*", "muy amable*", "profesional*",
        "felicit*", "heroe*", "maravillos*", "atento", "atenta", "atentos", "atentas", "estupend*",
        "genial*", "increible*", "ayudaron mucho", "bien hecho",
        # elogios sin 'gracias'
        "un amor", "cracks", "se agradece*", "de diez", "un diez", "majisim*", "muy bien", "esta muy bien",
        "chapeau", "un placer", "buenisim*", "muy buena", "muy bueno", "genial",
    ),
}


# --------------------------------------------------------------------------------------------------
# Cobertura de conceptos (segunda ronda): cómo describe la gente cada concepto, no frases concretas.
# --------------------------------------------------------------------------------------------------

_AGRESION = ("pegando", "golpeando", "pateando", "ahogando", "estrangulando", "apunalando", "acuchillando",
             "maltratando", "atacando", "amenazando", "persiguiendo", "siguiendo", "arrastrando", "zarandeando")

_SUJETOS = ("me esta", "me estan", "nos esta", "nos estan", "le esta",
            "la esta", "lo esta", "les esta")
EMERGENCY_DEFINITE = EMERGENCY_DEFINITE + tuple(f"{a} {v}" for a in _SUJETOS for v in _AGRESION) + (
    "esta pegando", "estan pegando", "me quiere pegar", "me va a pegar", "me va a hacer dano", "nos va a hacer dano",
    "le va a hacer dano", "me tiene encerrad*", "no me deja salir", "no nos deja salir", "hay alguien dentro",
    "hay alguien en casa", "hay un hombre en mi casa", "hay un hombre en casa", "se ha metido alguien",
    "alguien se ha metido", "alguien ha entrado", "siguen dentro", "sigue dentro", "estoy escondid*",
    "me he encerrado", "esta armado", "estan armados", "tiene una escopeta", "con una escopeta", "con un machete",
    "tiene un machete", "con un bate", "tiene un bate", "le han apunalado", "lo han apunalado", "la han apunalado",
    "le han disparado", "me han disparado", "le han pegado un tiro", "esta sangrando", "sangra mucho",
    "mucha sangre", "no reacciona", "no despierta", "no se despierta", "esta convulsionando", "se esta quemando",
    "esta ardiendo", "hay fuego", "se quema la casa", "fuego en mi", "nino solo en el coche", "encerrado en el coche",
    "bebe en el coche", "nino en el coche", "los ninos estan solos", "manden una ambulancia", "llamen a una ambulancia",
    "necesito una ambulancia", "vengan rapido", "vengan ya", "vengan por favor", "necesito ayuda urgente",
    "estoy en peligro", "corro peligro", "corre peligro", "corren peligro", "peligro de muerte",
    "me persigue", "nos persigue", "me estan amenazando", "secuestrad*", "han secuestrado",
)

EMERGENCY_BORDERLINE = EMERGENCY_BORDERLINE + (
    "secuestr*", "escopeta", "machete", "apunal*", "me han pegado", "me estan molestando", "se ha desmayado",
    "inconsciente", "convulsion*", "infarto", "sobredosis", "huele a gas", "fuga de gas", "humo", "fuego",
    "ayudenme", "ayudame", "vengan", "en peligro", "maltrato*",
    "me maltrata", "me pega", "nos pega", "le pega", "me ha pegado", "borracho y", "rompiendo cosas",
    "tirando cosas", "mi hijo no aparece", "mi hija no aparece", "no encuentro a mi", "ha desaparecido",
)

EMERGENCY_HINTS = EMERGENCY_HINTS + ("necesito ayuda", "necesitamos ayuda", "miedo", "asustad*", "llorando",
                                     "chillando", "chillidos")

SELF_HARM_DEFINITE = SELF_HARM_DEFINITE + (
    "me quiero morir", "quiero matarme", "me voy a matar", "ganas de morir", "ganas de morirme",
    "ganas de matarme", "no quiero vivir mas", "no quiero seguir vivo", "no quiero seguir viva", "no quiero estar vivo",
    "no quiero estar viva", "no tengo razones para vivir", "no tengo motivos para vivir", "ninguna razon para vivir",
    "no tiene sentido vivir", "terminar con mi vida", "poner fin a mi vida", "acabar con mi vida",
    "quitarme de en medio",
    "este es mi ultimo mensaje", "mi ultimo mensaje", "cuando leas esto ya", "manana ya no estare", "ya no estare aqui",
    "me he tomado * pastillas", "me he tomado todas", "tomarme todas las pastillas", "todas las pastillas",
    "un bote de pastillas", "tirarme del puente", "tirarme desde", "tirarme al tren", "tirarme a las vias",
    "saltar del puente", "saltar desde", "cortarme las venas", "me estoy cortando", "me corto las venas",
    "se quiere suicidar", "se va a suicidar", "quiere suicidarse", "quiere matarse", "amenaza con suicidarse",
    "amenaza con matarse", "amenaza con tirarse", "dice que se va a matar", "quiere morir", "quiere morirse",
)

SELF_HARM_BORDERLINE = SELF_HARM_BORDERLINE + (
    "no puedo seguir", "no puedo mas con", "no aguanto mas", "ya no tiene sentido", "nada tiene sentido",
    "soy una carga", "estarian mejor sin mi", "mejor sin mi", "adios a todos", "adios para siempre",
    "ultimo mensaje", "cuando leas esto", "ya no estare", "no voy a estar", "pastillas", "la cuerda", "el puente",
    "la azotea", "las vias", "regalar mis cosas", "he regalado", "ganas de desaparecer", "dormir para siempre",
    "no despertar", "autolesion*", "me hago dano", "hacerme dano",
)

SELF_HARM_HINTS = SELF_HARM_HINTS + ("me rindo", "estoy sol*", "perdonadme", "perdoname", "cuidad a mis", "os quiero",
                                     "lo siento por todo", "no valgo nada")

FIGURATIVE: tuple[str, ...] = (
    # muerte y peligro en sentido figurado
    "me muero de *", "me muero por", "me mori de *", "muerto de risa", "muerta de risa", "morir de risa",
    "morirme de risa", "me mata de risa", "me mata la", "me matan los", "me estoy muriendo de *", "se me murio",
    "se me ha muerto", "se murio el movil", "se murio la bateria", "matar el tiempo", "matar el rato",
    "me esta entrando", "me estan entrando", "le esta entrando", "me entra", "me entran", "jajaj*",
    "quiero morir de", "para morirse", "de muerte", "a muerte", "tiroteo de fotos",
    "jaja", "no quiero vivir sin", "no puedo vivir sin",
)

MISCONDUCT_SELF_CONTAINED = MISCONDUCT_SELF_CONTAINED + (
    "soborn*", "coimas", "me pidio dinero para", "dinero para olvidar", "si le pagaba", "si le daba", "pagar para que",
    "para que se olvidara", "se olvidaba de la multa", "sin orden de registro", "registro sin orden",
    "sin autorizacion judicial",
    "informe falso", "atestado falso", "mintio en el atestado", "mintieron en el atestado", "mintio en el informe",
    "se invento", "se inventaron", "me obligo a desbloquear", "me obligaron a desbloquear", "revisaron mi movil",
    "me miraron el movil", "no quisieron tomarme la denuncia", "no me quisieron tomar la denuncia",
    "se negaron a tomar", "se nego a tomar", "no me dejaron denunciar", "no me cogieron la denuncia",
    "por mi color de piel", "por ser negro", "por ser negra", "por ser moro", "por ser gitano", "por ser gitana",
    "por ser musulman*", "por llevar velo", "por mi acento", "por mi religion", "por ser extranjer*",
    "por ser latino", "por ser latina", "por mi origen", "por ser inmigrante", "me asfixio", "rodilla en el cuello",
)

MISCONDUCT_ACTIONS = MISCONDUCT_ACTIONS + (
    "me dio un punetazo", "me dieron punetazos", "me estrangulo", "me ahogo", "me estampo", "me estamparon",
    "me tiraron", "me arrastraron", "me arrastro", "me zarandeo", "me zarandearon", "me esposaron", "me redujeron",
    "me placaron", "me rompieron", "me partieron", "me lesionaron", "me hirieron", "le pegaron", "le golpearon",
    "me gasearon", "con la porra", "las esposas muy apretadas", "esposas apretadas", "me robo", "se quedaron con mi",
    "me quitaron el dinero", "me quito el dinero", "falta dinero", "faltaba dinero", "mienten", "mintiendo",
    "me registro", "nos registraron", "me cacheo", "me cachearon", "me intimido", "me intimidaron",
    "me amenazaron con", "me toco", "me tocaron", "me manoseo", "comentarios sexuales", "comentarios sobre mi",
    "me insulto", "me insultaron", "me humillo", "me humillaron", "por mi color",
    "por mi acento", "por ser", "se nego a", "se negaron a", "no quiso tomar", "no quisieron tomar",
)

URGENCY_STRONG = URGENCY_STRONG + ("vengan rapido", "rapido por favor", "por favor vengan", "socorro", "auxilio",
                                   "ayuda ayuda", "esta ocurriendo", "esta pasando ahora", "sigue ahi", "siguen aqui")

URGENCY_WEAK = URGENCY_WEAK + ("en este instante", )

PAST = PAST + ("el lunes", "el martes", "el miercoles", "el jueves", "el mes anterior", "la semana anterior",
               "en 20*", "cuando era", "hace tiempo", "hace un rato largo")

TOPICS["use_of_force"] = TOPICS["use_of_force"] + (
    "punetazo*", "estrangul*", "asfixi*", "estamp*", "zarande*", "placaje", "placaron", "inmoviliz*",
    "contra el suelo", "contra el coche", "contra la pared", "al suelo", "esposas", "apretad*",
    "spray", "hematoma*", "sangr*", "brazo roto", "nariz rota", "me rompieron", "a porrazos", "pegaron",
    "pego", "tiraron al suelo", "con fuerza", "a la fuerza", "brusc*", "rodill*", "cuello",
    "gas pimienta", "descarga electrica",
)

TOPICS["misconduct_allegation"] = TOPICS["misconduct_allegation"] + (
    "pagar para", "si le pagaba", "dinero para", "olvidar la multa", "se quedo con", "se quedaron con",
    "me quitaron el dinero",
    "falta dinero", "faltaba dinero", "mienten", "mentir*", "mentiros*", "atestado", "inventaron", "se invento",
    "falsific*", "orden de registro", "desbloquear", "tocamientos",
    "toqueteo", "comentarios sexuales", "comentarios sobre mi", "piropo*", "insinua*", "sudaca", "moro de mierda",
    "no quisieron tomar", "no me quisieron tomar", "se negaron a", "se nego a", "no me dejaron denunciar",
    "corrupt*", "impunidad", "encubr*",
    "cacheo*", "cachear*",
)

TOPICS["fairness_bias"] = TOPICS["fairness_bias"] + (
    "por mi religion", "religion", "musulman*", "el velo", "mi velo", "su velo", "con velo", "llevar velo", "llevo velo", "lleva velo",
    "hiyab", "pañuelo", "por mi nombre", "por mi pinta",
    "por mi aspecto",
    "latino*", "latina*", "arabe*", "magrebi*", "marroqui*", "sudamerican*", "africano*", "rumano*", "gitana", "moro*",
    "gay", "lesbiana", "trans", "por ser mujer", "por ser pobre", "los de fuera", "como yo", "desigual*",
    "igual que a", "diferente a los", "distinto", "a los blancos", "a mi solo", "solo a nosotros", "me señalaron",
)

TOPICS["respect"] = TOPICS["respect"] + (
    "grosero", "groser*", "maleduc*", "mala educacion", "malos modos", "de malas formas", "chulesc*", "chuler*",
    "arrogan*", "desprecio*", "despreci*", "burla*", "reirse", "se reia", "se reian", "gritar*", "grito", "gritos",
    "gritaron", "borde*", "seco", "seca", "cortante", "antipatic*", "amabilidad", "cordial*", "respetuos*",
    "trato humano", "como a una persona", "como a un perro", "como basura", "como a un criminal", "ignorar*",
    "me ignoraron", "caso omiso", "educacion", "cortes*", "bien tratad*", "mal tratad*", "dignidad", "empatia",
)

TOPICS["response_time"] = TOPICS["response_time"] + (
    "tardar*", "tardaron", "tardisim*", "lentitud", "nadie aparecio", "no aparecieron", "no vinieron", "no vino nadie",
    "nunca aparecieron", "minutos", "hora", "horas", "llegaron enseguida", "llegaron rapido", "rapidez", "prontitud",
    "en nada", "al momento", "inmediat*", "todavia no han venido", "aun no han venido", "sigo esperando",
)

TOPICS["communication"] = TOPICS["communication"] + (
    "contest*", "respond*", "llamad*", "llame", "telefono", "mensaje*", "avis*", "informar*", "actualizacion*",
    "novedad*", "como va mi", "estado de mi", "numero de expediente", "mi denuncia", "nadie me explico",
    "me explicaron", "me explico", "no me escucharon", "me escucharon", "entender*", "idioma", "ingles",
)

TOPICS["safety"] = TOPICS["safety"] + (
    "robaron", "roban", "robo*", "hurt*", "atrac*", "tiron", "carterista*", "okupa*", "vandalismo", "destroz*",
    "pelea*", "navajazo*", "apunal*", "disparos", "tiros", "amenaz*", "acos*", "persig*", "maltrato",
    "violencia de genero", "borrach*", "botellon", "trapich*", "jeringuill*", "oscur*", "de noche", "por la noche",
    "tranquilidad", "inseguridad", "peligr*", "incendio", "fuego",
)

TOPICS["traffic"] = TOPICS["traffic"] + (
    "coche* mal", "aparcamiento", "atasco*", "conductor*", "conduce*", "conduci*", "velocidad",
    "corriendo con el coche",
    "carreras", "pique*", "claxon", "pitando", "semaforo", "en rojo", "paso de peatones", "acera", "multado",
    "multaron",
    "denuncia de trafico", "puntos del carnet", "carnet", "seguro del coche", "itv", "matricula", "alcoholemia",
    "control de alcohol", "guardia civil de trafico", "atropello", "accidente", "colision", "moto*", "bici*",
)

TOPICS["praise"] = TOPICS["praise"] + (
    "mil gracias", "muchas gracias", "muchisimas gracias", "agradecid*", "fenomenal*", "estupendo*", "increible",
    "un ejemplo", "ejemplar*", "admirable", "admiro", "orgullos*", "encantad*", "content*", "satisfech*",
    "me ayudaron", "nos ayudaron", "me salvaron", "salvaron", "un diez", "de 10", "olé", "bravo",
)

# Respeto: más formas de hablar del trato; y usos de sus palabras que hablan de otra cosa.
TOPICS["respect"] = TOPICS["respect"] + (
    "majos", "majas", "ni me miro", "ni nos miro", "sin mirarme", "no me miro a la cara", "ni una disculpa",
    "sin disculpa*", "ni perdon", "pidio perdon", "pidieron perdon", "se disculpo", "se disculparon", "resopl*",
    "ojos en blanco", "sudaca*", "panchit*", "moro de mierda", "negro de mierda", "saludan", "siempre saluda*",
)
TOPIC_EXCLUSIONS: dict[str, tuple[str, ...]] = {
    # "poli"/"polis" (French: polite) is Spanish slang for the police after an article or determiner
    "respect": ("un poli", "el poli", "la poli", "los polis", "las polis", "unos polis", "al poli", "del poli",
                "otro poli", "ese poli", "esos polis", "a los polis", "oigo gritos", "se oyen gritos",
                "escucho gritos", "golpes y gritos", "gritos y golpes", "pidiendo ayuda a gritos"),
}

TOPIC_EXCLUSIONS["response_time"] = (
    "a que hora", "horario*", "hace una hora", "hace * horas", "hace * minutos", "sala de espera",
    "rapido por favor", "venid rapido", "vengan rapido", "venga rapido", "cuanto tarda en",
)
TOPICS["praise"] = TOPICS["praise"] + ("un encanto", "exquisit*", "un diez", "de diez", "enhorabuena")
TOPIC_EXCLUSIONS["praise"] = ("gracias por nada", "vaya servicio", "menudo servicio", "que maravilla de servicio")

TOPIC_EXCLUSIONS["traffic"] = (
    "robo de una bicicleta", "robo de mi bicicleta", "robo de bicicleta*", "robaron la bicicleta",
    "robaron mi bicicleta", "mi bicicleta", "bicicleta robada",
)

# Más formas corrientes: llegar antes que otros servicios, elogios sin "gracias", peleas y robos.
TOPICS["response_time"] = TOPICS["response_time"] + (
    "antes que la ambulancia", "antes que los bomberos", "antes que el samur", "antes de la ambulancia",
)
TOPICS["praise"] = TOPICS["praise"] + (
    "sigan asi", "seguid asi", "no puedo pedir mas", "no se puede pedir mas", "buena gente", "un placer",
)
TOPICS["safety"] = TOPICS["safety"] + (
    "se pelean", "peleandose", "pelea*", "romper el escaparate", "rompio el escaparate", "intentando entrar",
    "intenta entrar", "forzando la puerta", "reventaron", "me entraron a robar", "entrado a robar",
)

# Cuarta ronda (respeto): cómo cuentan los vecinos el trato y la actitud de un agente, en los dos sentidos.
TOPICS["respect"] = TOPICS["respect"] + (
    "actitud*", "comportamiento", "de mala manera", "de mala gana", "mal humor", "malhumorad*", "desagradable*",
    "impertinen*", "por encima del hombro", "me vacil*", "nos vacil*", "vacilando", "me tomo el pelo",
    "nos tomaron el pelo", "con sorna", "ironic*", "sarcas*", "a gritos", "levanto la voz", "alzo la voz",
    "subio el tono", "tono", "me chillo", "nos chillo", "me chillaron", "nos chillaron", "sin educacion",
    "poco profesional", "nada profesional", "desconsiderad*", "humano", "humana", "humanidad",
    "comprension", "delicadeza", "sensibilidad", "amabilisim*", "le daba igual", "les daba igual", "le dio igual",
    "les dio igual", "no les importa*", "no le importa*", "pasaron de mi", "paso de mi", "pasaban de mi",
    "pasotismo", "pasota*", "desinteres*", "indiferen*", "como si fuera tont*", "como si fuera un",
    "como si fuera una", "como a un nino", "como a una nina", "como a un idiota", "como a una idiota",
    "me mandaron callar", "me mando callar", "me mando a callar", "que me callara", "de usted", "ni me saludo",
    "sin saludar", "ni buenos dias", "ni caso", "poco amable*", "respeta*", "me hizo sentir", "me hicieron sentir",
)
# "comportamiento" de otros (sospechoso, incívico) no es el trato de un agente
TOPIC_EXCLUSIONS["respect"] = TOPIC_EXCLUSIONS["respect"] + (
    "comportamiento sospechoso", "comportamiento incivico", "comportamientos incivicos", "comportamiento extrano",
)

# Cuarta ronda (comunicación): que nadie te diga nada, seguir un caso; y palabras de llamadas o mensajes que
# hablan de otra cosa (llamar para denunciar, mensajes no deseados de un agente, a quién avisar de una farola).
TOPICS["communication"] = TOPICS["communication"] + (
    "nadie me llama", "nadie me ha llamado", "nadie me llamo", "nadie nos llamo", "nadie nos ha llamado",
    "no supe nada", "nunca mas supe", "no he sabido nada", "no hemos sabido nada", "sin saber nada",
    "no sabemos nada", "nadie sabe nada", "nadie me dice nada", "nadie nos dice nada", "al tanto", "al corriente",
    "ni una llamada", "ni un correo", "ni una respuesta", "nadie responde", "nadie coge el telefono",
    "no cogen el telefono", "silencio absoluto", "silencio total", "solo silencio", "como va el caso", "como va la denuncia", "como iba el caso",
    "en que punto", "que ha pasado con mi", "que paso con mi",
    "archivaron", "archivado", "archivada",
)
TOPIC_EXCLUSIONS["communication"] = (
    "tiempo de respuesta", "respuesta rapida", "rapida respuesta", "me manda mensajes", "me mandaba mensajes",
    "me escribe mensajes", "me mando mensajes", "a quien aviso", "a quien avisar", "a quien tengo que llamar",
    "a quien llamo", "a quien debo llamar", "se avisa", "donde aviso", "solo me aviso", "me dio un aviso",
    "un aviso", "solo un aviso", "con un aviso", "llamar a una ambulancia", "llame a una ambulancia",
    "llamar a la ambulancia", "mi telefono", "mi movil", "el correo se acumula", "se le acumula el correo",
    "no contesta al telefono", "no coge el telefono", "otra explicacion", "no hay explicacion",
    # preguntas generales, no sobre estar informado de un caso
    "me gustaria saber si", "quisiera saber si", "queria saber si",
)

# Palabras de tiempo que no dicen lo rápido que llegó la policía: esperar una llamada o un número
# (comunicación), "no me esperaba" (no lo preveía), cuánto duró una detención, esperar mientras te atienden.
TOPIC_EXCLUSIONS["response_time"] = TOPIC_EXCLUSIONS["response_time"] + (
    "esperando respuesta", "esperando una respuesta", "esperando una llamada", "esperando noticias",
    "esperando el numero", "esperando que me llamen", "esperando que me digan", "no me esperaba", "no esperaba",
    "me esperaba", "esperaba mas", "esperaba otra cosa", "mientras esperaba", "detenido * horas",
    "retenido * horas", "detenido durante * horas", "retenido durante * horas", "sigo esperando una llamada",
    "sigo esperando respuesta", "sigo esperando una respuesta", "sigo esperando noticias", "sigo esperando el numero",
    "sigo esperando que me llamen",
)

# Palabras de seguridad dentro de otra cosa: seguridad vial (tráfico), tratar como a un delincuente (respeto),
# "desaparecer" como deseo de quien escribe; "patrulla" (la policía misma) ya no cuenta como seguridad.
TOPIC_EXCLUSIONS["safety"] = (
    "seguridad vial", "como a un delincuente", "como a una delincuente", "como un delincuente",
    "como una delincuente", "como a delincuentes", "mejor desaparecer", "quiero desaparecer", "ganas de desaparecer",
)
