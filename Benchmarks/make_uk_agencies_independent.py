#!/usr/bin/env python3
"""Six invented English multi-agency extracts about one population of households.

Independent generator for testing mashlink on data its authors have not seen.
Python 3 stdlib only, deterministic for a given --seed.

    python3 Benchmarks/make_uk_agencies_independent.py --persons 15000 --seed 4417 --out data

Written by a separate agent from its own brief (six agencies with their own column names and date
formats, households, twins, nicknames, moves, surname changes, duplicates), without reading
make_uk_agencies.py; `scripts/eval.sh uk-independent` runs it through schema suggest, tokenise,
link and evaluate. Its rates are in the summary.txt it writes.

Writes police.csv, health.csv, education.csv, probation.csv, childrens_social_care.csv,
adult_social_care.csv, truth.csv (agency,record,person), persons.csv (the true identities, for
error analysis only) and summary.txt (the realised rates).
"""
import argparse
import csv
import datetime as dt
import os
import random
from collections import Counter, defaultdict

REF = dt.date(2026, 11, 30)          # extract date
D = dt.timedelta

# --------------------------------------------------------------------------------------------
# Name material (invented frequency weights, roughly shaped like English lists)
# --------------------------------------------------------------------------------------------

def wl(s):
    """'Name:weight Name:weight ...' -> (names, weights)"""
    names, ws = [], []
    for tok in s.split():
        n, w = tok.rsplit(":", 1)
        names.append(n.replace("_", " "))
        ws.append(float(w))
    return names, ws

SURNAMES_WHITE = wl("""
Smith:120 Jones:90 Williams:70 Taylor:65 Brown:62 Davies:50 Evans:40 Wilson:42 Thomas:38 Johnson:38
Roberts:36 Robinson:33 Thompson:33 Wright:33 Walker:32 White:30 Edwards:29 Hughes:28 Green:28 Hall:28
Lewis:27 Harris:27 Clarke:27 Jackson:26 Wood:25 Turner:24 Martin:24 Cooper:24 Hill:24 Ward:23
Morris:23 Moore:22 Clark:22 Lee:22 King:22 Baker:21 Harrison:21 Morgan:20 Allen:20 James:20
Scott:19 Phillips:19 Watson:19 Davis:18 Parker:18 Price:18 Bennett:18 Young:17 Griffiths:17 Mitchell:17
Kelly:17 Cook:16 Carter:16 Richardson:16 Bailey:16 Collins:16 Bell:16 Shaw:15 Murphy:15 Miller:15
Cox:15 Richards:14 Marshall:14 Anderson:14 Simpson:14 Ellis:14 Adams:14 Wilkinson:13 Foster:13 Chapman:13
Powell:13 Webb:13 Rogers:13 Gray:13 Mason:13 Hunt:12 Campbell:12 Matthews:12 Owen:12 Palmer:12
Holmes:12 Mills:12 Barnes:12 Knight:11 Lloyd:11 Butler:11 Russell:11 Barker:11 Fisher:11 Stevens:11
Jenkins:11 Murray:11 Dixon:11 Harvey:11 Graham:10 Pearson:10 Fletcher:10 Walsh:10 Gibson:10 Howard:10
Andrews:10 Stewart:10 Elliott:10 Reynolds:10 Saunders:10 Payne:9 Fox:9 Ford:9 Pearce:9 Day:9
Brooks:9 West:9 Lawrence:9 Cole:9 Atkinson:9 Bradley:9 Spencer:9 Dawson:8 Ball:8 Burton:8
O'Brien:8 Watts:8 Rose:8 Booth:8 Perry:8 Ryan:8 Grant:8 Wells:8 Armstrong:8 Francis:8
Rees:8 Hayes:7 Hart:7 Hudson:7 Newman:7 Barrett:7 Webster:7 Hunter:7 Gregory:7 Carr:7
Lowe:7 Page:7 Marsh:7 Riley:7 Dunn:7 Woods:7 Parsons:7 Berry:7 Stone:7 Reid:7
Holland:6 Hawkins:6 Harding:6 Porter:6 Robertson:6 Newton:6 Oliver:6 Reed:6 Kennedy:6 Williamson:6
Bird:6 Gardner:6 Dean:6 Lane:6 Cooke:6 Bates:6 Henderson:6 Parry:6 Burgess:6 Bishop:6
Walton:6 Burns:6 Nicholson:6 Shepherd:6 Ross:6 Cross:6 Long:6 Freeman:6 Warren:5 Nicholls:5
Hamilton:5 Byrne:5 Sutton:5 McDonald:5 Yates:5 Hodgson:5 Robson:5 Curtis:5 Hopkins:5 O'Connor:5
Harper:5 Coleman:5 Watkins:5 Moss:5 McCarthy:5 Chambers:5 O'Neill:5 Griffin:5 Sharp:5 Hardy:5
Wheeler:5 Potter:5 Osborne:5 Johnston:5 Gordon:5 Doyle:5 Wallace:5 George:5 Jordan:4 Hutchinson:4
O'Sullivan:4 O'Reilly:3 Fitzgerald:4 MacDonald:3 McKenzie:3 Ashworth:4 Sutcliffe:4 Greenwood:4 Haigh:3 Crowther:3
Ackroyd:3 Holroyd:3 Priestley:3 Hirst:3 Firth:3 Lister:3 Bottomley:3 Mitchell-Hughes:0.5 Lloyd-Jones:0.8 Wyatt:3
""")

SURNAMES_SASIAN_MUSLIM = wl("""
Khan:60 Hussain:45 Ahmed:45 Ali:40 Akhtar:20 Iqbal:18 Mahmood:18 Shah:18 Rashid:12 Aslam:12 Butt:12
Riaz:10 Javed:10 Hanif:10 Bashir:10 Sadiq:9 Yousaf:8 Malik:14 Mirza:6 Qureshi:8 Rehman:8 Anwar:7
""")
SURNAMES_BANGLADESHI = wl("""
Miah:30 Uddin:30 Rahman:30 Islam:25 Ahmed:20 Ali:20 Hussain:15 Chowdhury:15 Hoque:10 Alam:10 Khatun:0.1
""")
SURNAMES_SIKH_FAMILY = wl("Gill:10 Sandhu:8 Dhillon:6 Sidhu:5 Bains:4 Johal:4 Grewal:3 Sahota:3 Bassi:2")
SURNAMES_HINDU = wl("Patel:60 Sharma:12 Mistry:10 Parmar:8 Chauhan:8 Solanki:6 Joshi:5 Mehta:5 Desai:4 Lad:3 Kumar:6")
SURNAMES_BLACK = wl("""
Okafor:5 Adeyemi:5 Okonkwo:4 Mensah:6 Boateng:5 Owusu:6 Adebayo:5 Oyelaran:2 Campbell:8 Williams:8 Brown:7
Clarke:6 Francis:5 Grant:5 Johnson:6 Thomas:5 Osei:5 Asante:4 Nwosu:3 Eze:3 Ogunleye:3 Bello:3
""")
# Polish: (masculine, feminine)
SURNAMES_POLISH = [("Nowak", "Nowak", 10), ("Kowalski", "Kowalska", 8), ("Wiśniewski", "Wiśniewska", 6),
                   ("Wójcik", "Wójcik", 5), ("Kowalczyk", "Kowalczyk", 5), ("Kamiński", "Kamińska", 5),
                   ("Lewandowski", "Lewandowska", 5), ("Zieliński", "Zielińska", 4), ("Szymański", "Szymańska", 4),
                   ("Woźniak", "Woźniak", 4), ("Dąbrowski", "Dąbrowska", 3), ("Mazur", "Mazur", 3)]

