"""Round 4 of issue #12: the kinds holdout D's first run showed, written per meaning (nl incl. Flemish, fr, en).

Fire as a verb ("'t brandt bij de bakker", "ça brûle", "it's burning"), veiled farewells (goodbye "before I go", a
letter left on the table, things given away "where I'm going", "tell mum it's not her fault"), a baby limp with
fever and not drinking; animal hoarding, neighbour conflicts that ask for mediation, papers and status trouble
(struck off the register, a passport kept by an employer), mental strain while waiting for therapy. Term syntax: see
`matching/lexicon/default.py`.
"""

from __future__ import annotations

from matching.lexicon.types import LexRule

_NOT = "niet|nie|ni|nii"

# Body parts, heat and sun: "mijn keel brandt", "vuur in mijn kop van de hitte", "het brandt hier van de zon".
FIRE_HYPERBOLE = (
    "keel|kop|hoofd|voeten|handen|ogen|maag|huid|benen|spieren|borst|tong|mond|gezicht|wangen|oren",
    "zon|hitte|warmte|heet|pikant|peper|sambal|chili|brandnetel*|koorts",
    "gorge|yeux|pieds|mains|estomac|peau|jambes|muscles|soleil|chaleur|piment|epice*",
    "throat|eyes|feet|hands|stomach|skin|legs|muscles|sun|heat|hot|spicy|chilli|chili|nettle*",
)

FIRE_VERBS = LexRule(
    code="medical_emergency",
    level="crisis",
    terms=(
        "t|het|er brandt",
        "tis|t_is|het_is|is aan|aant|aan_t|aan_het branden",
        "staat|staan|stond|stonden .. in lichterlaaie|vuur_en_vlam|brand",
        "lichterlaaie",
        "brandt .. af|volledig|helemaal",
        "ca|cela|tout brule",
        "brule .. chez|dans|a_cote|au|en_face",
        "le feu .. a pris|prend",
        "it s|it_is|house_is|shed_is|flat_is|kitchen_is|place_is|building_is|garage_is burning",
        "shed|house|flat|kitchen|garage|building|car|home|place|roof|barn|room|apartment|bins|attic|loft|hall|stairwell is|are|s burning",
        "is|are|s burning down|next_door|upstairs|downstairs|and|spreading",
        "caught|catching fire",
        "up in flames",
        "ablaze",
    ),
    suppress=(
        *FIRE_HYPERBOLE,
        "kaars*|barbecue|bbq|kampvuur|vuurkorf|open_haard|haard|licht|lamp|lampje|cheminee|fireplace|stove|poele",
        "candle*|bougie*|bonfire|campfire|desir|envie|passion|curiosite|burning_up|incense|wax",
        "lichterlaaie .. enthousias*|verliefd",
        "brandt .. van|op verlangen|ongeduld|nieuwsgierigheid",
    ),
)

# Giving everything away "where I'm going", goodbye "before I go", a letter on the table, "not her fault".
FAREWELL_VEILED = LexRule(
    code="suicide",
    level="crisis",
    terms=(
        "waar|waarheen|waarnaartoe ik .. naartoe|heen|naar|ga|gaan|vertrek ... niet|nie|ni|geen meer nodig",
        "niet|nie|ni|geen meer nodig .. waar|waarheen|waarnaartoe ik .. naartoe|heen|naar|ga|gaan|vertrek",
        "la ou je vais|pars|m_en_vais ... plus besoin",
        "plus besoin .. la ou je vais|pars|m_en_vais",
        "where i m|am|will_be going|headed .. won t|will_not|don t|do_not|no_longer need",
        "won t|will_not|don t|do_not|no_longer need .. where i m|am|will_be going|headed",
        "re:(?:gedag|dag|vaarwel|adieu|goeiedag) (?:[a-z]+ ){0,3}(?:zeggen|zeg|te zeggen)(?: [a-z]+){0,3} (?:voor|vooraleer) ik (?:ga|vertrek)",
        "re:iedereen (?:[a-z]+ ){0,4}(?:zien|gedag|zeggen)(?: [a-z]+){0,3} (?:voor|vooraleer) ik (?:ga|vertrek)",
        "re:(?:dire|dis) (?:au revoir|adieu) (?:[a-z]+ ){0,4}avant de (?:partir|m en aller|m en aller)",
        "re:(?:say|said) (?:goodbye|bye) (?:[a-z]+ ){0,4}before i (?:go|leave)",
        "brief|briefje|afscheidsbriefje .. voor ... op .. tafel|keukentafel",
        "brief .. geschreven|gelegd|achtergelaten ... tafel|keukentafel",
        "lettre .. pour .. sur la table",
        "laisse|laissee|ecrit|ecrite .. une lettre .. pour|sur",
        "letter .. for .. on the .. table",
        "left|written|wrote .. a letter .. for|on",
        f"re:(?:zeg|zeggen|vertel|vertellen)(?: [a-z]+){{0,5}} dat (?:[a-z]+ ){{0,2}}(?:{_NOT}|nooit) (?:[a-z]+ ){{0,1}}(?:haar|zijn|jouw|hun|uw) (?:schuld|fout)",
        "re:(?:tell|say to)(?: [a-z]+){0,5} (?:it s|it is|its|it was|it wasn t|it isn t) (?:not )?(?:his|her|your|their) fault",
        "re:(?:dis|dites|dire)(?: [a-z]+){0,5} (?:que )?(?:ce n est|c est|ce n etait) (?:pas|jamais) (?:sa|ta|votre|leur) faute",
    ),
    suppress=(
        "vakantie|reis|verhuis*|holiday|vacation|trip|move|moving|vacances|voyage|demenage*|jaar|jaartje|maanden",
        "buitenland|erasmus|stage|studeren|werken|year|months|abroad|study|studies|annee|mois|etranger|etudes",
        "werk|werkt|job|boulot|travail|work|school|ecole|winkel|shop|markt|marche|dokter|doctor|medecin",
        "kat|hond|poes|cat|dog|chat|chien|sleutel|key|cle|plantjes|plants",
        "bedanken|danken|merci|remercier|thank|thanks|feest|party|fete|drink|verjaardag|birthday|anniversaire",
    ),
    unless=("schuld|fault|faute|niet meer nodig|plus besoin|won t need|will not need|nooit meer|jamais plus|never",),
)

