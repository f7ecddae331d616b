"""Realistic Dutch text for the benchmark data: sentences from the demo cases and a word list.

Half of the sentences come from the twelve demo cases (real phrasing about municipal
practice), the other half are built from ~300 words of municipal policy drawn with a
Zipf-like distribution, so that common words (*leegstand*, *wijkteam*) are found in many
texts and rare ones (*knarrenhof*) in a few — as in a real archive. Deterministic per seed.
"""

from __future__ import annotations

import json
import random
import re
from functools import cache
from importlib import resources


def _words(block: str) -> list[str]:
    return block.split()


# Ordered from frequent to infrequent: word n is drawn with weight 1 / (n + 1) ** ZIPF.
ZIPF = 0.9

NOUNS = _words(
    """
gemeente leegstand wijkteam corporatie aanloopstraat schuldhulpverlening buurt bewoner
ondernemer pand eigenaar huurder wijk binnenstad winkelstraat vastgoed samenwerking aanpak
jongerenwerk welzijn mantelzorg jeugdzorg jeugdhulp bijstand uitkering schulden armoede
minimabeleid inkomen werkgever werkzoekende statushouder inburgering taalcursus vrijwilliger
vereniging sportclub school onderwijs kinderopvang gezin ouder jongere oudere eenzaamheid
dementie huisarts ggz veiligheid overlast ondermijning handhaving boa toezicht politie camera
verlichting groen park plein speeltuin fietspad parkeren parkeerplaats verkeer mobiliteit
bereikbaarheid bus station stationsgebied bedrijventerrein detailhandel horeca markt evenement
cultuur bibliotheek buurthuis wijkcentrum ontmoetingsplek energietransitie warmtenet isolatie
zonnepanelen klimaatadaptatie hittestress wateroverlast riolering duurzaamheid afval
herstructurering renovatie sloop nieuwbouw woningbouw woningtekort starter doorstroming
huurprijs koopwoning huurwoning woonzorg transformatie kantoorpand bestemmingsplan omgevingsplan
omgevingsvisie omgevingswet vergunning leges subsidie begroting budget bezuiniging gemeenteraad
raadslid wethouder college burgemeester ambtenaar beleidsmedewerker projectleider
programmamanager regisseur plan programma pilot experiment evaluatie monitor indicator dashboard
data privacy convenant netwerk partner zorgaanbieder zorgverzekeraar provincie rijk ministerie
regio woondeal leefbaarheid cohesie participatie inspraak draagvlak bewonersinitiatief
burgerpanel enquete klankbordgroep werksessie bijeenkomst gesprek keukentafelgesprek casus
knelpunt oplossing resultaat ervaring advies expertise kennis opgave prioriteit doelgroep
wachtlijst toegang loket frontlijn huisbezoek vroegsignalering betalingsachterstand
energiearmoede woonlasten huurachterstand ontruiming dakloosheid opvang beschermd wonen
uitstroom dagbesteding werkplaats leerbedrijf stage arbeidsmarkt
"""
)

VERBS = _words(
    """
versterkt verbetert onderzoekt bespreekt ondersteunt vraagt organiseert financiert begeleidt
verbindt activeert signaleert voorkomt vermindert vergroot stimuleert coordineert evalueert
monitort realiseert ontwikkelt herziet betrekt informeert adviseert regelt beperkt bundelt
versnelt vertraagt verandert bepaalt ervaart waardeert herkent benut deelt opent sluit
verplaatst vernieuwt beheert handhaaft
"""
)

ADJECTIVES = _words(
    """
sociale fysieke lokale regionale landelijke integrale structurele tijdelijke nieuwe bestaande
kwetsbare betaalbare duurzame veilige leefbare gezonde actieve lastige complexe succesvolle
gezamenlijke praktische concrete heldere stevige kleinschalige grootschalige flexibele
preventieve outreachende wijkgerichte resultaatgerichte domeinoverstijgende meerjarige
haalbare toegankelijke zichtbare onzichtbare financiele juridische bestuurlijke ambtelijke
maatschappelijke economische
"""
)

ADVERBS = _words(
    """
sterk nauwelijks steeds vaak soms structureel tijdelijk vooral direct samen langzaam snel
voorzichtig zichtbaar nadrukkelijk opnieuw eerder later beter meestal
"""
)

PREPOSITIONS = _words("voor met naast binnen rond tussen na bij zonder tegen")

# Each of these in roughly one document in two thousand.
RARE = _words(
    """
knarrenhof voedselbos repaircafe buurtbatterij kangoeroewoning zwerfafvalcoach
skaeveboliger tozoregeling
"""
)
RARE_RATE = 0.0005