# White British / Irish given names by birth era
M_OLD = wl("John:30 David:25 Michael:22 Peter:18 Robert:18 William:16 James:16 Brian:12 Alan:12 Kenneth:10 Anthony:10 George:10 Thomas:9 Richard:9 Keith:8 Derek:7 Frederick:5 Harold:6 Raymond:7 Ronald:7 Dennis:5 Edward:6 Charles:6 Trevor:5 Stephen:6 Christopher:5")
F_OLD = wl("Margaret:25 Patricia:18 Susan:16 Elizabeth:15 Jean:14 Mary:16 Barbara:12 Joan:10 Dorothy:8 Christine:12 Linda:12 Sandra:10 Pauline:8 Janet:10 Brenda:7 Valerie:7 Sheila:7 Catherine:6 Irene:5 Doreen:5 Maureen:7 Ann:8 Carol:9 Deborah:4 Josephine:3 Winifred:2")
M_MID = wl("Paul:20 Mark:20 David:18 Daniel:14 Christopher:16 Andrew:16 Matthew:14 Richard:12 Stephen:10 Lee:10 Craig:8 Darren:8 Wayne:6 Jason:7 Ben:5 Benjamin:5 Michael:14 James:14 John:8 Robert:8 Thomas:8 Gary:8 Simon:7 Neil:6 Anthony:6 Jonathan:6 Samuel:5 William:5 Alexander:4 Joseph:5 Carl:5 Dean:5 Ryan:5 Adam:6 Scott:5 Jamie:5")
F_MID = wl("Sarah:20 Claire:14 Emma:16 Lisa:12 Nicola:12 Rebecca:12 Karen:10 Michelle:12 Joanne:10 Louise:10 Kelly:8 Laura:12 Gemma:10 Samantha:10 Victoria:9 Rachel:10 Amy:9 Jennifer:7 Helen:8 Catherine:6 Katherine:5 Elizabeth:6 Stephanie:5 Hannah:6 Natalie:7 Zoë:3 Jessica:5 Charlotte:5 Kerry:5 Donna:5 Jodie:4 Leanne:4 Siân:1.5 Alexandra:3")
M_YOUNG = wl("Oliver:18 Harry:16 George:14 Jack:16 Noah:12 Charlie:12 Jacob:12 Thomas:10 Oscar:10 William:10 Leo:10 Alfie:10 Joshua:10 Freddie:8 Archie:8 Ethan:8 Isaac:6 Riley:6 Mason:7 Aiden:5 Logan:5 Jayden:5 Tyler:5 Kai:4 Max:6 Lucas:6 Theo:6 Alexander:5 Samuel:6 Daniel:6 Joseph:6 James:8 Henry:5 Edward:3 Benjamin:4 Callum:5 Liam:5 Dylan:5 Lewis:4 Connor:4 Kieran:3 Frederick:2 Zachary:2 Matthew:4 Ryan:4")
F_YOUNG = wl("Olivia:16 Amelia:16 Isla:10 Ava:10 Emily:14 Sophie:10 Grace:10 Lily:12 Ella:10 Mia:10 Jessica:9 Chloe:10 Ruby:8 Poppy:8 Evie:8 Freya:7 Isabella:8 Charlotte:8 Scarlett:6 Ellie:8 Millie:6 Phoebe:5 Holly:5 Megan:6 Lucy:7 Katie:5 Abigail:5 Eleanor:4 Rebecca:4 Hannah:6 Lauren:5 Amber:5 Daisy:5 Erin:4 Elizabeth:3 Alexandra:2 Victoria:2 Zoë:2 Chloë:1 Madison:3 Niamh:3 Aoife:1 Summer:3")

M_MUSLIM = wl("Mohammed:30 Muhammad:20 Mohammad:6 Ali:10 Ahmed:10 Ibrahim:8 Yusuf:8 Omar:8 Hamza:8 Bilal:6 Imran:8 Zain:6 Ayaan:5 Amir:5 Abdul:8 Tariq:6 Usman:6 Adam:6 Haris:4 Zakariya:3 Rayyan:4 Asif:5 Nadeem:4 Shahid:4 Kamran:4 Arif:4 Faisal:4 Sajid:4 Waqas:3")
F_MUSLIM = wl("Aisha:10 Fatima:10 Maryam:10 Zara:8 Amina:6 Ayesha:6 Hafsa:6 Sana:6 Noor:5 Nasreen:5 Shazia:5 Rukhsana:5 Yasmin:6 Samina:4 Nadia:5 Saima:4 Khadija:5 Zainab:6 Hira:3 Iqra:4 Mariam:4 Safiya:3 Inaya:4 Anaya:3 Parveen:4 Shabana:4")
M_BANGLA = wl("Mohammed:25 Abdul:15 Md:3 Shahid:4 Jamal:5 Rahim:5 Karim:4 Rashid:4 Mizanur:3 Sayed:3 Sabbir:3 Rayhan:4 Ayaan:4 Zakir:3 Imran:4 Arafat:3 Tanvir:3")
F_BANGLA = wl("Fatema:6 Rokeya:4 Shirin:4 Nazia:4 Sumaiya:5 Tasnim:5 Nusrat:4 Jannat:4 Ruma:3 Salma:4 Taslima:3 Ayesha:4 Maryam:4 Halima:4 Sadia:4")
M_SIKH = wl("Harpreet:6 Gurpreet:6 Jaspreet:4 Manpreet:5 Harjit:4 Sukhdev:3 Kulwinder:4 Balwinder:4 Amarjit:3 Gurdeep:4 Ranjit:3 Arjun:3 Jasdeep:3 Harvinder:3 Sandeep:3")
F_SIKH = wl("Harpreet:5 Gurpreet:5 Jaspreet:5 Manpreet:5 Simran:5 Navdeep:3 Kiranjit:3 Amandeep:4 Rajvinder:3 Parminder:4 Jasleen:3 Harleen:3 Sukhjit:3 Baljit:3")
M_HINDU = wl("Raj:5 Arjun:5 Rohan:5 Vikram:4 Amit:5 Sanjay:5 Rakesh:4 Nikhil:3 Dev:3 Krishna:3 Ravi:5 Jay:4 Kiran:3 Anil:4 Dinesh:3 Hitesh:3 Bhavesh:3 Nilesh:3")
F_HINDU = wl("Priya:6 Anjali:5 Sunita:4 Pooja:5 Neha:4 Kavita:4 Meena:4 Asha:3 Nisha:4 Shreya:4 Riya:4 Hema:3 Bhavna:3 Jyoti:3 Leela:2 Kiran:2 Divya:3 Hetal:3")
M_BLACK = wl("Chidi:3 Emeka:4 Oluwaseun:3 Tunde:3 Kwame:4 Kofi:4 Ade:2 Tobi:3 Samuel:5 Daniel:5 Joshua:5 David:5 Emmanuel:5 Michael:4 Jermaine:3 Marcus:4 Tyrone:2 Isaiah:3 Elijah:3 Nathaniel:3 Kelvin:2 Oluwatobi:2 Ayodele:2")
F_BLACK = wl("Chioma:4 Ngozi:3 Adaeze:3 Abena:4 Folake:3 Amara:4 Blessing:4 Precious:3 Divine:2 Grace:4 Esther:4 Ruth:3 Faith:3 Shanice:3 Tanisha:2 Keisha:3 Aaliyah:3 Adwoa:3 Temitope:2 Funmilayo:2 Chantelle:3 Abigail:3")
M_POLISH = wl("Jakub:6 Kacper:5 Szymon:5 Mateusz:5 Piotr:6 Tomasz:6 Krzysztof:5 Łukasz:5 Paweł:5 Michał:5 Marcin:5 Adam:4 Filip:4 Wojciech:3 Bartosz:3")
F_POLISH = wl("Katarzyna:6 Agnieszka:6 Magdalena:5 Zofia:5 Julia:5 Anna:6 Aleksandra:5 Joanna:5 Małgorzata:4 Natalia:4 Oliwia:4 Maja:4 Ewa:4 Monika:4 Wiktoria:4")