# A baby or toddler limp, burning with fever, not drinking: acute danger, not a chore.
INFANT = LexRule(
    code="medical_emergency",
    level="crisis",
    terms=(
        "slap|slapjes|lusteloos|suf|reageert_amper",
        "drinkt|drink|drinken|eet .. niet|nie|ni|niks|geen .. meer",
        "tout mou|molle|apathique|amorphe",
        "ne boit|mange plus|rien|pas",
        "floppy|limp|listless|lethargic",
        "won t|will not|not|isn t|is_not .. feed|feeding|drink|drinking|take_the_bottle|latch",
    ),
    needs=(
        "baby|babytje|baby_tje|kindje|zuigeling|pasgeborene|boreling|dochtertje|zoontje|kleintje|kleine|bebe|nourrisson",
        "nouveau_ne|newborn|infant|toddler|weken|maanden|maand|months|month|weeks|mois|semaines",
    ),
    needs_scope="text",
    suppress=(
        "dokter .. gezien|geweest|zegt|zei|medecin .. vu|dit|doctor .. seen|said|says|griepje|verkoudheid|rhume",
    ),
    negatable=False,
)
INFANT_FEVER = LexRule(
    code="medical_emergency",
    level="crisis",
    terms=("koorts|gloeit|gloeiend|fievre|brulant|brulante|fever|burning_up|temperature",),
    needs=(
        "slap|lusteloos|floppy|limp|listless|mou|molle|apathique|drinkt niet|drinkt niks|ne boit plus|not drinking",
    ),
    needs_scope="text",
    suppress=("dokter .. gezien|geweest|zegt|zei|medecin .. vu|dit|doctor .. seen|said|says|griepje|rhume",),
)

_ANIMALS_MANY = (
    "katten|honden|konijnen|vogels|kippen|cavia*|dieren|beesten|poezen|chats|chiens|lapins|oiseaux|animaux|cats"
    "|dogs|rabbits|birds|animals|pets|hamsters|ratten|rats"
)

ANIMAL_HOARDING = LexRule(
    code="supervision",
    level="heavy",
    terms=(
        f"tien|elf|twaalf|dertien|veertien|vijftien|zestien|twintig|dertig|veertig|tientallen|twintigtal|dertigtal|hele_hoop|massa|ontelbare .. {_ANIMALS_MANY}",
        f"dix|douze|quinze|vingt|trente|quarante|vingtaine|trentaine|dizaine|dizaines|quarantaine|plein_de .. {_ANIMALS_MANY}",
        f"ten|twelve|fifteen|twenty|thirty|forty|dozens|dozen|loads .. of? .. {_ANIMALS_MANY}",
        f"re:(?:1[0-9]|[2-9][0-9]) (?:[a-z]+ )?(?:{_ANIMALS_MANY})",
        f"{_ANIMALS_MANY} .. stinkt|stinken|stank|urinegeur|geur|odeur|pue|puent|smell|smells|stink|stinks|urine|pis",
    ),
    suppress=("asiel|refuge|shelter|dierenasiel|opvang|kweker|fokker|eleveur|breeder|boerderij|ferme|farm|zoo",),
)