TEMPLATES = [
    "De {n} in de {n} {v} {d} de {a} {n}.",
    "Wij {v} met de {n} en de {n} aan een {a} {n}.",
    "Hoe {v} jullie de {n} {p} {a} {n}?",
    "Het {n} van de {n} is {d} {a}, zeker voor de {n}.",
    "In onze {n} {v} de {n} samen met de {n} en het {n}.",
    "Volgens de {n} {v} de {n} {d} {p} de {n}.",
    "Een {a} {n} {v} ook de {n} en de {n}.",
    "Onze ervaring: {n} en {n} werken alleen met een {a} {n}.",
    "Wie heeft ervaring met {a} {n} {p} de {n}?",
    "De {n} {v} {d}; de {n} en de {n} blijven een {a} {n}.",
]
RARE_SENTENCE = "We hebben ook gekeken naar het {r} in de {n}."

FIRST_NAMES = _words(
    """
Anouk Bram Chantal Daan Esra Fatima Gert Hanneke Ilse Jeroen Karin Lotte Mohamed Nadia Olaf
Petra Quinten Rachid Sanne Tim Ursula Vincent Wendy Yusuf Zeynep Anne Bas Carlijn Dirk Eva
Femke Gijs Hamza Inge Joost Kim Lars Maartje Niels Okke Pim Roos Sem Thijs Vera Willem
"""
)
LAST_NAMES = _words(
    """
Jansen de_Vries Bakker Visser Smit Meijer de_Boer Mulder de_Groot Bos Vos Peters Hendriks
van_Leeuwen Dekker Brouwer de_Wit Dijkstra Smits de_Graaf van_der_Meer van_der_Linden Kok
Jacobs de_Haan Vermeulen van_den_Heuvel van_der_Veen van_den_Berg van_Dijk Yilmaz El_Amrani
Kaya Bouzid
"""
)

TITLES = [
    "{first} en {adjective} {second}: wat werkt?",
    "Hoe pakken we {adjective} {first} in de {second} aan?",
    "{adjective} {first} bij de {second}",
    "Ervaringen met {first} en {second}",
    "{first} in de {second}: wie heeft een aanpak?",
    "Samenwerking met de {first} rond {adjective} {second}",
    "Grip op {first} in een {adjective} {second}",
]

_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


@cache
def demo_sentences() -> tuple[str, ...]:
    """Every sentence of the demo cases and their contributions (plain text, no Markdown)."""
    raw = resources.files("community").joinpath("data/demo_cases.json").read_text("utf-8")
    sentences: list[str] = []
    for case in json.loads(raw):
        texts = [case[f] for f in ("context", "question", "tried", "stakeholders")]
        texts += [c["body"] for c in case["contributions"]]
        for block in texts:
            for line in block.splitlines():
                line = line.strip().lstrip("-*#>0123456789. ").strip()
                sentences += [s for s in _SENTENCE_END.split(line) if len(s) > 20]
    return tuple(sentences)


class Text:
    """Sentences, paragraphs, titles and names, deterministic for a seed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.demo = demo_sentences()
        self.pools = {
            "n": (NOUNS, self._weights(NOUNS)),
            "v": (VERBS, self._weights(VERBS)),
            "a": (ADJECTIVES, self._weights(ADJECTIVES)),
            "d": (ADVERBS, self._weights(ADVERBS)),
            "p": (PREPOSITIONS, self._weights(PREPOSITIONS)),
        }

    @staticmethod
    def _weights(words: list[str]) -> list[float]:
        total = 0.0
        cumulative = []
        for n in range(len(words)):
            total += 1 / (n + 1) ** ZIPF
            cumulative.append(total)
        return cumulative

    def _fill(self, template: str) -> str:
        parts = template.split("{")
        out = [parts[0]]
        for part in parts[1:]:
            key, rest = part[0], part[2:]
            if key == "r":
                word = self.rng.choice(RARE)
            else:
                words, weights = self.pools[key]
                word = self.rng.choices(words, cum_weights=weights)[0]
            out.append(word + rest)
        sentence = "".join(out)
        return sentence[0].upper() + sentence[1:]

    def sentence(self) -> str:
        if self.rng.random() < 0.5:
            return self.rng.choice(self.demo)
        return self._fill(self.rng.choice(TEMPLATES))

    def paragraph(self, low: int, high: int) -> str:
        sentences = [self.sentence() for _ in range(self.rng.randint(low, high))]
        if self.rng.random() < RARE_RATE * len(RARE):
            sentences.insert(self.rng.randrange(len(sentences) + 1), self._fill(RARE_SENTENCE))
        return " ".join(sentences)

    def title(self) -> str:
        nouns, weights = self.pools["n"]
        first, second = self.rng.choices(nouns, cum_weights=weights, k=2)
        adjective = self.rng.choice(ADJECTIVES)
        template = self.rng.choice(TITLES)
        title = template.format(first=first, second=second, adjective=adjective)
        return title[0].upper() + title[1:]

    def name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES).replace('_', ' ')}"