# diminutives a record may carry instead of the formal name (realistic, not exhaustive)
NICK = {
    "William": ["Bill", "Will", "Billy", "Liam"], "Elizabeth": ["Liz", "Beth", "Lizzie", "Betty", "Eliza"],
    "Margaret": ["Peggy", "Maggie", "Meg", "Margo"], "Robert": ["Bob", "Rob", "Bobby", "Robbie"],
    "Richard": ["Rick", "Rich", "Richie", "Dick"], "James": ["Jim", "Jimmy", "Jamie"],
    "Michael": ["Mike", "Mick", "Mickey"], "Thomas": ["Tom", "Tommy"], "Christopher": ["Chris"],
    "Daniel": ["Dan", "Danny"], "Matthew": ["Matt"], "Andrew": ["Andy", "Drew"], "Stephen": ["Steve"],
    "Anthony": ["Tony", "Ant"], "Joseph": ["Joe", "Joey"], "Samuel": ["Sam", "Sammy"],
    "Benjamin": ["Ben"], "Alexander": ["Alex", "Alfie"], "Edward": ["Ed", "Eddie", "Ted"],
    "Charles": ["Charlie", "Chas"], "Catherine": ["Kate", "Katie", "Cathy"], "Katherine": ["Kate", "Kathy", "Kat"],
    "Rebecca": ["Becky", "Becca"], "Jennifer": ["Jen", "Jenny"], "Victoria": ["Vicky", "Tori"],
    "Samantha": ["Sam", "Sammie"], "Susan": ["Sue", "Susie"], "Patricia": ["Pat", "Trish", "Patsy"],
    "Deborah": ["Debbie", "Debs"], "Alexandra": ["Alex", "Lexi"], "Nicola": ["Nicky", "Nikki"],
    "Jessica": ["Jess"], "Abigail": ["Abbie", "Abby"], "Charlotte": ["Lottie", "Charlie"],
    "Frederick": ["Fred", "Freddie"], "Harold": ["Harry"], "Henry": ["Harry", "Hal"],
    "Kenneth": ["Ken", "Kenny"], "Jacob": ["Jake"], "Joshua": ["Josh"], "Zachary": ["Zach"],
    "Oliver": ["Ollie"], "Isabella": ["Bella", "Izzy"], "Amelia": ["Millie"], "Eleanor": ["Ellie", "Nell"],
    "Dorothy": ["Dot", "Dolly"], "Josephine": ["Jo", "Josie"], "Joanne": ["Jo"], "Raymond": ["Ray"],
    "Ronald": ["Ron", "Ronnie"], "Dennis": ["Den"], "Derek": ["Del"], "Jonathan": ["Jon", "Jonny"],
    "Winifred": ["Winnie"], "Christine": ["Chris", "Chrissie"], "Pauline": ["Pauly"],
    "Stephanie": ["Steph"], "Natalie": ["Nat"], "Gemma": ["Gem"], "Hannah": ["Han"],
    "Jennifer ": [], "Valerie": ["Val"], "Maureen": ["Mo"], "Barbara": ["Babs", "Barb"],
    "Timothy": ["Tim"], "Simon": ["Si"], "Oluwaseun": ["Seun"], "Oluwatobi": ["Tobi"],
    "Ayodele": ["Ayo"], "Temitope": ["Tope"], "Funmilayo": ["Funmi"], "Emmanuel": ["Manny"],
    "Katarzyna": ["Kasia"], "Małgorzata": ["Gosia"], "Aleksandra": ["Ola"], "Krzysztof": ["Krzysiek"],
    "Nathaniel": ["Nathan", "Nat"], "Isaiah": ["Izzy"],
}
# spelling / transliteration families: a record may use another member
TRANSLIT = [
    ["Mohammed", "Muhammad", "Mohammad", "Mohamed", "Muhammed", "Mohammod"],
    ["Ahmed", "Ahmad"], ["Yusuf", "Yousuf", "Yousef"], ["Aisha", "Ayesha", "Aysha"],
    ["Fatima", "Fatimah", "Fatema"], ["Maryam", "Mariam", "Mariyam"], ["Zainab", "Zaynab"],
    ["Khadija", "Khadijah"], ["Hamza", "Hamzah"], ["Zakariya", "Zakaria", "Zakariyya"],
    ["Abdul", "Abdal"], ["Usman", "Osman", "Uthman"], ["Rayyan", "Rayan"], ["Haris", "Harris"],
    ["Aiden", "Aidan", "Ayden"], ["Jayden", "Jaden", "Jaiden"], ["Zoë", "Zoe"], ["Chloë", "Chloe"],
    ["Siân", "Sian"], ["Stephen", "Steven"], ["Jon", "John"], ["Mia", "Miya"], ["Isla", "Islay"],
]
TRANS_OF = {}
for fam in TRANSLIT:
    for n in fam:
        TRANS_OF[n] = fam
SURNAME_TRANSLIT = [["Hussain", "Hussein", "Husain"], ["Mahmood", "Mahmud", "Mehmood"], ["Rehman", "Rahman"],
                    ["Chowdhury", "Choudhury", "Chowdhry"], ["Yousaf", "Yusuf"], ["Hoque", "Haque", "Hoq"],
                    ["Mohammed", "Muhammad"], ["Qureshi", "Kureshi"]]
STRANS_OF = {n: fam for fam in SURNAME_TRANSLIT for n in fam}

# --------------------------------------------------------------------------------------------
# Places: one fictional West Yorkshire-style local authority (BD / HX / LS fringe)
# --------------------------------------------------------------------------------------------
STREET_ROOTS = ("Acacia Victoria Station Church Park Mill Manor Oak Elm Highfield Beech Westfield Queens Kings "
                "Albert Grange Moor Hall School Green Cliffe Bank Wood Heath Spring Rose Carr Clough Hollin "
                "Lister Cavendish Wellington Nelson Cobden Peel Bolton Thornton Allerton Eccleshill Undercliffe "
                "Wrose Idle Heaton Frizinghall Manningham Girlington Lidget Horton Bowling Dudley Tong Holme "
                "Wyke Low High Cross Bridge Canal Granby Russell Ashgrove Laburnum Sycamore Hawthorn Rowan "
                "Chestnut Willow Poplar Cedar Maple Birch Larch Fern Heather Primrose Daisy Bluebell Meadow").split()
STREET_SUFFIX = [("Road", "Rd", 30), ("Street", "St", 25), ("Lane", "Ln", 12), ("Avenue", "Ave", 8),
                 ("Close", "Cl", 6), ("Drive", "Dr", 6), ("Grove", "Gr", 5), ("Terrace", "Terr", 6),
                 ("Crescent", "Cres", 4), ("Way", "Way", 3), ("Place", "Pl", 3), ("Gardens", "Gdns", 3),
                 ("Mount", "Mt", 2), ("Court", "Ct", 2)]
LOCALITIES = [("Thornbury", "BD3"), ("Manningham", "BD8"), ("Girlington", "BD8"), ("Heaton", "BD9"),
              ("Frizinghall", "BD9"), ("Eccleshill", "BD2"), ("Idle", "BD10"), ("Wrose", "BD18"),
              ("Shipley", "BD18"), ("Allerton", "BD15"), ("Thornton", "BD13"), ("Queensbury", "BD13"),
              ("Wibsey", "BD6"), ("Buttershaw", "BD6"), ("Low Moor", "BD12"), ("Wyke", "BD12"),
              ("Bowling", "BD4"), ("Tong", "BD4"), ("Holme Wood", "BD4"), ("Little Horton", "BD5"),
              ("West Bowling", "BD5"), ("Great Horton", "BD7"), ("Lidget Green", "BD7"), ("Undercliffe", "BD2"),
              ("Bradford Moor", "BD3"), ("Barkerend", "BD3"), ("Keighley", "BD21"), ("Bingley", "BD16"),
              ("Baildon", "BD17"), ("Clayton", "BD14"), ("City Centre", "BD1"), ("Halifax", "HX1"),
              ("Brighouse", "HD6"), ("Pudsey", "LS28")]
TOWN_OF = {"BD21": "Keighley", "BD16": "Bingley", "BD17": "Shipley", "BD18": "Shipley", "HX1": "Halifax",
           "HD6": "Brighouse", "LS28": "Pudsey"}
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


class Address:
    __slots__ = ("flat", "number", "street_root", "suffix", "locality", "town", "postcode")

    def __init__(self, flat, number, street_root, suffix, locality, town, postcode):
        self.flat, self.number, self.street_root, self.suffix = flat, number, street_root, suffix
        self.locality, self.town, self.postcode = locality, town, postcode

    def key(self):
        return (self.flat, self.number, self.street_root, self.suffix[0], self.postcode)