NEIGHBOUR_CONFLICT = LexRule(
    code="legal",
    level="heavy",
    terms=(
        "bemiddel*|bemiddelaar|buurtbemiddeling|mediation|mediateur|mediatrice|mediate|mediator|mediating",
        "auto|wagen|voiture|car .. bekrast|gekrast|krassen|beschadigd|raye|rayee|rayure*|scratched|keyed",
        "briefjes|briefje|brieven|notes|note|mots|lettres|mot .. scheld*|beledig*|insult*|injur*|nasty|racist*|haine|hate",
        "scheldt|schelden|uitschelden|scheldwoorden|scheldpartij*|insulte|insultent|injurie|injurient|insults|abuse_me|swear_at",
        "rook|geur|stank|fumee|odeur|smoke|smell|fumes .. via|door|par|through .. ventilatie|verluchting|ventilation|aeration|vmc|vent|vents|gaine",
    ),
    needs=(
        "buur|buren|buurman|buurvrouw|bovenburen|onderburen|overbuur|voisin|voisins|voisine|neighbour|neighbours|neighbor|neighbors|upstairs|downstairs",
    ),
    needs_scope="text",
    suppress=("ruzie .. opgelost|bijgelegd",),
)

STATUS_PAPERS = LexRule(
    code="legal",
    level="heavy",
    terms=(
        "geschrapt|schrapping|uitgeschreven .. uit? .. bevolkingsregister|register|rijksregister|gemeente",
        "van_ambtswege|ambtshalve .. geschrapt|schrapping|uitgeschreven",
        "radie|radiee|radiation .. d_office|registre*|commune|population",
        "struck|removed .. off|from .. register|population_register|the_register",
        "verblijfsvergunning|verblijfskaart|verblijfsrecht|verblijfsdocument*|oranje_kaart|bijlage_15",
        "titre de sejour|carte de sejour|permis de sejour|droit de sejour|sans papiers",
        "residence permit|residence card|visa .. expired|refused|undocumented",
        "baas|werkgever|patron|employeur|boss|employer|chef .. houdt|hield|heeft|nam|pakte|garde|a_pris|gardait|keeps|kept|took|has|holds .. paspoort|passeport|passport|identiteitskaart|papieren|papiers|id",
        "paspoort|passeport|passport .. bij .. baas|werkgever",
        "zonder contract|zwart werken|in_het_zwart|sans contrat|au noir|without a contract|cash in hand",
    ),
)

WAITING_THERAPY = LexRule(
    code="distress",
    level="heavy",
    terms=(
        "wachtlijst|wachttijd|waiting_list|liste_d_attente .. psycholoog|psychiater|therapeut|therapie|therapy|therapist|counsellor|counselor|psy|psychologue|psychiatre|therapeute|cgg",
        "psycholoog|psychiater|therapeut|therapie|therapy|therapist|counsellor|counselor|psy|psychologue|psychiatre .. wachtlijst|wachten|waiting|attente|attends",
        "wacht|wachten|waiting|attends|attendre .. maanden|weken|months|weeks|mois|semaines .. op|for|pour|un|une .. psycholoog|psychiater|therapeut|therapie|therapy|therapist|counsellor|psy|psychologue",
        "geraak|kom|raak .. amper|nauwelijks|moeilijk|bijna_niet .. de|mijn .. dag|dagen door",
        "struggl* .. to? .. get through .. day|days|the_day|each_day|every_day",
        "struggle to get through",
        "du mal a tenir|passer .. journee|journees|jour|jours",
    ),
)

# Letters left unopened: reminders in red, envelopes not opened for weeks (debt avoidance, without the word "debt").
UNOPENED_LETTERS = LexRule(
    code="debt",
    level="heavy",
    terms=(
        f"brieven|brief|enveloppen|omslagen|aanmaningen|herinneringen|rekeningen|facturen|post .. die ik .. {_NOT}|nooit .. meer? .. open|opendoe|opendoen|durf",
        f"durf .. brieven|enveloppen|post|aanmaningen|rekeningen .. {_NOT}|nooit .. meer? .. open|openen|opendoen",
        "brieven|enveloppen|aanmaningen|rekeningen .. ongeopend|dicht|toe",
        "ongeopende brieven|enveloppen|post|aanmaningen|rekeningen",
        "met rood|in_het_rood|rode_letters .. erop|op",
        "rappels|factures|lettres|enveloppes|courrier .. que je n ouvre|n ose|plus .. pas|plus|ouvrir",
        "n ose plus ouvrir|ouvre_plus .. courrier|lettres|enveloppes",
        "lettres|enveloppes|factures|rappels .. pas ouvert*|non_ouvert*|fermees",
        "unopened .. letters|envelopes|bills|post|mail",
        "letters|envelopes|bills|reminders .. i .. don t|do_not|daren t|can t|cannot|never .. open",
        "final demand*|red letters|in red",
    ),
)

RULES_ROUND4: tuple[LexRule, ...] = (
    UNOPENED_LETTERS,
    FIRE_VERBS,
    FAREWELL_VEILED,
    INFANT,
    INFANT_FEVER,
    ANIMAL_HOARDING,
    NEIGHBOUR_CONFLICT,
    STATUS_PAPERS,
    WAITING_THERAPY,
)
