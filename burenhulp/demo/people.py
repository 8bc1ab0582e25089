"""The demo neighbourhood Wakken (Dentergem): its streets, residents and services, as data."""

STREETS = [
    ("Dorpsplaats", 50.93250, 3.39900),
    ("Kerkstraat", 50.93330, 3.39760),
    ("Stationsstraat", 50.93120, 3.40180),
    ("Molenstraat", 50.93460, 3.40230),
    ("Tieltstraat", 50.93600, 3.39550),
    ("Leiestraat", 50.92980, 3.39610),
    ("Ginstestraat", 50.93050, 3.40550),
    ("Markegemstraat", 50.93750, 3.40410),
]

# first name, last name, street index, languages, offers, wants, has car, age
PEOPLE: list[tuple[str, str, int, list[str], list[str], list[str], bool, int]] = [
    ("An", "De Meyer", 0, ["nl"], ["planten", "samen"], ["chauffeur", "documenten"], False, 78),
    ("Jonas", "Vercruysse", 1, ["nl", "en"], ["chauffeur", "boodschappen", "tuin"], ["huiswerk"], True, 41),
    ("Fatima", "El Amrani", 2, ["nl", "fr"], ["huiswerk", "samen", "babysit"], ["tuin"], False, 35),
    ("Marc", "Vandenberghe", 3, ["nl"], ["tuin", "vuilnis", "hond"], [], True, 67),
    ("Lotte", "Declercq", 4, ["nl", "en"], ["hond", "babysit", "buurtfeest"], ["planten"], False, 24),
    ("Georges", "Lambert", 5, ["fr", "nl"], ["documenten", "samen"], ["boodschappen"], True, 72),
    ("Sofie", "Van Hulle", 6, ["nl"], ["boodschappen", "planten"], ["babysit"], True, 38),
    ("Ahmed", "Benali", 7, ["nl", "fr", "ar"], ["chauffeur", "andere"], ["documenten"], True, 46),
    ("Rita", "Maes", 0, ["nl"], [], ["boodschappen", "vuilnis"], False, 86),
    ("Pieter", "Goethals", 1, ["nl", "en"], ["huiswerk", "documenten"], [], False, 29),
    ("Noor", "Desmet", 2, ["nl"], ["samen", "planten"], ["hond"], False, 17),
    ("Willy", "Verhaeghe", 3, ["nl"], ["vuilnis", "tuin"], ["chauffeur"], True, 81),
    ("Emma", "Callens", 4, ["nl", "fr", "en"], ["buurtfeest", "samen", "boodschappen"], [], False, 52),
    ("Karel", "Dewaele", 5, ["nl"], ["chauffeur", "tuin"], ["documenten"], True, 63),
    ("Ines", "Vanhoutte", 6, ["nl", "en"], ["babysit", "huiswerk"], ["boodschappen"], False, 21),
    ("Olga", "Kowalska", 7, ["pl", "en", "nl"], ["samen", "boodschappen"], ["documenten"], False, 44),
    ("Jef", "Vanneste", 0, ["nl"], ["hond", "vuilnis"], [], False, 58),
    ("Mariette", "Dewitte", 1, ["nl"], [], ["samen", "chauffeur"], False, 91),
    ("Thomas", "Claeys", 2, ["nl", "en"], ["boodschappen", "chauffeur", "buurtfeest"], [], True, 33),
    ("Hilde", "Deconinck", 3, ["nl"], ["planten", "samen"], ["tuin"], False, 69),
    ("Yusuf", "Demir", 4, ["nl", "tr"], ["tuin", "andere"], [], True, 39),
    ("Chantal", "Dubois", 5, ["fr"], ["samen"], ["boodschappen", "documenten"], False, 74),
    ("Bart", "Lefevere", 6, ["nl"], ["vuilnis", "hond", "tuin"], [], False, 47),
    ("Elise", "Van Damme", 7, ["nl", "en"], ["huiswerk", "babysit", "planten"], [], False, 26),
    ("Roger", "Vermeulen", 0, ["nl"], [], ["vuilnis", "tuin"], False, 88),
    ("Sarah", "Coppens", 1, ["nl", "en", "fr"], ["documenten", "boodschappen"], [], True, 36),
    ("Dirk", "Vandamme", 2, ["nl"], ["chauffeur", "vuilnis"], ["samen"], True, 70),
    ("Leen", "Hoste", 3, ["nl"], ["planten", "hond"], [], False, 55),
    ("Amina", "Diallo", 4, ["fr", "nl", "en"], ["samen", "huiswerk"], ["documenten"], False, 31),
    ("Frans", "De Vos", 5, ["nl"], [], ["chauffeur", "boodschappen"], False, 84),
]

SERVICES = [
    ("Sociaal Huis Dentergem (OCMW)", "ocmw", "051 63 30 00", "Financial help, social services, home help."),
    (
        "CAW Centraal-West-Vlaanderen",
        "caw",
        "078 15 03 00",
        "Free welfare work: relationships, money, housing, violence.",
    ),
    ("Familiehulp regio Tielt", "thuiszorg", "051 40 16 41", "Home care and family care."),
    ("Lokaal dienstencentrum De Mane", "ldc", "051 63 75 30", "Meeting place, meals, activities and advice."),
    ("Wijkgezondheidscentrum De Leie", "huisarts", "051 60 12 12", "GP practice and community health care."),
    ("Mantelzorgpunt regio Tielt", "mantelzorg", "051 40 45 10", "Support and respite for informal carers."),
    ("Schuldbemiddeling OCMW Dentergem", "schuldbemiddeling", "051 63 30 00", "Debt mediation and budget help."),
    (
        "Woonbegeleiding Leiestreek",
        "woonbegeleiding",
        "051 68 92 40",
        "Housing quality, damp and mould, rent problems.",
    ),
    ("Tele-Onthaal", "tele-onthaal", "106", "Anonymous listening, day and night."),
]