class World:
    def __init__(self, rng):
        self.rng = rng
        self.streets = []      # (root, suffix, locality, town, [postcodes], max number)
        used = set()
        for loc, district in LOCALITIES:
            n = rng.randint(6, 14) if district not in ("HX1", "HD6", "LS28") else rng.randint(2, 4)
            for _ in range(n):
                while True:
                    root = rng.choice(STREET_ROOTS)
                    suf = rng.choices(STREET_SUFFIX, [s[2] for s in STREET_SUFFIX])[0]
                    if (root, suf[0], district) not in used:
                        used.add((root, suf[0], district))
                        break
                maxno = rng.choice([12, 20, 30, 48, 60, 90, 140])
                pcs = []
                for _ in range(max(1, maxno // 14)):
                    pcs.append("%s %d%s%s" % (district, rng.randint(1, 9), rng.choice(INWARD_LETTERS),
                                               rng.choice(INWARD_LETTERS)))
                town = TOWN_OF.get(district, "Bradford")
                self.streets.append((root, suf, loc, town, pcs, maxno))
        self.taken = set()

    def new_address(self, deprived=False):
        rng = self.rng
        while True:
            root, suf, loc, town, pcs, maxno = rng.choice(self.streets)
            number = rng.randint(1, maxno)
            flat = None
            if rng.random() < (0.3 if deprived else 0.15):
                flat = rng.randint(1, 12)
            pc = pcs[min(len(pcs) - 1, (number - 1) * len(pcs) // maxno)]
            a = Address(flat, number, root, suf, loc, town, pc)
            if a.key() not in self.taken:
                self.taken.add(a.key())
                return a

# --------------------------------------------------------------------------------------------
# People and households
# --------------------------------------------------------------------------------------------

def nhs_check(d9):
    s = sum(int(c) * (10 - i) for i, c in enumerate(d9))
    r = 11 - s % 11
    if r == 11:
        r = 0
    return None if r == 10 else r


class Person:
    _n = 0

    def __init__(self, hh, sex, dob, eth):
        Person._n += 1
        self.pid = "P%06d" % Person._n
        self.hh = hh
        self.sex = sex
        self.dob = dob
        self.eth = eth
        self.given = self.middle = self.surname = None
        self.birth_surname = None
        self.marriage = None          # date surname changed from birth_surname to surname
        self.addr = []                # [(from_date, Address)] ascending
        self.nhs = None
        self.upn = None
        self.pnc = None
        self.role = None              # parent / child / adult / older
        self.name_pref = None         # a diminutive this person habitually uses, if any
        self.known_as_surname = None  # e.g. child known by step-parent's surname in some agencies

    def age(self, on=REF):
        return on.year - self.dob.year - ((on.month, on.day) < (self.dob.month, self.dob.day))

    def address_at(self, d):
        cur = self.addr[0][1]
        for frm, a in self.addr:
            if frm <= d:
                cur = a
        return cur

    def surname_at(self, d):
        if self.marriage and d < self.marriage:
            return self.birth_surname
        return self.surname


def name_family(n):
    fam = {n}
    fam.update(NICK.get(n, []))
    fam.update(TRANS_OF.get(n, []))
    for formal, nicks in NICK.items():
        if n in nicks:
            fam.add(formal)
            fam.update(nicks)
    return fam


def related_name(n, others):
    """True when n is one of others, or a nickname/spelling of one (Harry/Henry twins are not realistic)."""
    return any(o in name_family(n) or n in name_family(o) for o in others)


class Gen:
    def __init__(self, seed, persons):
        self.rng = random.Random(seed)
        self.target = persons
        self.world = World(self.rng)
        self.people = []
        self.households = []
        self.nhs_used = set()
        self.upn_n = 0
        self.stats = Counter()

    # ---- name draws
    def pick(self, lst):
        return self.rng.choices(lst[0], lst[1])[0]

    def given_for(self, sex, dob, eth):
        r = self.rng
        if eth in ("white", "irish"):
            era = "old" if dob.year < 1966 else "mid" if dob.year < 1995 else "young"
            lst = {("M", "old"): M_OLD, ("F", "old"): F_OLD, ("M", "mid"): M_MID, ("F", "mid"): F_MID,
                   ("M", "young"): M_YOUNG, ("F", "young"): F_YOUNG}[(sex, era)]
        else:
            lst = {"muslim": (M_MUSLIM, F_MUSLIM), "bangla": (M_BANGLA, F_BANGLA), "sikh": (M_SIKH, F_SIKH),
                   "hindu": (M_HINDU, F_HINDU), "black": (M_BLACK, F_BLACK),
                   "polish": (M_POLISH, F_POLISH)}[eth][0 if sex == "M" else 1]
            if eth == "black" and dob.year >= 1995 and r.random() < 0.35:
                lst = M_YOUNG if sex == "M" else F_YOUNG
        return self.pick(lst)

    def middle_for(self, sex, dob, eth, given):
        r = self.rng
        if eth == "sikh":
            return None
        p = {"white": 0.55, "irish": 0.6, "black": 0.6, "muslim": 0.35, "bangla": 0.3, "hindu": 0.4,
             "polish": 0.2}[eth]
        if r.random() > p:
            return None
        for _ in range(5):
            m = self.given_for(sex, dob, eth)
            if m != given:
                if r.random() < 0.06:
                    m2 = self.given_for(sex, dob, eth)
                    if m2 not in (m, given):
                        m = m + " " + m2
                return m
        return None

    def family_surname(self, eth):
        r = self.rng
        if eth == "white":
            return self.pick(SURNAMES_WHITE)
        if eth == "irish":
            return r.choice(["Murphy", "Kelly", "O'Sullivan", "Walsh", "O'Brien", "Byrne", "Ryan", "O'Connor",
                             "O'Neill", "O'Reilly", "Doyle", "McCarthy", "Gallagher", "Doherty", "Kennedy",
                             "Lynch", "Murray", "Quinn", "Moore", "McLaughlin", "Fitzgerald", "D'Arcy"])
        if eth == "muslim":
            return self.pick(SURNAMES_SASIAN_MUSLIM)
        if eth == "bangla":
            return self.pick(SURNAMES_BANGLADESHI)
        if eth == "sikh":
            return self.pick(SURNAMES_SIKH_FAMILY)
        if eth == "hindu":
            return self.pick(SURNAMES_HINDU)
        if eth == "black":
            return self.pick(SURNAMES_BLACK)
        if eth == "polish":
            return r.choices(SURNAMES_POLISH, [x[2] for x in SURNAMES_POLISH])[0]
        raise ValueError(eth)

    def surname_for(self, fam, sex, eth):
        """fam: the family surname draw; gendered for Polish; Sikh Singh/Kaur convention."""
        if eth == "polish":
            return fam[0] if sex == "M" else fam[1]
        return fam

    def new_nhs(self):
        r = self.rng
        while True:
            d9 = str(r.choice([4, 6])) + "".join(str(r.randint(0, 9)) for _ in range(8))
            c = nhs_check(d9)
            if c is None:
                continue
            n = d9 + str(c)
            if n not in self.nhs_used:
                self.nhs_used.add(n)
                return n

    def new_upn(self, dob):
        # letter + LA code (380 = Bradford) + 4-digit establishment + 2-digit year + 3 serial
        self.upn_n += 1
        body = "380%04d%02d%03d" % (self.rng.randint(2000, 4999), (dob.year + 4) % 100, self.upn_n % 1000)
        letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
        chk = letters[sum(ord(c) * (i + 2) for i, c in enumerate(body)) % 23]
        return chk + body

    def rand_date(self, a, b):
        return a + D(days=self.rng.randint(0, max(0, (b - a).days)))

    def dob_for_age(self, lo, hi):
        start = dt.date(REF.year - hi - 1, REF.month, REF.day) + D(days=1)
        end = dt.date(REF.year - lo, REF.month, REF.day)
        return self.rand_date(start, end)

    # ---- households
    def make(self):
        r = self.rng
        while len(self.people) < self.target:
            self.household()
        for p in self.people:
            if r.random() < 0.985 or p.age() < 1:   # a few adults without an NHS number (recent arrivals)
                p.nhs = self.new_nhs()
            if p.name_pref is None and p.given in NICK and NICK[p.given] and r.random() < 0.30:
                p.name_pref = r.choice(NICK[p.given])

    def household(self):
        r = self.rng
        eth = r.choices(["white", "irish", "muslim", "bangla", "sikh", "hindu", "black", "polish"],
                        [68, 3, 14, 3, 2, 3, 4, 3])[0]
        kind = r.choices(["single", "couple", "couple_kids", "lone_parent", "older_single", "older_couple",
                          "three_gen"], [17, 12, 34, 19, 9, 7, (2 if eth in ("white", "black", "polish") else 7)])[0]
        risk = r.choices(["none", "low", "high"], [30, 38, 32])[0]
        if kind in ("lone_parent",):
            risk = r.choices(["none", "low", "high"], [20, 40, 40])[0]
        hh = {"id": len(self.households) + 1, "eth": eth, "kind": kind, "risk": risk, "members": []}
        self.households.append(hh)
        addr = self.world.new_address(deprived=(risk != "none"))
        history = [(dt.date(1900, 1, 1), addr)]
        if r.random() < 0.38:       # moved in the last 7 years: an older address precedes it
            moved = self.rand_date(REF - D(days=7 * 365), REF - D(days=30))
            old = self.world.new_address(deprived=(risk != "none"))
            history = [(dt.date(1900, 1, 1), old), (moved, addr)]
            if r.random() < 0.25:
                moved0 = self.rand_date(moved - D(days=6 * 365), moved - D(days=60))
                older = self.world.new_address(deprived=(risk != "none"))
                history = [(dt.date(1900, 1, 1), older), (moved0, old), (moved, addr)]
            self.stats["households moved"] += 1
        hh["history"] = history
        fam = self.family_surname(eth)
        members = []

        def person(sex, dob, role, surname=None):
            p = Person(hh, sex, dob, eth)
            p.role = role
            p.given = self.given_for(sex, dob, eth)
            p.middle = self.middle_for(sex, dob, eth, p.given)
            if surname is None:
                surname = self.surname_for(fam, sex, eth)
            p.surname = p.birth_surname = surname
            p.addr = list(history)
            members.append(p)
            return p

        def sikh_surname(sex, family):
            return ("Singh" if sex == "M" else "Kaur") if r.random() < 0.6 else family

        def adult_surname(sex):
            if eth == "sikh":
                return sikh_surname(sex, fam)
            if eth == "bangla" and sex == "F" and r.random() < 0.55:
                return "Begum"
            if eth == "muslim" and sex == "F" and r.random() < 0.2:
                return r.choice(["Bibi", "Begum", "Akhtar"])
            return None

        if kind in ("single", "older_single"):
            age = r.randint(18, 64) if kind == "single" else r.randint(65, 99)
            if kind == "single" and r.random() < 0.5:
                age = r.randint(18, 30)
            sex = r.choice("MF")
            person(sex, self.dob_for_age(age, age), "adult" if kind == "single" else "older", adult_surname(sex))
        elif kind in ("couple", "older_couple", "couple_kids", "three_gen"):
            if kind == "older_couple":
                fa = r.randint(65, 95)
            elif kind == "couple":
                fa = r.randint(20, 64)
            else:
                fa = r.randint(24, 52)
            ma = max(18, fa + int(round(r.gauss(-2, 3))))
            father = person("M", self.dob_for_age(fa, fa), "parent", adult_surname("M"))
            mother = person("F", self.dob_for_age(ma, ma), "parent", None)
            # mother's birth surname: from the same community mostly
            meth = eth if r.random() < 0.9 else r.choice(["white", "irish", "black", "polish"])
            mb = self.family_surname(meth)
            mb = self.surname_for(mb, "F", meth)
            if eth == "sikh":
                mb = sikh_surname("F", mb)
            if eth == "bangla" and r.random() < 0.55:
                mb = "Begum"
            mother.birth_surname = mb
            mother.surname = mb
            married = r.random() < (0.85 if kind == "older_couple" else 0.62)
            takes = married and mb not in ("Begum", "Kaur", "Bibi") and r.random() < 0.88 and eth not in ("bangla",)
            if takes and mb != father.surname:
                if r.random() < 0.06:
                    mother.surname = mb + "-" + father.surname
                else:
                    mother.surname = father.surname
                # when: usually years ago, sometimes recent (then older records hold the maiden name)
                if r.random() < 0.22:
                    mother.marriage = self.rand_date(REF - D(days=6 * 365), REF - D(days=20))
                else:
                    mother.marriage = self.rand_date(dt.date(mother.dob.year + 19, 1, 1),
                                                     max(dt.date(mother.dob.year + 19, 1, 2), REF - D(days=6 * 365)))
                self.stats["surname change on marriage"] += 1
            hh["married"] = married
            if kind in ("couple_kids", "three_gen"):
                self.children(hh, mother, father, married, members, person)
                if r.random() < 0.14:     # separated: father lives elsewhere now
                    sep = self.rand_date(REF - D(days=5 * 365), REF - D(days=30))
                    father.addr = [x for x in father.addr if x[0] <= sep] + [(sep, self.world.new_address(True))]
                    self.stats["separated fathers moved"] += 1
            if kind == "three_gen":
                ga = max(60, ma + r.randint(22, 32))
                gsex = r.choice("MF")
                gs = father.surname if r.random() < 0.7 else mb
                g = person(gsex, self.dob_for_age(min(ga, 99), min(ga, 99)), "older", gs if eth != "sikh" else sikh_surname(gsex, gs))
        elif kind == "lone_parent":
            ma = r.randint(18, 50)
            if r.random() < 0.9:
                mother = person("F", self.dob_for_age(ma, ma), "parent", adult_surname("F"))
                father_surname = self.surname_for(self.family_surname(eth), "M", eth)
            else:
                mother = person("M", self.dob_for_age(ma, ma), "parent", adult_surname("M"))
                father_surname = None
            self.children(hh, mother, None, False, members, person, father_surname=father_surname)
        hh["members"] = members
        self.people.extend(members)

    def children(self, hh, mother, father, married, members, person, father_surname=None):
        r = self.rng
        eth = hh["eth"]
        n = r.choices([1, 2, 3, 4, 5, 6], [30, 36, 20, 9, 4, 1])[0]
        first = self.rand_date(mother.dob + D(days=int(18 * 365.25)), mother.dob + D(days=int(30 * 365.25)))
        if first < REF - D(days=24 * 365):
            # children older than 24 have left the household: the eldest still at home is 0-24
            first = self.rand_date(REF - D(days=24 * 365), REF - D(days=2 * 365))
        d = first
        double = (not married) and father is not None and eth in ("white", "irish", "black") and r.random() < 0.12
        kids_surname_from_father = father is not None or (father_surname and r.random() < 0.5)
        dad_names = [father.given] if father else []
        made = 0
        used_names = [m.given for m in members]
        while made < n and d < REF - D(days=10):
            twins = r.random() < 0.016
            births = 2 if twins else 1
            prev_given = used_names      # siblings (and parents) keep distinct names; the Jr case is below
            for _ in range(births):
                sex = r.choice("MF")
                if father is not None:
                    base = father.surname
                elif kids_surname_from_father:
                    base = father_surname if eth != "polish" else father_surname
                else:
                    base = mother.birth_surname if eth != "polish" else mother.surname
                if eth == "polish" and isinstance(base, str):
                    # feminine forms for daughters where the family name is gendered
                    for m_, f_, _w in SURNAMES_POLISH:
                        if base in (m_, f_):
                            base = m_ if sex == "M" else f_
                if eth == "sikh":
                    base = ("Singh" if sex == "M" else "Kaur") if r.random() < 0.6 else (father.surname if father and father.surname not in ("Singh",) else self.family_surname("sikh"))
                if eth == "bangla" and sex == "F" and r.random() < 0.25:
                    base = "Begum"
                if double and mother.birth_surname != base and "-" not in base + mother.birth_surname:
                    base = mother.birth_surname + "-" + base
                    self.stats["double-barrelled children"] += 1
                c = person(sex, d, "child", base)
                # distinct from parents and older siblings, and from a twin (no Harry/Henry twins)
                tries = 0
                while related_name(c.given, prev_given) and tries < 40:
                    c.given = self.given_for(sex, d, eth)
                    tries += 1
                if father and sex == "M" and r.random() < 0.04 and not twins:
                    c.given = father.given        # named after father (Jr)
                    self.stats["sons named after father"] += 1
                if c.middle == c.given:
                    c.middle = None
                prev_given.append(c.given)
                if twins:
                    self.stats["twins (persons)"] += 1
                made += 1
            d = d + D(days=r.randint(330, 5 * 365))
        # a child known by a step-parent's surname in some agencies
        for c in members:
            if c.role == "child" and father is None and r.random() < 0.08:
                c.known_as_surname = self.surname_for(self.family_surname(eth), "M", eth) if eth != "sikh" else None
                if c.known_as_surname:
                    self.stats["child known by another surname"] += 1
        # some adult children have left home recently
        for c in members:
            if c.role == "child" and c.age() >= 18 and r.random() < 0.35:
                left = self.rand_date(max(c.dob.replace(year=c.dob.year + 18) if not (c.dob.month == 2 and c.dob.day == 29) else dt.date(c.dob.year + 18, 3, 1), REF - D(days=4 * 365)), REF - D(days=15))
                c.addr = [x for x in c.addr if x[0] <= left] + [(left, self.world.new_address(True))]
                self.stats["adult children left home"] += 1


# --------------------------------------------------------------------------------------------
# Which agencies hold whom
# --------------------------------------------------------------------------------------------
AGENCIES = ["police", "health", "education", "probation", "childrens_social_care", "adult_social_care"]


def choose_agencies(g, p):
    r = g.rng
    risk = p.hh["risk"]
    age = p.age()
    ri = {"none": 0, "low": 1, "high": 2}[risk]
    out = []
    if r.random() < 0.93:
        out.append("health")
    if 4 <= age <= 18 and r.random() < (0.93 if age <= 16 else 0.6):
        out.append("education")
    if age >= 10:
        pol = [0.32, 0.62, 0.90][ri] * (1.3 if p.sex == "M" else 0.8)
        if age >= 70:
            pol *= 0.3
    else:
        pol = [0.06, 0.20, 0.45][ri]
    if r.random() < pol:
        out.append("police")
    if 18 <= age <= 75:
        pro = [0.04, 0.16, 0.40][ri] * (1.6 if p.sex == "M" else 0.45) * (0.4 if age > 55 else 1.0)
        if r.random() < pro:
            out.append("probation")
    if age < 18:
        csc = [0.32, 0.70, 0.95][ri]
    elif p.role == "parent" and any(m.age() < 18 for m in p.hh["members"]):
        csc = [0.10, 0.40, 0.70][ri]
    elif age <= 25:
        csc = [0.02, 0.10, 0.30][ri]       # care leavers
    else:
        csc = 0.0
    if r.random() < csc:
        out.append("childrens_social_care")
    if age >= 18:
        asc = ([0.60, 0.72, 0.80][ri] if age >= 65 else [0.10, 0.24, 0.40][ri])
        if r.random() < asc:
            out.append("adult_social_care")
    if len(out) > 4:
        keep = ["health"] if "health" in out else []
        rest = [a for a in out if a not in keep]
        r.shuffle(rest)
        out = keep + rest[:4 - len(keep)]
    if not out:
        out = ["health"] if r.random() < 0.7 else [r.choice(["police", "adult_social_care"] if age >= 18 else ["education" if age >= 4 else "health", "childrens_social_care"])]
    return out


# --------------------------------------------------------------------------------------------
# Recording noise, per agency
# --------------------------------------------------------------------------------------------
# rate table: (nickname use, name typo, dob missing, dob day/month swap, dob off-by-one day, dob off-by-one
#              year, postcode missing, sex missing, record age profile)
RATES = {
    #                     nick  typo  dobmiss swap  day   year  pcmiss sexmiss
    "police":            (0.40, 0.035, 0.05, 0.015, 0.012, 0.010, 0.08, 0.02),
    "health":            (0.05, 0.010, 0.002, 0.004, 0.004, 0.003, 0.015, 0.005),
    "education":         (0.10, 0.012, 0.000, 0.006, 0.006, 0.004, 0.02, 0.00),
    "probation":         (0.20, 0.020, 0.004, 0.010, 0.008, 0.006, 0.06, 0.005),
    "childrens_social_care": (0.25, 0.025, 0.010, 0.012, 0.010, 0.008, 0.04, 0.01),
    "adult_social_care": (0.30, 0.020, 0.005, 0.012, 0.010, 0.008, 0.03, 0.01),
}
DUP_RATE = {"police": 0.03, "health": 0.012, "education": 0.006, "probation": 0.012,
            "childrens_social_care": 0.025, "adult_social_care": 0.015}
KEYB = {c: n for c, n in zip("qwertyuiopasdfghjklzxcvbnm",
                             ["wa", "qes", "wrd", "etf", "ryg", "tuh", "yij", "uok", "ipl", "ol", "qsz", "awdx",
                              "sefc", "drgv", "fthb", "gyjn", "hukm", "jil", "kop", "asx", "zdc", "xfv", "cgb",
                              "vhn", "bjm", "nk"])}


def typo(r, s):
    if len(s) < 3:
        return s
    i = r.randint(1, len(s) - 2)         # keep first letter mostly, as transcription errors do
    op = r.choice(["ins", "del", "sub", "swap"])
    c = s[i].lower()
    near = KEYB.get(c, "aeiou")
    if op == "ins":
        t = s[:i] + r.choice(near + s[i].lower()) + s[i:]
    elif op == "del":
        t = s[:i] + s[i + 1:]
    elif op == "sub":
        t = s[:i] + r.choice(near) + s[i + 1:]
    else:
        if i + 1 >= len(s):
            i -= 1
        t = s[:i] + s[i + 1] + s[i] + s[i + 2:]
    if t == s:
        t = s[:i] + s[i + 1:]
    if s[i].isupper() and i < len(t):
        t = t[:i] + t[i].upper() + t[i + 1:]
    return t


def strip_diacritics(s):
    table = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻëöüïâêîôûÀÉÈéèáàíóúâÂ", "acelnoszzACELNOSZZeouiaeiouAEEeeaaiouaA")
    return s.translate(table)


def record_date(g, agency, p):
    """When the record's demographics were last updated."""
    r = g.rng
    if agency == "health":
        back = r.randint(0, 365) if r.random() < 0.85 else r.randint(365, 6 * 365)
    elif agency == "education":
        back = r.randint(0, 300)
    elif agency == "police":
        back = r.randint(0, 10 * 365) if r.random() < 0.7 else r.randint(0, 365)
    elif agency == "probation":
        back = r.randint(0, 8 * 365)
    elif agency == "childrens_social_care":
        back = r.randint(0, 6 * 365) if r.random() < 0.5 else r.randint(0, 365)
    else:
        back = r.randint(0, 5 * 365)
    d = REF - D(days=back)
    lo = {"police": 10, "probation": 18, "education": 4, "adult_social_care": 18}.get(agency, 0)
    floor = p.dob + D(days=int(lo * 365.25) + 10)
    if d < floor:      # the record cannot predate the person (or the agency's minimum age): any time since
        d = g.rand_date(floor, REF) if floor <= REF else REF
    return d


def noisy_record(g, agency, p, dup=False):
    """The values an agency's system holds for person p (before the agency's formatting)."""
    r = g.rng
    nick, ntypo, dobmiss, swap, offday, offyear, pcmiss, sexmiss = RATES[agency]
    rd = record_date(g, agency, p)
    if dup:       # a duplicate is usually a stale record made at an earlier contact
        rd = REF - D(days=r.randint(200, 9 * 365))
        rd = max(rd, p.dob + D(days=10))
    v = {"rd": rd, "flags": []}
    given = p.given
    if p.name_pref and r.random() < nick * 2:
        given = p.name_pref
        v["flags"].append("nickname")
    elif given in NICK and NICK[given] and r.random() < nick * 0.5:
        given = r.choice(NICK[given])
        v["flags"].append("nickname")
    if given in TRANS_OF and r.random() < 0.35:
        given = r.choice(TRANS_OF[given])
        if given != p.given:
            v["flags"].append("spelling variant")
    if p.age(rd) < 0 or (p.age(rd) == 0 and (rd - p.dob).days < 42 and agency in ("health", "childrens_social_care") and r.random() < 0.5):
        given = "Baby"          # newborn registered before naming
        v["flags"].append("baby")
    if r.random() < ntypo:
        given = typo(r, given)
        v["flags"].append("given typo")
    middle = p.middle
    surname = p.surname_at(rd)
    if surname != p.surname:
        v["flags"].append("former surname")
    if p.known_as_surname and agency in ("police", "education", "childrens_social_care") and r.random() < 0.6:
        surname = p.known_as_surname
        v["flags"].append("known-as surname")
    if surname in STRANS_OF and r.random() < 0.3:
        s2 = r.choice(STRANS_OF[surname])
        if s2 != surname:
            surname = s2
            v["flags"].append("surname spelling variant")
    if "-" in surname:
        x = r.random()
        if x < 0.35:
            surname = r.choice(surname.split("-"))
            v["flags"].append("one part of double-barrelled")
        elif x < 0.45:
            surname = surname.replace("-", " ")
    if r.random() < ntypo:
        surname = typo(r, surname)
        v["flags"].append("surname typo")
    if r.random() < 0.004:
        given, surname = surname, given
        v["flags"].append("names transposed")
    v["given"], v["middle"], v["surname"] = given, middle, surname
    # previous surname (health holds it from PDS)
    v["former"] = p.birth_surname if p.birth_surname != p.surname else None
    # date of birth
    dob = p.dob
    x = r.random()
    if x < dobmiss:
        dob = None
        v["flags"].append("dob missing")
    else:
        y = r.random()
        if y < swap and dob.day <= 12 and dob.day != dob.month:
            dob = dt.date(dob.year, dob.day, dob.month)
            v["flags"].append("dob day/month swapped")
        elif y < swap + offday:
            dob = dob + D(days=r.choice([-1, 1]))
            v["flags"].append("dob off by a day")
        elif y < swap + offday + offyear:
            try:
                dob = dob.replace(year=dob.year + r.choice([-1, 1]))
            except ValueError:
                dob = dob + D(days=365)
            v["flags"].append("dob off by a year")
        if agency == "police" and r.random() < 0.006:
            dob = dt.date(dob.year, 1, 1)        # estimated DOB convention
            v["flags"].append("dob estimated 01/01")
        if dob > REF:
            dob = p.dob
    v["dob"] = dob
    # sex
    sex = p.sex
    if r.random() < sexmiss:
        sex = None
        v["flags"].append("sex missing")
    elif r.random() < 0.003:
        sex = "F" if sex == "M" else "M"
        v["flags"].append("sex wrong")
    v["sex"] = sex
    # address at record date
    a = p.address_at(rd)
    if a is not p.addr[-1][1]:
        v["flags"].append("old address")
    v["addr"] = a
    pc = a.postcode
    if r.random() < pcmiss:
        pc = None
        v["flags"].append("postcode missing")
    elif r.random() < 0.006:
        out, inw = pc.split()
        inw = inw[0] + r.choice(INWARD_LETTERS) + inw[2] if r.random() < 0.5 else inw[:2] + r.choice(INWARD_LETTERS)
        pc = out + " " + inw
        v["flags"].append("postcode typo")
    v["postcode"] = pc
    # NHS number
    nhs = p.nhs
    if nhs and r.random() < 0.002:
        i = r.randint(0, 8)
        nhs = nhs[:i] + str((int(nhs[i]) + r.randint(1, 9)) % 10) + nhs[i + 1:]
        v["flags"].append("nhs typo")
    v["nhs"] = nhs
    return v


def fmt_date(d, style):
    if d is None:
        return ""
    if style == "dmy":
        return d.strftime("%d/%m/%Y")
    if style == "iso":
        return d.isoformat()
    if style == "dmy_nopad":
        return "%d/%d/%d" % (d.day, d.month, d.year)
    if style == "oracle":
        return d.strftime("%d-%b-%Y").upper()
    if style == "sqldt":
        return d.isoformat() + " 00:00:00"
    raise ValueError(style)


def fmt_pc(pc, r, lower_nospace=0.0, nospace=0.0):
    if pc is None:
        return ""
    x = r.random()
    if x < lower_nospace:
        return pc.replace(" ", "").lower()
    if x < lower_nospace + nospace:
        return pc.replace(" ", "")
    return pc


def street_text(a, r, abbrev_p):
    suf = a.suffix[1] if r.random() < abbrev_p else a.suffix[0]
    return "%d %s %s" % (a.number, a.street_root, suf)


def apostrophe(s, style):
    if "'" not in s:
        return s
    if style == "drop":
        return s.replace("'", "")
    if style == "space":
        return s.replace("'", " ")
    return s


# ---- free-text safeguarding notes
NOTE_BITS = {
    "police": ["DA incident attended, DASH risk {risk}. Children present: {kids}.",
               "Missing from home episode, located {when} at \"{place}\".",
               "Named as suspect in theft from shop; NFA.",
               "Welfare check requested by neighbour, no concerns, officer {off}.",
               "Victim of assault {when}; statement taken, declined further support.",
               "MARAC referral made {when}. Flag: weapons at address?\nReview at next MARAC.",
               "CSE risk indicators noted (older associates, new phone). Referred to MASH.",
               "Arrested for possession with intent {when}; bail conditions: not to contact {kids}."],
    "health": ["Safeguarding flag on GP record. Not brought to {n} appointments.",
               "A&E attendance {when}: injury inconsistent with explanation, paeds review.",
               "Health visitor: home conditions poor, referred to early help.",
               "Mental health crisis team involvement {when}; risk to self.",
               "Maternity: late booking, concealed pregnancy, DA disclosed.",
               "Frequent attender; alcohol-related presentations x{n}."],
    "education": ["Attendance {pct}% this term; persistent absence letters sent.",
                  "DSL note: disclosed \"shouting at home\", monitoring.",
                  "Arrives hungry, uniform unwashed; breakfast club offered.",
                  "EHCP in place; SEMH needs. Fixed-term exclusion {when}.",
                  "Child missing education from {when}; CME referral."],
    "probation": ["MAPPA level {lvl}. OASys risk of serious harm: {risk}.",
                  "On licence until {when}; exclusion zone around {place}.",
                  "DA perpetrator programme, attended {n}/24 sessions.",
                  "Breach proceedings {when}. Lives with partner and {kids}."],
    "childrens_social_care": ["CIN plan since {when}; neglect.",
                              "Section 47 enquiry {when}; outcome: CP plan, category emotional abuse.",
                              "Looked after child, placement with foster carers; contact with mother supervised.",
                              "Early help assessment closed {when}, stepped up to social care.",
                              "Strategy discussion {when} re: physical abuse. Siblings: {kids}."],
    "adult_social_care": ["Section 42 enquiry {when}: financial abuse by family member.",
                          "Self-neglect, hoarding; fire service home safety visit.",
                          "Care Act assessment, eligible needs; package of care 4x daily.",
                          "Concern raised by carer: unexplained bruising. Enquiry opened {when}.",
                          "DoLS authorisation in place; lacks capacity re: residence."],
}


def note_for(g, agency, p):
    r = g.rng
    if r.random() < 0.15:
        return ""
    t = r.choice(NOTE_BITS[agency])
    kids = [m.given for m in p.hh["members"] if m.role == "child" and m is not p][:3]
    when = fmt_date(g.rand_date(REF - D(days=4 * 365), REF), "dmy")
    return t.format(risk=r.choice(["standard", "medium", "high"]), kids=", ".join(kids) or "none",
                    when=when, place=r.choice(["Forster Square", "the Interchange", "a friend's address"]),
                    off=r.randint(1000, 9999), n=r.randint(2, 9), pct=r.randint(40, 89), lvl=r.randint(1, 3))


# ---- rows per agency
def row_police(g, p, v, rid):
    r = g.rng
    up = lambda s: (s or "").upper()
    a = v["addr"]
    addr1 = street_text(a, r, 0.5).upper()
    if a.flat:
        addr1 = "FLAT %d %s" % (a.flat, addr1)
    given = strip_diacritics(v["given"])
    fore2 = strip_diacritics(v["middle"].split()[0]) if v["middle"] and r.random() < 0.5 else ""
    sur = apostrophe(strip_diacritics(v["surname"]), r.choice(["keep", "keep", "drop", "space"]))
    pnc = p.pnc or ""
    return {"NominalRef": rid, "PNC_ID": pnc, "Surname": up(sur), "Forename": up(given), "Forename2": up(fore2),
            "DOB": fmt_date(v["dob"], "dmy"), "Gender": {"M": "M", "F": "F", None: "U"}[v["sex"]],
            "Address1": addr1, "Town": a.town.upper(), "Postcode": fmt_pc(v["postcode"], r, 0, 0.15).upper(),
            "Ethnicity": "", "OccurrenceNotes": note_for(g, "police", p)}


def row_health(g, p, v, rid):
    r = g.rng
    a = v["addr"]
    if a.flat:
        l1, l2 = "Flat %d" % a.flat, street_text(a, r, 0.05)
    else:
        l1, l2 = street_text(a, r, 0.05), a.locality
    nhs = v["nhs"] if r.random() < 0.97 else ""
    if nhs and r.random() < 0.2:
        nhs = "%s %s %s" % (nhs[:3], nhs[3:6], nhs[6:])
    title = {"M": "Mr", "F": r.choice(["Mrs", "Ms", "Miss"]), None: ""}[v["sex"]] if p.age(v["rd"]) >= 16 else ""
    return {"record_id": rid, "nhs_number": nhs, "title": title, "first_name": v["given"],
            "middle_names": v["middle"] or "", "last_name": v["surname"],
            "previous_surname": (v["former"] or "") if (v["former"] and v["former"] != v["surname"] and r.random() < 0.6) else "",
            "date_of_birth": fmt_date(v["dob"], "iso"), "sex": {"M": "Male", "F": "Female", None: "Unknown"}[v["sex"]],
            "address_line_1": l1, "address_line_2": l2, "address_line_3": a.town,
            "post_code": fmt_pc(v["postcode"], r, 0, 0.1),
            "gp_practice": "B8%04d" % r.randint(1000, 1200), "safeguarding_notes": note_for(g, "health", p)}


def row_education(g, p, v, rid):
    r = g.rng
    a = v["addr"]
    addr = ", ".join(x for x in [("Flat %d" % a.flat) if a.flat else "", street_text(a, r, 0.2), a.locality, a.town] if x)
    if p.upn is None:
        p.upn = g.new_upn(p.dob)
    sur = apostrophe(v["surname"], "drop")         # the MIS strips apostrophes
    pref = v["given"] if v["given"] != p.given and r.random() < 0.5 else ""
    legal = p.given if pref else v["given"]
    return {"PupilID": rid, "UPN": p.upn, "LastName": sur, "FirstName": legal, "PreferredName": pref,
            "MiddleNames": v["middle"] or "", "BirthDate": fmt_date(v["dob"], "dmy_nopad"),
            "Gender": {"M": "M", "F": "F", None: ""}[v["sex"]], "Address": addr,
            "PostCode": fmt_pc(v["postcode"], r, 0.25, 0.1), "YearGroup": str(max(0, min(13, p.age(dt.date(2026, 8, 31)) - 4))),
            "SEN": r.choice(["", "", "", "K", "E"]), "DSL_Notes": note_for(g, "education", p)}


def row_probation(g, p, v, rid):
    r = g.rng
    a = v["addr"]
    line = street_text(a, r, 0.6)
    if a.flat:
        line = "%d/%s" % (a.flat, line) if r.random() < 0.5 else "Flat %d, %s" % (a.flat, line)
    sur = strip_diacritics(v["surname"]).upper()
    given = strip_diacritics(v["given"])
    pad = "   " if r.random() < 0.05 else ""
    return {"CRN": rid, "PNC_Number": p.pnc or "", "SURNAME": sur + pad, "FIRST_NAME": given + pad,
            "SECOND_NAME": strip_diacritics(v["middle"] or ""), "DATE_OF_BIRTH": fmt_date(v["dob"], "oracle"),
            "GENDER": {"M": "Male", "F": "Female", None: "Not Known"}[v["sex"]],
            "ADDRESS_LINE_1": line, "TOWN": a.town, "POSTCODE": fmt_pc(v["postcode"], r, 0, 0.3),
            "TIER": r.choice(["A1", "B2", "C3", "D0"]), "RiskSummary": note_for(g, "probation", p)}


def row_csc(g, p, v, rid):
    r = g.rng
    a = v["addr"]
    nhs = v["nhs"] if r.random() < 0.45 else ""
    given = v["given"]
    sur = v["surname"]
    if r.random() < 0.1:
        given, sur = given.lower(), sur.lower()
    house = ("Flat %d, %d" % (a.flat, a.number)) if a.flat else str(a.number)
    upn = (p.upn or "") if r.random() < 0.5 else ""
    return {"PersonID": rid, "Forename": given, "Surname": sur, "DateOfBirth": fmt_date(v["dob"], "sqldt"),
            "Gender": {"M": "Male", "F": "Female", None: "Not Known"}[v["sex"]], "NHSNumber": nhs, "UPN": upn,
            "HouseNo": house, "Street": "%s %s" % (a.street_root, a.suffix[0]), "Town": a.town,
            "Postcode": fmt_pc(v["postcode"], r, 0.05, 0.05),
            "LegalStatus": r.choice(["", "", "CIN", "CP", "LAC"]), "CaseNotes": note_for(g, "childrens_social_care", p)}


def row_asc(g, p, v, rid):
    r = g.rng
    a = v["addr"]
    nhs = v["nhs"] if r.random() < 0.88 else ""
    if nhs and r.random() < 0.6:
        nhs = "%s %s %s" % (nhs[:3], nhs[3:6], nhs[6:])
    addr = street_text(a, r, 0.25)
    if a.flat:
        addr = "Flat %d %s" % (a.flat, addr)
    return {"Client_Ref": rid, "NHS_No": nhs, "First Name": v["given"], "Surname": v["surname"],
            "Date of Birth": fmt_date(v["dob"], "dmy"), "Gender": {"M": "Male", "F": "Female", None: "Unknown"}[v["sex"]],
            "Address": addr, "Postcode": fmt_pc(v["postcode"], r, 0.35, 0.1),
            "Primary Support Reason": r.choice(["Physical support", "Memory and cognition", "Learning disability", "Mental health", "Social support"]),
            "Safeguarding Concern": note_for(g, "adult_social_care", p)}


ROWF = {"police": row_police, "health": row_health, "education": row_education, "probation": row_probation,
        "childrens_social_care": row_csc, "adult_social_care": row_asc}
ID_FMT = {"police": lambda n: "NOM%07d" % n, "health": lambda n: "RHX%06d" % n, "education": lambda n: str(200000 + n),
          "probation": lambda n: "X%06d" % n, "childrens_social_care": lambda n: str(1000000 + n),
          "adult_social_care": lambda n: "ASC-%06d" % n}
# files as the systems export them
FILE_OPTS = {"police": {"lineterminator": "\r\n", "bom": False},
             "health": {"lineterminator": "\n", "bom": False},
             "education": {"lineterminator": "\r\n", "bom": False},
             "probation": {"lineterminator": "\n", "bom": False},
             "childrens_social_care": {"lineterminator": "\r\n", "bom": False},
             "adult_social_care": {"lineterminator": "\r\n", "bom": True}}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=15000)
    ap.add_argument("--seed", type=int, default=4417)
    ap.add_argument("--out", default="data")
    args = ap.parse_args()
    g = Gen(args.seed, args.persons)
    g.make()
    r = g.rng
    os.makedirs(args.out, exist_ok=True)
    rows = defaultdict(list)
    truth = []
    rec_flags = []
    flags = defaultdict(Counter)
    per_person = Counter()
    n_id = Counter()
    # PNC ids for anyone police or probation will hold
    holdings = {}
    for p in g.people:
        holdings[p.pid] = choose_agencies(g, p)
        if "police" in holdings[p.pid] or "probation" in holdings[p.pid]:
            p.pnc = "%02d/%06d%s" % (r.randint(0, 26), r.randint(0, 999999), r.choice("ABCDEFGHJKLMNPQRTUVWXYZ"))
    order = list(g.people)
    for p in order:
        for a in holdings[p.pid]:
            copies = 2 if r.random() < DUP_RATE[a] else 1
            for k in range(copies):
                n_id[a] += 1
                rid = ID_FMT[a](n_id[a] * 3 + r.randint(0, 2))
                v = noisy_record(g, a, p, dup=(k == 1))
                if a == "probation" and p.pnc and r.random() < 0.25:
                    pass
                row = ROWF[a](g, p, v, rid)
                if a == "probation" and r.random() < 0.3:
                    row["PNC_Number"] = ""
                if a == "police" and r.random() < 0.4:
                    row["PNC_ID"] = ""
                rows[a].append(row)
                truth.append((a, rid, p.pid))
                rec_flags.append((a, rid, p.pid, v["rd"].isoformat(), ";".join(v["flags"] + (["duplicate in agency"] if k == 1 else []))))
                for f in v["flags"]:
                    flags[a][f] += 1
                if k == 1:
                    flags[a]["duplicate in agency"] += 1
        per_person[len(holdings[p.pid])] += 1
    # shuffle row order within each file (extracts are not in household order)
    for a in AGENCIES:
        r.shuffle(rows[a])
        opts = FILE_OPTS[a]
        path = os.path.join(args.out, a + ".csv")
        with open(path, "w", newline="", encoding="utf-8-sig" if opts["bom"] else "utf-8") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[a][0].keys()), lineterminator=opts["lineterminator"])
            w.writeheader()
            w.writerows(rows[a])
    with open(os.path.join(args.out, "truth.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["agency", "record", "person"])
        w.writerows(truth)
    with open(os.path.join(args.out, "record_flags.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["agency", "record", "person", "recorded_on", "variations"])
        w.writerows(rec_flags)
    with open(os.path.join(args.out, "persons.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["person", "household", "hh_kind", "risk", "eth", "role", "given", "middle", "surname",
                    "birth_surname", "marriage", "sex", "dob", "nhs", "known_as_surname", "name_pref", "addresses"])
        for p in g.people:
            w.writerow([p.pid, p.hh["id"], p.hh["kind"], p.hh["risk"], p.eth, p.role, p.given, p.middle or "",
                        p.surname, p.birth_surname, p.marriage or "", p.sex, p.dob, p.nhs or "",
                        p.known_as_surname or "", p.name_pref or "",
                        " | ".join("%s: %s%d %s %s, %s" % (d0, ("Flat %d, " % a.flat) if a.flat else "", a.number,
                                                            a.street_root, a.suffix[0], a.postcode) for d0, a in p.addr)])
    # summary
    total = sum(len(rows[a]) for a in AGENCIES)
    lines = ["persons %d in %d households; rows %d" % (len(g.people), len(g.households), total)]
    lines.append("agencies per person: " + ", ".join("%d: %d" % (k, per_person[k]) for k in sorted(per_person)))
    lines.append("household kinds: " + ", ".join("%s %d" % kv for kv in sorted(Counter(h["kind"] for h in g.households).items())))
    lines.append("ethnic groups (persons): " + ", ".join("%s %d" % kv for kv in sorted(Counter(p.eth for p in g.people).items())))
    for k, v in sorted(g.stats.items()):
        lines.append("%s: %d" % (k, v))
    for a in AGENCIES:
        n = len(rows[a])
        lines.append("")
        lines.append("%s: %d rows" % (a, n))
        for f, c in sorted(flags[a].items(), key=lambda kv: -kv[1]):
            lines.append("  %-32s %6d  (%.2f%%)" % (f, c, 100.0 * c / n))
    # namesakes: same given+surname+dob across different persons
    key = Counter((p.given, p.surname) for p in g.people)
    lines.append("")
    lines.append("persons sharing their given name and surname with another person: %d" % sum(c for c in key.values() if c > 1))
    open(os.path.join(args.out, "summary.txt"), "w").write("\n".join(lines) + "\n")
    print("\n".join(lines[:3]))


if __name__ == "__main__":
    main()
