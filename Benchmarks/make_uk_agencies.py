#!/usr/bin/env python3
"""Deterministic synthetic UK multi-agency extracts for linkage evaluation.

Simulates a population of persons living in households (families with
siblings and twins, multi-generational households, couples, single adults,
house shares of unrelated adults), then writes what six agencies would hold
about them, each in its own column naming, date format and sex coding:

    police, health, education, probation, childrens_social_care,
    adult_social_care

Each agency record of a person is derived independently from the person's
true details with plausible errors and variations (nicknames and spelling
families, typos, apostrophes and hyphens, case, marriage/divorce surname
changes, day/month swaps, off-by-one dates, missing values, house moves,
postcode typos, address abbreviations, middle names dropped or swapped...).
Which variations were applied is recorded nowhere except as counts in
summary.txt; truth.csv holds only agency, record id and person id.

Everything is synthetic: names are drawn from frequency-weighted lists of
common names, addresses and postcodes are made up (real-looking format),
NHS numbers are random 9-digit bodies with a valid modulus-11 check digit,
and payload columns hold "Note <n>".

Outputs in --out DIR:
    police.csv health.csv education.csv probation.csv
    childrens_social_care.csv adult_social_care.csv
    truth.csv                 agency,record,person (one line per agency row)
    summary.txt               counts
    <agency>.schema.json      mashlink linkage schema for each agency

Python 3.11 standard library only. Same arguments -> byte-identical output.
Rows are streamed (households are generated one at a time and each agency's
rows are shuffled in chunks of --chunk rows before record ids are given),
so memory stays small and time is linear in --persons.

    python3 Benchmarks/make_uk_agencies.py --persons 20000 --out /tmp/uk6
"""
import argparse
import bisect
import csv
import datetime as dt
import itertools
import json
import os
import random
import sys
import time
import unicodedata
from collections import Counter

# ---------------------------------------------------------------------------
# Name data (synthetic frequency weights: Zipf-like over list order)
# ---------------------------------------------------------------------------

SURNAMES = {
    "english": """Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson
        Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Jackson Wood Turner
        Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott
        Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson
        Bailey Collins Bell Shaw Murphy Miller Cox Richards Marshall Anderson Simpson Ellis Adams
        Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Hunt Campbell
        Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens
        Jenkins Dixon Fletcher Howard Pearson Gibson Andrews Reynolds Hamilton Ford Harvey Saunders
        Ellison Kennedy Holland Lawrence Payne Pearce Dawson Spencer Berry Wells Hart Graham Rose
        Hudson Armstrong Lane Booth Stone Gardner Newman Burton Fox Watts Hawkins Dean Nicholson Lucas
        Hunter Riley Atkinson Bradley Hopkins Stephens Porter Goodwin Holt Perry Day Cole Parkinson
        Chambers Slater Bird Hodgson Shepherd Moss Cartwright Gregory Sutton Jarvis Whitehouse Lowe
        Bentley Marsh Sharp Tucker Ashworth Greenwood Naylor Jones-Evans Smith-Jones Taylor-Brown
        Parry-Jones Harding-Wells Ashby-Cole""".split(),
    "welsh": """Jones Williams Davies Evans Thomas Roberts Hughes Lewis Morgan Griffiths Edwards Price
        Jenkins Powell Rees Owen Lloyd Phillips James Morris Pritchard Parry Howells Bowen Vaughan Pugh
        Prosser Llewellyn Probert Watkins Harries Bevan Gwynne Meredith Rowlands Humphreys Ellis
        Griffith Hopkins Jenkin Gittins Pryce Lloyd-Jones Wyn-Jones""".split(),
    "scottish": """Smith Brown Wilson Campbell Stewart Thomson Robertson Anderson MacDonald Scott Reid
        Murray Taylor Clark Ross Watson Morrison Paterson Young Mitchell Walker Fraser Miller McDonald
        Gray Henderson Hamilton Johnston Duncan Graham Ferguson Kerr Davidson Bell Cameron Kelly
        Martin Hunter Allan Mackenzie Grant Simpson MacLeod McKenzie Black Russell Marshall Wallace
        Gibson Kennedy Gordon McLean Mackay Sutherland Buchanan Crawford McGregor Ritchie""".split(),
    "irish": """Murphy Kelly O'Sullivan Walsh Smith O'Brien Byrne Ryan O'Connor O'Neill O'Reilly Doyle
        McCarthy Gallagher O'Doherty Kennedy Lynch Murray Quinn Moore McLaughlin O'Carroll Connolly
        Daly O'Connell Wilson Dunne Brennan Burke Collins Campbell Clarke Johnston Hughes O'Farrell
        Fitzgerald Brown Martin Maguire Nolan Flynn Thompson O'Callaghan O'Donnell Duffy O'Mahony
        Boyle Healy O'Shea White Sweeney Hayes Kavanagh Power McGrath Moran Brady Stewart Casey
        O'Hara Regan""".split(),
    "sa_muslim": """Khan Ali Ahmed Hussain Begum Akhtar Iqbal Rahman Islam Mahmood Uddin Miah Bibi
        Chowdhury Shah Malik Butt Qureshi Siddiqui Sheikh Mirza Raja Aziz Anwar Rashid Hassan Karim
        Haque Hossain Bhatti Ahmad Javed Nawaz Riaz Saleem Aslam Akram Sultana Choudhury Mohammed
        Rehman Ullah Kauser Nazir Yousaf""".split(),
    "sa_sikh_hindu": """Singh Patel Kaur Sharma Kumar Gill Sandhu Sidhu Mistry Parmar Chauhan Dhillon Gupta
        Joshi Lal Das Shah Bains Grewal Johal Sahota Virdi Atwal Bhogal Sohal Kang Mann Rai Thind
        Solanki Desai Mehta Chopra Kapoor Malhotra Verma Nair Pillai Iyer Ladwa Lakhani Pandya""".split(),
    "polish": """Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański
        Woźniak Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski
        Nowakowski Pawłowski Michalski Nowicki Adamczyk Dudek Zając Wieczorek Jabłoński Król
        Majewski Olszewski Jaworski Wróbel Malinowski Pawlak Witkowski Walczak Stępień Górski
        Rutkowski Michalak Sikora Ostrowski Baran Duda Szewczyk Tomaszewski""".split(),
    "nigerian": """Okafor Adeyemi Okonkwo Adebayo Olawale Ogunleye Eze Nwosu Obi Okoro Adeleke Balogun
        Afolabi Bello Ibrahim Okeke Chukwu Onyeka Ogundipe Akinola Babatunde Oladipo Oyewole Uche
        Nnamdi Ojo Oni Ayodele Salami Adewale Oyelaran Abiodun Nwachukwu Ogunbiyi Adeniyi""".split(),
    "somali": """Mohamed Ahmed Ali Hassan Abdi Omar Osman Yusuf Warsame Farah Hussein Abdullahi Jama
        Aden Ismail Nur Said Egal Duale Abdirahman Mohamud Dahir Guled Hirsi Elmi Awale Adan Gedi""".split(),
}

# Long tail of rarer surnames (composed), so that the head names above are common but most
# surnames are not shared by half the street. Drawn with probability TAIL_SHARE[heritage].
_EN_PRE = """Ash Brad Crom Hart Wood Brook Shel Ather Black White Green Thorn Ald Bar Bur Cal Dar Ed Fair
    Farn Gold Hal Har Hay Hol Kel Kings Lang Lin Mar Mid New Nor Old Pen Ray Red Roth Salt Shep Stan
    Stock Sud Thur Wal War Wes Whit Win Wors Brom Chad Clif Cres Dun Elm Ful Glad Hen Hux Ing""".split()
_EN_SUF = """ley ford ton field well wood worth by ham combe den more bury land ridge sley stead wick
    borough dale hurst man shaw cote""".split()
_MC = """Alister Intyre Kay Iver Neil Phee Rae Ewan Guire Crae Gill Nab Lachlan Innes Kinnon Farlane
    Cormack Millan Gowan Queen Vicar Whirter Dougall Arthur Bride Cabe Call Cann Caskill Connell""".split()
_O = """Dwyer Keefe Rourke Halloran Gorman Leary Malley Toole Flaherty Grady Dea Driscoll Kane Meara
    Loughlin Sullivan Donoghue Riordan Hanlon Brien""".split()
_PL_STEM = """Bor Chmiel Dobr Glin Jastrz Kras Lis Mal Mrocz Pias Rad Sob Sosn Stan Wil Zal Zawad Kaczm
    Grzyb Pol Kur Wasil Lip Ryb Gaw""".split()
_NG_PRE = "Ade Olu Oye Aki Ogun Oba Ola Aji Ayo Fola Chi Nwa Oko Eze Ike Obi".split()
_NG_SUF = "bayo wale yemi nola tunde seun dipo kunle gbola mide nkwo kafor chukwu nna".split()
_SIKH_EXTRA = """Bhatia Sethi Anand Arora Khanna Bhalla Dhaliwal Sangha Uppal Hayer Basra Chahal Bhamra
    Purewal Hundal Rana Thakkar Vaghela Modi Pathak Trivedi Bhatt Amin Dave Rathod Makwana Jadeja Gohil
    Vyas Acharya""".split()
_EN_TAIL = [a + b for a in _EN_PRE for b in _EN_SUF]
SURNAME_TAILS = {
    "english": _EN_TAIL,
    "welsh": _EN_TAIL,
    "scottish": ["Mc" + x for x in _MC] + ["Mac" + x for x in _MC] + _EN_TAIL,
    "irish": ["O'" + x for x in _O] + ["Mc" + x for x in _MC] + _EN_TAIL,
    "sa_muslim": None,      # filled below from male given names (fathers' names used as surnames)
    "sa_sikh_hindu": _SIKH_EXTRA,
    "polish": [st + suf for st in _PL_STEM for suf in ("owski", "ewicz", "czak", "ak", "ecki")],
    "nigerian": [a + b for a in _NG_PRE for b in _NG_SUF],
    "somali": None,
}
TAIL_SHARE = {"english": 0.5, "welsh": 0.25, "scottish": 0.45, "irish": 0.4, "sa_muslim": 0.15,
              "sa_sikh_hindu": 0.3, "polish": 0.5, "nigerian": 0.6, "somali": 0.4}

# British/Irish given names by sex and birth cohort (upper bound of birth year).
COHORTS = (1955, 1975, 1995, 2010, 9999)
BRIT_GIVEN = {
    ("M", 1955): """John David Michael Peter Robert William James Brian Anthony Alan Kenneth George Richard
        Ronald Derek Keith Roy Raymond Colin Geoffrey Dennis Terence Barry Malcolm Trevor Harold Frank
        Arthur Stanley Thomas Edward Leslie Donald Norman Gordon Roger Graham Eric Ernest Albert""",
    ("M", 1975): """David Paul Mark Andrew John Michael Stephen Ian Robert Richard Peter Gary Steven
        Christopher Anthony Kevin Martin Simon Neil Darren Jonathan Nigel Philip Timothy Alan Graham
        Stuart Colin Keith Dean Lee Wayne Carl Jason Craig Nicholas Julian Russell Adrian William""",
    ("M", 1995): """Daniel Christopher James Matthew David Andrew Michael Mark Paul Richard Thomas Adam
        Jonathan Robert Lee Craig Stephen Benjamin Samuel Ryan Jamie Luke Scott Gareth Carl Joseph Simon
        Anthony Nicholas Peter Liam Ashley Dean Jason Kieran Jordan Alexander Steven William Edward""",
    ("M", 2010): """Jack Thomas James Joshua Daniel Harry Samuel Joseph Matthew Callum Luke William Lewis
        Ryan Benjamin Oliver Adam Alexander Jake Connor Liam Jordan Ethan Nathan George Charlie Kieran
        Bradley Dylan Tyler Owen Jacob Reece Aaron Cameron Alfie Max Henry Kyle Rhys""",
    ("M", 9999): """Oliver George Harry Noah Jack Leo Arthur Oscar Charlie Jacob Thomas Henry William
        Freddie Alfie Theo Archie Joshua James Isaac Lucas Edward Teddy Finley Max Ethan Logan Mason
        Reggie Tommy Albie Hugo Jude Rory Louie Ronnie Elijah Alexander Sonny Arlo""",
    ("F", 1955): """Margaret Mary Patricia Jean Sheila Joan Barbara Maureen Pauline Elizabeth Brenda
        Valerie Christine Dorothy Doreen Irene Kathleen Eileen Sylvia Jennifer Ann Anne Susan Janet
        Marion Betty Joyce Shirley Audrey Gillian Rosemary Hilda Iris Edna Gladys Vera Muriel Elsie
        Beryl Norma""",
    ("F", 1975): """Susan Julie Karen Sarah Tracey Alison Jacqueline Deborah Amanda Helen Elizabeth Lisa
        Nicola Joanne Michelle Claire Catherine Sharon Angela Jane Wendy Carol Lynn Dawn Gillian Linda
        Caroline Diane Kim Denise Teresa Mandy Louise Rachel Samantha Emma Paula Beverley Kathryn
        Jennifer Margaret""",
    ("F", 1995): """Sarah Emma Laura Rebecca Claire Gemma Rachel Kelly Lisa Nicola Victoria Amy Jennifer
        Hannah Charlotte Samantha Stacey Natalie Katherine Kirsty Louise Joanne Jessica Lauren Danielle
        Amanda Michelle Stephanie Zoe Hayley Leanne Kerry Jade Elizabeth Catherine Helen Lucy Katie
        Sophie Alexandra""",
    ("F", 2010): """Chloe Emily Megan Jessica Sophie Charlotte Hannah Lauren Rebecca Lucy Amy Georgia
        Katie Bethany Emma Olivia Ellie Abigail Holly Molly Jade Ella Grace Eleanor Amelia Leah Paige
        Shannon Courtney Natasha Caitlin Laura Elizabeth Rachel Jasmine Mia Sarah Danielle Zoe
        Alexandra""",
    ("F", 9999): """Olivia Amelia Isla Ava Lily Ivy Florence Freya Poppy Isabella Sophia Willow Grace
        Evie Elsie Rosie Mia Ella Daisy Sienna Emily Isabelle Charlotte Phoebe Harper Evelyn Sofia
        Matilda Alice Ruby Ellie Maya Millie Margot Thea Esme Luna Aria Hallie Emilia Elizabeth""",
}
HERITAGE_GIVEN = {
    ("welsh", "M"): """Dafydd Rhys Gareth Gethin Huw Ieuan Iwan Dylan Emyr Gwyn Owain Rhodri Aled Cai
        Tomos Osian Llewelyn Geraint Elis Ioan""",
    ("welsh", "F"): """Catrin Cerys Ffion Rhian Siân Nia Bethan Megan Carys Eleri Gwen Lowri Mared
        Angharad Seren Elin Manon Heledd Glenys Mair""",
    ("scottish", "M"): """Alistair Angus Callum Euan Fraser Hamish Iain Craig Ross Duncan Fergus Finlay
        Gregor Kenneth Lachlan Murray Ruaridh Stuart Struan Malcolm""",
    ("scottish", "F"): """Ailsa Catriona Eilidh Fiona Isla Kirsty Morag Mhairi Shona Skye Elspeth Iona
        Kirsteen Lorna Moira Rhona Sheena Ishbel Kirstie Jessie""",
    ("irish", "M"): """Sean Patrick Liam Ciaran Conor Declan Eoin Niall Padraig Cian Darragh Fionn Oisin
        Ronan Cathal Colm Donal Kieran Seamus Aidan""",
    ("irish", "F"): """Siobhan Niamh Aoife Ciara Roisin Saoirse Orla Sinead Aisling Grainne Mairead
        Caoimhe Clodagh Deirdre Eimear Maeve Nuala Sorcha Una Bridget""",
    ("sa_muslim", "M"): """Mohammed Muhammad Ahmed Ali Hassan Hussain Imran Bilal Usman Omar Zain Ibrahim
        Yusuf Adam Ayaan Hamza Zakariya Abdullah Tariq Khalid Asif Shahid Faisal Rizwan Adnan Kamran
        Javed Nasir Aman Mustafa Ismail Yasir Sajid Haroon Junaid Shoaib Arif Zubair Idris Musa""",
    ("sa_muslim", "F"): """Aisha Fatima Maryam Zainab Amina Hafsa Khadija Sana Noor Zara Ayesha Hira
        Iqra Sadia Nadia Shabana Nasreen Rukhsana Parveen Shazia Samina Yasmin Farah Alisha Anaya Inaya
        Safiya Sumaira Asma Bushra Humaira Saima Tahira Rabia Mehreen Nazia Ruksana Shamima Sabina""",
    ("sa_sikh_hindu", "M"): """Arjun Rohan Ravi Sanjay Rajesh Amit Vikram Harpreet Gurpreet Jaspreet
        Manpreet Amrit Ranjit Sukhdev Karan Nikhil Aryan Dev Vijay Suresh Anil Rahul Deepak Manoj
        Pardeep Kuldip Jasvir Baljit Harjit Gurdeep Kiran Ashok Dinesh Mahesh Hitesh Jatinder Sunil""",
    ("sa_sikh_hindu", "F"): """Priya Anjali Pooja Neha Sunita Meena Geeta Harpreet Gurpreet Jaspreet
        Manpreet Simran Navjot Kiran Rani Asha Deepa Riya Anika Shreya Tara Leena Rekha Kamaljit
        Parminder Rajinder Sukhvinder Balvinder Jasmeet Amrita Nisha Seema Usha Hema Divya Kavita""",
    ("polish", "M"): """Jakub Kacper Mateusz Michał Piotr Krzysztof Tomasz Paweł Łukasz Marcin Adam
        Grzegorz Wojciech Marek Andrzej Jan Szymon Bartosz Dawid Kamil Filip Antoni Aleksander Maciej
        Rafał Sebastian Damian Przemysław Artur Zbigniew""",
    ("polish", "F"): """Anna Katarzyna Małgorzata Agnieszka Barbara Ewa Magdalena Joanna Aleksandra
        Monika Zofia Zuzanna Julia Maja Natalia Karolina Marta Justyna Dorota Beata Paulina Weronika
        Oliwia Wiktoria Lena Hanna Alicja Patrycja Sylwia Iwona""",
    ("nigerian", "M"): """Oluwaseun Oluwatobi Adebayo Chukwuemeka Chinedu Emeka Tunde Babatunde Olumide
        Ayodele Femi Kunle Segun Chidi Ikenna Obinna Uchenna David Daniel Samuel Emmanuel Joshua Michael
        Victor Godwin Ifeanyi Kelechi Damilola Temitope Tobi""",
    ("nigerian", "F"): """Chioma Ngozi Adaeze Folake Funmilayo Olufunke Yetunde Bukola Temitope Damilola
        Chiamaka Nneka Amaka Ifeoma Adaobi Blessing Precious Grace Esther Deborah Favour Joy Mercy
        Titilayo Abimbola Omolara Kehinde Taiwo Ayomide Oluwadamilola""",
    ("somali", "M"): """Mohamed Abdi Abdirahman Abdullahi Ahmed Ali Hassan Hussein Ibrahim Ismail Omar
        Osman Yusuf Mustafa Khalid Abdikarim Abdiaziz Liban Guled Mahad Farah Said Jama Nur Bashir""",
    ("somali", "F"): """Amina Fadumo Hodan Halima Ifrah Khadra Hawa Sahra Asha Ayan Faduma Nimco Sagal
        Safiya Ubah Hibo Deeqa Ikran Muna Sumaya Fatima Maryan Hamdi Leyla Idil""",
}
SURNAME_TAILS["sa_muslim"] = HERITAGE_GIVEN[("sa_muslim", "M")].split()
SURNAME_TAILS["somali"] = HERITAGE_GIVEN[("somali", "M")].split()

# Share of given names drawn from the heritage-specific list (rest from the British cohort list).
HERITAGE_OWN_SHARE = {"english": 0.0, "welsh": 0.35, "scottish": 0.3, "irish": 0.45, "sa_muslim": 0.92,
                      "sa_sikh_hindu": 0.85, "polish": 0.9, "nigerian": 0.8, "somali": 0.95}
MIDDLE_NAME_P = {"english": 0.65, "welsh": 0.65, "scottish": 0.65, "irish": 0.6, "sa_muslim": 0.35,
                 "sa_sikh_hindu": 0.2, "polish": 0.3, "nigerian": 0.6, "somali": 0.2}
HERITAGE_WEIGHTS = {"english": 0.52, "welsh": 0.07, "scottish": 0.07, "irish": 0.05, "sa_muslim": 0.09,
                    "sa_sikh_hindu": 0.05, "polish": 0.06, "nigerian": 0.05, "somali": 0.04}
# Probability that a wife takes her husband's surname on marriage.
TAKES_NAME_P = {"english": 0.75, "welsh": 0.75, "scottish": 0.75, "irish": 0.75, "sa_muslim": 0.4,
                "sa_sikh_hindu": 0.6, "polish": 0.85, "nigerian": 0.8, "somali": 0.05}

# Diminutives and spelling/transliteration variants. Each entry: name -> alternatives.
_NICK = """
William: Bill Will Billy Liam | Elizabeth: Liz Beth Lizzie Betty Eliza | Margaret: Maggie Peggy Meg Maggy
Robert: Bob Rob Bobby Robbie | Katherine: Kate Katie Kathy Catherine Kathryn | Catherine: Kate Cathy Katherine Cath
Kathryn: Kate Kathy Katherine | Alexander: Alex Sandy Xander | Alexandra: Alex Alexa Sandra Lexi
James: Jim Jimmy Jamie | Thomas: Tom Tommy | Michael: Mike Mick Mickey | Richard: Rick Rich Dick Ricky
Christopher: Chris Kit | Daniel: Dan Danny | Matthew: Matt | Jonathan: Jon Jonny | Joseph: Joe Joey
Samuel: Sam Sammy | Benjamin: Ben Benji | Edward: Ed Eddie Ted Teddy | Anthony: Tony Ant | Patrick: Paddy Pat
Rebecca: Becky Becca | Jennifer: Jen Jenny | Victoria: Vicky Tori | Samantha: Sam Sammy | Jessica: Jess Jessie
Deborah: Debbie Debra | Susan: Sue Susie | Christine: Chris Chrissie | Patricia: Pat Trish Patsy
Jacqueline: Jackie Jacky | Nicholas: Nick Nicky | Stephen: Steve Steven | Steven: Steve Stephen | David: Dave Davy
Peter: Pete | Andrew: Andy Drew | Kenneth: Ken Kenny | Gareth: Gaz | Dafydd: Dai Dave David | Henry: Harry Hal
Frederick: Fred Freddie | Charlotte: Charlie Lottie | Charles: Charlie Chas Chuck | Eleanor: Ellie Nell Elle
Abigail: Abbie Abby | Nicola: Nicky Nikki | Zoe: Zoë Zoey | Chloe: Chloë | Sian: Siân Shan | Siân: Sian Shan
Sean: Shaun Shawn | Rhys: Reece Rees | Reece: Rhys | Callum: Calum | Lewis: Louis | Louis: Lewis
Joshua: Josh | Nathan: Nate | Oliver: Ollie | Alfie: Alfred | Isabella: Bella Izzy Isabel | Isabelle: Izzy Isabel Belle
Amelia: Millie Mia | Sophia: Sophie | Sophie: Sophia | Hannah: Hanna | Megan: Meg Meghan | Jacob: Jake | Jake: Jacob
Gillian: Gill Jill | Valerie: Val | Dorothy: Dot Dotty | Barbara: Barb Babs | Kathleen: Kath Kathy | Pauline: Paula
Raymond: Ray | Ronald: Ron Ronnie | Terence: Terry | Geoffrey: Geoff Jeff | Leslie: Les | Albert: Bert Albie
Arthur: Art Artie | Stanley: Stan | Donald: Don Donny | Gordon: Gordie | Malcolm: Mal | Trevor: Trev
Timothy: Tim Timmy | Philip: Phil | Nigel: Nige | Jason: Jay | Ashley: Ash | Bradley: Brad | Cameron: Cam
Alistair: Alasdair Alastair Ali | Iain: Ian | Ian: Iain | Ruaridh: Rory Ruairidh | Catriona: Katrina Trina
Kirsty: Kirstie Kirsten | Eilidh: Ailie | Padraig: Patrick Paddy | Siobhan: Shiv Shevaun | Niamh: Neve Neev
Seamus: Shay James | Ciaran: Kieran | Kieran: Ciaran Keiran | Aoife: Eva | Roisin: Rosheen Rose
Mohammed: Muhammad Mohamed Mohammad Muhammed Mohamad | Muhammad: Mohammed Mohamed Mohammad Muhammed
Mohamed: Mohammed Muhammad Mohamud Mohammad | Ahmed: Ahmad Ahmet | Aisha: Ayesha Aysha Aishah | Ayesha: Aisha Aysha
Yusuf: Yousef Yousuf Yusef Youssef | Fatima: Fatimah Fatma | Hussain: Hussein Husain | Hussein: Hussain Husain
Ibrahim: Ebrahim Ibraheem | Zainab: Zaynab Zenab | Khadija: Khadijah Khadeeja | Maryam: Mariam Maryum
Omar: Umar | Usman: Osman Othman | Osman: Usman Othman | Hassan: Hasan | Mustafa: Mostafa Mustapha
Abdullah: Abdulla | Abdullahi: Abdullah | Abdirahman: Abdi Abdurahman | Ismail: Ismael Esmail | Sahra: Sahro Zahra
Fadumo: Faduma Fatuma | Faduma: Fadumo Fatuma | Yasmin: Yasmine Jasmin | Safiya: Safia Saffiya | Amina: Aminah Ameena
Zakariya: Zakaria Zakariyya | Hamza: Hamzah | Idris: Idrees | Musa: Moosa | Tariq: Tarik | Asif: Aasif
Harpreet: Harprit | Gurpreet: Gurprit | Jaspreet: Jasprit | Manpreet: Manprit | Sukhdev: Sukh | Rajinder: Raj
Jatinder: Jat Jatin | Priya: Pria | Katarzyna: Kasia Kate | Małgorzata: Gosia Margaret | Aleksandra: Ola Alexandra
Jakub: Kuba Jacob | Michał: Michal Michael | Łukasz: Lukasz Lucas | Paweł: Pawel Paul | Piotr: Peter
Wojciech: Wojtek | Krzysztof: Krzys Chris | Tomasz: Tomek Tom | Agnieszka: Aga | Magdalena: Magda
Oluwaseun: Seun | Oluwatobi: Tobi | Adebayo: Bayo | Chukwuemeka: Emeka | Olufunke: Funke | Funmilayo: Funmi
Babatunde: Tunde | Oluwadamilola: Dami Damilola | Temitope: Tope | Olumide: Mide | Chiamaka: Amaka Chi
Abimbola: Bimbo | Oluwafemi: Femi | Ayodele: Ayo | Titilayo: Titi | Ifeanyi: Iffy
"""
NAME_VARIANTS = {}
for _chunk in _NICK.replace("\n", "|").split("|"):
    if ":" in _chunk:
        _k, _v = _chunk.split(":")
        NAME_VARIANTS[_k.strip()] = _v.split()
SURNAME_VARIANTS = {
    "Mohammed": ["Mohamed", "Muhammad", "Mohammad"], "Mohamed": ["Mohammed", "Mohamud"],
    "Hussain": ["Hussein", "Husain"], "Hussein": ["Hussain"], "Chowdhury": ["Choudhury", "Chaudhry"],
    "Choudhury": ["Chowdhury", "Chaudhry"], "Hossain": ["Hussain", "Hosain"], "Rahman": ["Rehman"],
    "Rehman": ["Rahman"], "Mahmood": ["Mahmud", "Mehmood"], "Akhtar": ["Akhter"], "Qureshi": ["Kureshi"],
    "Siddiqui": ["Siddiqi"], "Ahmed": ["Ahmad"], "Ahmad": ["Ahmed"], "Yusuf": ["Yousef", "Yusef"],
    "Abdullahi": ["Abdullah"], "Osman": ["Usman"], "Mohamud": ["Mohamed"], "Davies": ["Davis"],
    "Davis": ["Davies"], "Thomson": ["Thompson"], "Thompson": ["Thomson"], "Clarke": ["Clark"], "Clark": ["Clarke"],
    "Griffiths": ["Griffith"], "Philips": ["Phillips"], "Phillips": ["Philips"], "Stevens": ["Stephens"],
    "Stephens": ["Stevens"], "Reid": ["Read", "Reed"], "Llewellyn": ["Llewelyn"], "Pryce": ["Price"],
    "Mackenzie": ["MacKenzie", "McKenzie"], "McKenzie": ["Mackenzie"], "MacDonald": ["McDonald", "Macdonald"],
    "McDonald": ["MacDonald"], "MacLeod": ["McLeod"], "McGregor": ["MacGregor"], "Begum": ["Begun"],
}
# Polish gendered surname forms.
def polish_female(s):
    for m, f in (("dzki", "dzka"), ("ski", "ska"), ("cki", "cka")):
        if s.endswith(m):
            return s[:-len(m)] + f
    return s


def polish_male(s):
    for m, f in (("dzki", "dzka"), ("ski", "ska"), ("cki", "cka")):
        if s.endswith(f):
            return s[:-len(f)] + m
    return s


STREET_BASES = """High Church Station Victoria Park Mill School Queen's King's Albert Manor Green London
    Chapel New North South West Grange Windsor York George Springfield Alexandra Oak Elm Cedar Willow
    Beech Ash Birch Hawthorn Meadow Orchard Brook Riverside Hillside Highfield Castle Abbey Bridge Cross
    Market Mount Stanley Wellington Nelson Cromwell Cavendish Clarence Melbourne Richmond Salisbury
    Shakespeare Tennyson Milton Gladstone Balmoral Sandringham Heath Forest Valley Bank Moor Hall Farm
    Coronation Jubilee Princess Lime Chestnut Poplar Sycamore Rowan Lawn Vicarage Rectory Well Water
    Spring Bath Canal Wharf Dock Railway Factory Mill Brick Kiln Common Stoney Long Broad Chester
    Bristol Oxford Cambridge Warwick Coventry Hereford Worcester Stafford Lichfield Tamworth Dudley
    Walsall Sutton Lyndon Selly Kings Harborne Moseley Edgbaston Aston Erdington Acocks Yardley
    St John's St Mary's St Peter's St Paul's Holly Ivy Laurel Primrose Bluebell Daisy Heather""".split()
STREET_BASES = [b.replace("_", " ") for b in STREET_BASES]
# Two-word bases ("St John's") were split above; rejoin them.
_sb, _i = [], 0
while _i < len(STREET_BASES):
    if STREET_BASES[_i] == "St" and _i + 1 < len(STREET_BASES):
        _sb.append("St " + STREET_BASES[_i + 1]); _i += 2
    else:
        _sb.append(STREET_BASES[_i]); _i += 1
STREET_BASES = _sb
STREET_TYPES = [("Road", "Rd", 30), ("Street", "St", 20), ("Avenue", "Ave", 10), ("Lane", "Ln", 8),
                ("Close", "Cl", 8), ("Drive", "Dr", 7), ("Crescent", "Cres", 4), ("Gardens", "Gdns", 3),
                ("Place", "Pl", 3), ("Grove", "Gr", 3), ("Terrace", "Terr", 2), ("Court", "Ct", 2), ("Way", "Way", 4)]
STANDALONE_STREETS = ["Broadway", "Kingsway", "The Crescent", "The Green", "The Parade", "Parkway", "The Avenue"]

# Postcode districts: a local area (most households) and elsewhere in the UK.
LOCAL_DISTRICTS = ([f"B{i}" for i in range(1, 49) if i not in (22, 39, 41)] +
                   [f"WS{i}" for i in range(1, 11)] + [f"WV{i}" for i in range(1, 15)] +
                   [f"DY{i}" for i in range(1, 9)] + [f"CV{i}" for i in range(1, 8)] + ["B60", "B61", "B62", "B63",
                   "B64", "B65", "B66", "B67", "B68", "B69", "B70", "B71", "B72", "B73", "B74", "B75", "B76"])
OTHER_DISTRICTS = ([f"M{i}" for i in range(1, 35)] + [f"LS{i}" for i in range(1, 28)] +
                   [f"CF{i}" for i in (3, 5, 10, 11, 14, 23, 24, 31, 37, 44, 48)] + [f"SA{i}" for i in (1, 2, 4, 6, 11, 15)] +
                   [f"NP{i}" for i in (10, 11, 19, 20, 44)] + [f"G{i}" for i in range(1, 35)] +
                   [f"EH{i}" for i in range(1, 17)] + [f"BT{i}" for i in range(1, 18)] + [f"L{i}" for i in range(1, 37)] +
                   [f"NE{i}" for i in range(1, 30)] + [f"S{i}" for i in range(1, 21)] + [f"NG{i}" for i in range(1, 20)] +
                   [f"LE{i}" for i in range(1, 10)] + [f"BD{i}" for i in range(1, 16)] + [f"BS{i}" for i in range(1, 16)] +
                   [f"E{i}" for i in range(1, 18)] + [f"N{i}" for i in range(1, 22)] + [f"SE{i}" for i in range(1, 28)] +
                   [f"SW{i}" for i in range(2, 20)] + ["SW1A", "SW1P", "SW1V", "EC1A", "EC2V", "W1D", "WC1E", "E1W", "N1C"])
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"   # inward-code letters (no C I K M O V)

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

# ---------------------------------------------------------------------------
# Agencies
# ---------------------------------------------------------------------------
# Column kinds: rid given middle surname former dob sex addr postcode nhs note_cin note_cp note_s42
KIND_FIELD = {"rid": "recordID", "given": "givenName", "middle": "middleNames", "surname": "surname",
              "former": "formerSurname", "dob": "dateOfBirth", "sex": "sex", "addr": "addressLine",
              "postcode": "postcode", "nhs": "nhsNumber"}
KIND_TIER = {"note_cin": "cin", "note_cp": "cp", "note_s42": "s42"}

AGENCIES = {
    "police": dict(
        prefix="POL", date_fmt="dd/mm/yyyy", sex_codes=("M", "F"),
        columns=[("nominal_ref", "rid"), ("surname", "surname"), ("forename", "given"),
                 ("other_forenames", "middle"), ("dob", "dob"), ("gender", "sex"),
                 ("last_known_address", "addr"), ("post_code", "postcode"),
                 ("cp_notes", "note_cp"), ("s42_notes", "note_s42")],
        surname_upper=1.0, all_upper=0.0, nick=0.12, typo=0.03, middle_drop=0.35, middle_initial=0.08,
        dob_missing=0.025, sex_missing=0.03, pc_missing=0.04, pc_typo=0.012, abbrev=0.7, old_addr=0.5,
        strip_diacritics=0.8, dup=0.015, nhs=0.0, pc_style=("upper_space", 0.7)),
    "health": dict(
        prefix="HLT", date_fmt="yyyy-mm-dd", sex_codes=("1", "2"),
        columns=[("patient_id", "rid"), ("nhs_number", "nhs"), ("first_name", "given"),
                 ("middle_name", "middle"), ("last_name", "surname"), ("maiden_name", "former"),
                 ("date_of_birth", "dob"), ("sex", "sex"), ("address_line_1", "addr"), ("postcode", "postcode"),
                 ("cp_notes", "note_cp"), ("s42_notes", "note_s42")],
        surname_upper=0.0, all_upper=0.0, nick=0.05, typo=0.015, middle_drop=0.1, middle_initial=0.0,
        dob_missing=0.004, sex_missing=0.005, pc_missing=0.008, pc_typo=0.006, abbrev=0.25, old_addr=0.25,
        strip_diacritics=0.3, dup=0.005, nhs=0.985, former_p=0.6, pc_style=("upper_space", 0.9)),
    "education": dict(
        prefix="EDU", date_fmt="dd/mm/yyyy", sex_codes=("Male", "Female"),
        columns=[("upn", "rid"), ("legal_forename", "given"), ("middle_names", "middle"),
                 ("legal_surname", "surname"), ("birth_date", "dob"), ("gender", "sex"),
                 ("home_address", "addr"), ("home_postcode", "postcode"), ("cin_notes", "note_cin")],
        surname_upper=0.0, all_upper=0.0, nick=0.03, typo=0.012, middle_drop=0.2, middle_initial=0.0,
        dob_missing=0.002, sex_missing=0.003, pc_missing=0.005, pc_typo=0.006, abbrev=0.15, old_addr=0.3,
        strip_diacritics=0.2, dup=0.0, nhs=0.0, pc_style=("nospace", 0.6)),
    "probation": dict(
        prefix="PRB", date_fmt="dd-Mon-yyyy", sex_codes=("M", "F"),
        columns=[("crn", "rid"), ("family_name", "surname"), ("first_name", "given"),
                 ("second_name", "middle"), ("date_of_birth", "dob"), ("sex", "sex"),
                 ("address", "addr"), ("postcode", "postcode"), ("cp_notes", "note_cp")],
        surname_upper=1.0, all_upper=1.0, nick=0.1, typo=0.025, middle_drop=0.3, middle_initial=0.05,
        dob_missing=0.008, sex_missing=0.01, pc_missing=0.05, pc_typo=0.012, abbrev=0.6, old_addr=0.55,
        strip_diacritics=0.8, dup=0.0, nhs=0.0, pc_style=("upper_space", 0.8)),
    "childrens_social_care": dict(
        prefix="CSC", date_fmt="d/m/yyyy", sex_codes=("male", "female"),
        columns=[("person_id", "rid"), ("forename", "given"), ("middle_name", "middle"), ("surname", "surname"),
                 ("dob", "dob"), ("gender", "sex"), ("address_line", "addr"), ("postcode", "postcode"),
                 ("nhs_no", "nhs"), ("cin_notes", "note_cin"), ("cp_notes", "note_cp")],
        surname_upper=0.0, all_upper=0.0, nick=0.08, typo=0.02, middle_drop=0.25, middle_initial=0.0,
        dob_missing=0.015, sex_missing=0.02, pc_missing=0.02, pc_typo=0.01, abbrev=0.4, old_addr=0.4,
        strip_diacritics=0.4, dup=0.01, nhs=0.4, pc_style=("upper_space", 0.6)),
    "adult_social_care": dict(
        prefix="ASC", date_fmt="yyyy-mm-dd", sex_codes=("M", "F"),
        columns=[("client_id", "rid"), ("given_name", "given"), ("middle_names", "middle"),
                 ("family_name", "surname"), ("former_surname", "former"), ("birth_date", "dob"),
                 ("gender", "sex"), ("address_1", "addr"), ("post_code", "postcode"), ("nhs_number", "nhs"),
                 ("s42_notes", "note_s42")],
        surname_upper=0.0, all_upper=0.0, nick=0.08, typo=0.02, middle_drop=0.2, middle_initial=0.0,
        dob_missing=0.01, sex_missing=0.01, pc_missing=0.01, pc_typo=0.008, abbrev=0.3, old_addr=0.35,
        strip_diacritics=0.4, dup=0.0, nhs=0.42, former_p=0.5, pc_style=("lower_space", 0.15)),
}
AGENCY_NAMES = list(AGENCIES)

MALFORMED_P = 0.005   # share of rows given a deliberately malformed date of birth


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

def zipf_pool(names, s=1.0):
    """(names, cumulative weights) with weight (rank+1)^-s, duplicates merged in first position."""
    seen, out = {}, []
    for n in names:
        if n not in seen:
            seen[n] = len(out)
            out.append(n)
    w = [0.0] * len(out)
    for r, n in enumerate(names):
        w[seen[n]] += (r + 1) ** -s
    return out, list(itertools.accumulate(w))


def nhs_check(body9):
    """Modulus-11 check digit of a 9-digit body (int), or None if it would be 10."""
    s, d = 0, body9
    digits = []
    for _ in range(9):
        digits.append(d % 10)
        d //= 10
    digits.reverse()
    for i, x in enumerate(digits):
        s += x * (10 - i)
    c = 11 - (s % 11)
    if c == 11:
        return 0
    if c == 10:
        return None
    return c


def strip_diacritics(s):
    s = s.replace("Ł", "L").replace("ł", "l")
    if s.isascii():
        return s
    return "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def typo(s, rng):
    """One insert, delete, substitute or transpose, not on the first character."""
    n = len(s)
    if n < 3:
        return s
    op = rng.randrange(4)
    i = rng.randrange(1, n)
    up = s[i].isupper() or (s.isupper())
    c = rng.choice(_LETTERS)
    if up:
        c = c.upper()
    if op == 0:
        return s[:i] + c + s[i:]
    if op == 1:
        return s[:i] + s[i + 1:]
    if op == 2:
        if c == s[i]:
            c = "e" if c.lower() != "e" else "a"
            if up:
                c = c.upper()
        return s[:i] + c + s[i + 1:]
    if i >= n - 1:
        i = n - 2
    if s[i] == s[i + 1]:
        return s[:i] + s[i + 1:]          # doubled letter: delete instead
    return s[:i] + s[i + 1] + s[i] + s[i + 2:]


class Street:
    __slots__ = ("name", "type_full", "type_abbr", "district", "capacity", "units")

    def __init__(self, name, type_full, type_abbr, district, capacity, units):
        self.name, self.type_full, self.type_abbr = name, type_full, type_abbr
        self.district, self.capacity, self.units = district, capacity, units


class Person:
    __slots__ = ("pid", "hh", "sex", "dob", "given", "middle", "surname", "surname_alt", "former",
                 "heritage", "nhs", "addr", "old_addr", "known_as", "twin", "role", "agencies")


# ---------------------------------------------------------------------------
# Generator
# ---------------------------------------------------------------------------

class Generator:
    UNITS_PER_POSTCODE = 12

    def __init__(self, args):
        self.rng = random.Random(args.seed)
        self.n_persons = args.persons
        self.out = args.out
        self.chunk = args.chunk
        self.ref = dt.date.fromisoformat(args.ref_date)
        self.ref_ord = self.ref.toordinal()
        self.pid_width = max(7, len(str(self.n_persons)))
        self.rid_width = max(6, len(str(int(self.n_persons * 1.05) + 10)))
        self.stats = Counter()
        self.var = Counter()
        self.malformed = Counter()
        self.hh_sizes = Counter()
        self.hh_types = Counter()
        self.agency_count_hist = Counter()
        self.agency_rows = Counter()
        self.agency_dups = Counter()
        self.agency_nhs = Counter()
        self.agency_age = {a: Counter() for a in AGENCY_NAMES}
        self.combo = Counter()
        self.note_no = 0
        self.pids = 0
        # name pools
        self.sur_pools = {h: zipf_pool(v, 0.9) for h, v in SURNAMES.items()}
        self.tail_pools = {}
        for h, v in SURNAME_TAILS.items():
            v = sorted(set(v) - set(SURNAMES[h]))
            random.Random(f"{args.seed}-{h}").shuffle(v)
            self.tail_pools[h] = zipf_pool(v, 0.6)
        self.brit_pools = {k: zipf_pool(v.split(), 0.9) for k, v in BRIT_GIVEN.items()}
        self.her_pools = {k: zipf_pool(v.split(), 0.8) for k, v in HERITAGE_GIVEN.items()}
        self.heritages = list(HERITAGE_WEIGHTS)
        self.her_cum = list(itertools.accumulate(HERITAGE_WEIGHTS.values()))
        st_w = [w for _, _, w in STREET_TYPES]
        self.st_cum = list(itertools.accumulate(st_w))
        # geography
        self.streets = []
        self.used_units = {}
        self.cur_street = None
        self.next_no = 1
        self.flat_left = 0
        self.flat_no = 0
        # NHS numbers: distinct bodies from an affine permutation of a counter
        self.nhs_counter = 0
        self.nhs_mod = 400_000_000           # bodies 400000000..799999999
        self.nhs_mul = 1_234_567_891 % self.nhs_mod
        while self._gcd(self.nhs_mul, self.nhs_mod) != 1:
            self.nhs_mul += 1
        self.nhs_add = self.rng.randrange(self.nhs_mod)

    @staticmethod
    def _gcd(a, b):
        while b:
            a, b = b, a % b
        return a

    # --- draws ---------------------------------------------------------------
    def pick(self, pool):
        names, cum = pool
        return names[bisect.bisect_right(cum, self.rng.random() * cum[-1])]

    def heritage(self):
        return self.heritages[bisect.bisect_right(self.her_cum, self.rng.random() * self.her_cum[-1])]

    def surname(self, her):
        if self.rng.random() < TAIL_SHARE[her]:
            return self.pick(self.tail_pools[her])
        return self.pick(self.sur_pools[her])

    def given_name(self, her, sex, year, avoid=()):
        for _ in range(8):
            if self.rng.random() < HERITAGE_OWN_SHARE[her]:
                name = self.pick(self.her_pools[(her, sex)])
            else:
                cohort = COHORTS[bisect.bisect_right(COHORTS, year)]
                name = self.pick(self.brit_pools[(sex, cohort)])
            if name not in avoid:
                return name
        return name

    def nhs_number(self):
        while True:
            body = 400_000_000 + (self.nhs_mul * self.nhs_counter + self.nhs_add) % self.nhs_mod
            self.nhs_counter += 1
            c = nhs_check(body)
            if c is not None:
                s = f"{body:09d}{c}"
                if len(set(s)) > 1:
                    return s

    def dob_for_age(self, age_lo, age_hi):
        """Ordinal DOB of someone aged age_lo..age_hi (inclusive) on the reference date."""
        days_lo = int(age_lo * 365.2425)
        days_hi = int((age_hi + 1) * 365.2425) - 1
        return self.ref_ord - self.rng.randint(days_lo, days_hi)

    def age(self, dob_ord):
        d = dt.date.fromordinal(dob_ord)
        a = self.ref.year - d.year
        if (self.ref.month, self.ref.day) < (d.month, d.day):
            a -= 1
        return a

    # --- geography -----------------------------------------------------------
    def new_unit(self, district):
        used = self.used_units.setdefault(district, set())
        rng = self.rng
        while True:
            u = f"{rng.randrange(10)}{UNIT_LETTERS[rng.randrange(20)]}{UNIT_LETTERS[rng.randrange(20)]}"
            if u not in used:
                used.add(u)
                return f"{district} {u}"

    def new_street(self):
        rng = self.rng
        district = (rng.choice(LOCAL_DISTRICTS) if rng.random() < 0.85 else rng.choice(OTHER_DISTRICTS))
        if rng.random() < 0.04:
            name, tf, ta = rng.choice(STANDALONE_STREETS), "", ""
        else:
            name = rng.choice(STREET_BASES)
            tf, ta, _ = STREET_TYPES[bisect.bisect_right(self.st_cum, rng.random() * self.st_cum[-1])]
        cap = rng.randint(8, 160)
        units = [self.new_unit(district) for _ in range((cap + self.UNITS_PER_POSTCODE - 1) // self.UNITS_PER_POSTCODE)]
        st = Street(name, tf, ta, district, cap, units)
        self.streets.append(st)
        return st

    def next_address(self):
        """(flat, number, street) for a new household."""
        if self.flat_left > 0:
            self.flat_left -= 1
            self.flat_no += 1
            return (self.flat_no, self.next_no - 1, self.cur_street)
        if self.cur_street is None or self.next_no > self.cur_street.capacity:
            self.cur_street = self.new_street()
            self.next_no = 1
        no = self.next_no
        self.next_no += 1
        if self.rng.random() < 0.06:      # a building of flats
            self.flat_left = self.rng.randint(2, 9) - 1
            self.flat_no = 1
            return (1, no, self.cur_street)
        return (0, no, self.cur_street)

    def old_address(self, cur):
        rng = self.rng
        for _ in range(10):
            st = self.streets[rng.randrange(len(self.streets))] if len(self.streets) > 1 else self.new_street()
            no = rng.randint(1, st.capacity)
            flat = rng.randint(1, 6) if rng.random() < 0.15 else 0
            if st.units[(no - 1) // self.UNITS_PER_POSTCODE] != cur[2].units[(cur[1] - 1) // self.UNITS_PER_POSTCODE]:
                return (flat, no, st)
        st = self.new_street()
        return (0, rng.randint(1, st.capacity), st)

    @classmethod
    def postcode_of(cls, addr):
        return addr[2].units[(addr[1] - 1) // cls.UNITS_PER_POSTCODE]

    # --- persons -------------------------------------------------------------
    def person(self, hh, sex, dob, her, surname, role, given=None, avoid=(), former=None):
        p = Person()
        self.pids += 1
        p.pid = f"P{self.pids:0{self.pid_width}d}"
        p.hh = hh
        p.sex = sex
        p.dob = dob
        p.heritage = her
        year = dt.date.fromordinal(dob).year
        p.given = given or self.given_name(her, sex, year, avoid)
        p.middle = ""
        if self.rng.random() < MIDDLE_NAME_P[her]:
            p.middle = self.given_name(her, sex, year, avoid=(p.given,))
            if p.middle == p.given:
                p.middle = ""
            elif self.rng.random() < 0.06:
                m2 = self.given_name(her, sex, year, avoid=(p.given, p.middle))
                if m2 not in (p.given, p.middle):
                    p.middle += " " + m2
        if surname.endswith(("ski", "cki", "ska", "cka")):
            male = polish_male(surname)
            fem = polish_female(male)
            p.surname = fem if sex == "F" else male
            p.surname_alt = male if sex == "F" else None
        elif her == "sa_sikh_hindu" and surname in ("Singh", "Kaur"):
            p.surname = "Kaur" if sex == "F" else "Singh"
            p.surname_alt = None
        else:
            p.surname = surname
            p.surname_alt = None
        if former and sex == "F":
            former = polish_female(former)
        p.former = former if former and former != p.surname else None
        p.nhs = self.nhs_number()
        p.known_as = None
        v = NAME_VARIANTS.get(p.given)
        if v and self.rng.random() < 0.25:
            p.known_as = self.rng.choice(v)
        p.twin = False
        p.role = role
        p.addr = None
        p.old_addr = None
        return p

    def children(self, hh, mother_dob, her, surname_fn, n_kids, avoid):
        rng = self.rng
        kids = []
        first_lo = mother_dob + int(18 * 365.25)
        first_hi = min(mother_dob + int(42 * 365.25), self.ref_ord)
        if first_hi <= first_lo:
            return kids
        # first child: not older than ~22 now (older children have left home)
        first_lo = max(first_lo, self.ref_ord - int(22 * 365.25))
        if first_lo > first_hi:
            return kids
        b = rng.randint(first_lo, first_hi)
        names = set(avoid)
        while len(kids) < n_kids and b <= self.ref_ord:
            twins = rng.random() < 0.009
            count = 2 if twins else 1
            sexes = [("M" if rng.random() < 0.512 else "F")]
            if twins:
                sexes.append(sexes[0] if rng.random() < 0.55 else ("F" if sexes[0] == "M" else "M"))
            for sx in sexes:
                s, former = surname_fn()
                c = self.person(hh, sx, b, her, s, "child", avoid=tuple(names))
                names.add(c.given)
                c.twin = twins
                kids.append(c)
            b += rng.randint(365, 6 * 365)
        return kids

    def household(self, hh):
        rng = self.rng
        r = rng.random()
        her = self.heritage()
        members = []
        if r < 0.25:
            kind = "single_adult"
            sx = "M" if rng.random() < 0.5 else "F"
            members.append(self.person(hh, sx, self.dob_for_age(18, 64) if rng.random() < 0.8 else
                                       self.dob_for_age(65, 95), her, self.surname(her), "adult",
                                       former=self.surname(her) if sx == "F" and rng.random() < 0.3 else None))
        elif r < 0.43:
            kind = "couple"
            members += self.couple(hh, her, 22, 88)
        elif r < 0.71:
            kind = "couple_with_children"
            members += self.family(hh, her, with_partner=True)
        elif r < 0.83:
            kind = "single_parent"
            members += self.family(hh, her, with_partner=False)
        elif r < 0.89:
            kind = "multigenerational"
            fam = self.family(hh, her, with_partner=rng.random() < 0.8)
            members += fam
            # paternal grandparents when there is a father, else the single parent's parents
            parent = fam[1] if len(fam) > 1 and fam[1].role == "parent" else fam[0]
            kid = next(m for m in fam if m.role == "child")
            if parent.sex == "F" and parent.former and parent.surname == kid.surname:
                gsurname = parent.former          # mother kept married name: her birth name
            else:
                gsurname = parent.surname
            gsurname = polish_male(gsurname)
            gdob = parent.dob - rng.randint(20 * 365, 38 * 365)
            if self.ref_ord - gdob > 100 * 365:
                gdob = self.ref_ord - rng.randint(70 * 365, 99 * 365)
            if rng.random() < 0.6:
                gm = self.person(hh, "F", gdob + rng.randint(-5 * 365, 3 * 365), her, gsurname, "grandparent",
                                 former=self.surname(her) if rng.random() < 0.7 else None)
                members.append(gm)
                if rng.random() < 0.45:
                    members.append(self.person(hh, "M", gdob, her, gsurname, "grandparent"))
            else:
                members.append(self.person(hh, "M" if rng.random() < 0.4 else "F", gdob, her, gsurname, "grandparent"))
        elif r < 0.95:
            kind = "house_share"
            for _ in range(rng.randint(2, 5)):
                h2 = self.heritage()
                sx = "M" if rng.random() < 0.55 else "F"
                members.append(self.person(hh, sx, self.dob_for_age(19, 42), h2, self.surname(h2), "sharer"))
        else:
            kind = "elderly"
            if rng.random() < 0.5:
                members += self.couple(hh, her, 66, 95)
            else:
                sx = "F" if rng.random() < 0.65 else "M"
                members.append(self.person(hh, sx, self.dob_for_age(66, 98), her, self.surname(her), "adult",
                                           former=self.surname(her) if sx == "F" and rng.random() < 0.7 else None))
        members = members[:7]
        return kind, members

    def couple(self, hh, her, lo, hi):
        rng = self.rng
        her2 = her if rng.random() < 0.88 else self.heritage()
        mdob = self.dob_for_age(lo, hi)
        if rng.random() < 0.04:   # same-sex couple
            sx = "M" if rng.random() < 0.5 else "F"
            a = self.person(hh, sx, mdob, her, self.surname(her), "adult")
            b = self.person(hh, sx, mdob + rng.randint(-6 * 365, 6 * 365), her2, self.surname(her2), "adult",
                            avoid=(a.given,))
            return [a, b]
        surname = self.surname(her)
        man = self.person(hh, "M", mdob, her, surname, "adult")
        wdob = mdob + rng.randint(-2 * 365, 8 * 365)
        wdob = min(wdob, self.ref_ord - 18 * 366)
        birth = self.surname(her2)
        if rng.random() < TAKES_NAME_P[her2]:
            woman = self.person(hh, "F", wdob, her2, surname, "adult", former=birth, avoid=(man.given,))
        else:
            woman = self.person(hh, "F", wdob, her2, birth, "adult", avoid=(man.given,))
        return [man, woman]

    def family(self, hh, her, with_partner):
        rng = self.rng
        mother_dob = self.dob_for_age(20, 56)
        n_kids = rng.choices((1, 2, 3, 4, 5, 6), (35, 38, 16, 7, 3, 1))[0]
        father_sur = self.surname(her)
        her2 = her if rng.random() < 0.88 else self.heritage()
        mother_birth = self.surname(her2)
        adults = []
        if with_partner:
            married = rng.random() < 0.8
            father = self.person(hh, "M", mother_dob - rng.randint(-2 * 365, 7 * 365), her, father_sur, "parent")
            if married and rng.random() < TAKES_NAME_P[her2]:
                mother = self.person(hh, "F", mother_dob, her2, father_sur, "parent", former=mother_birth,
                                     avoid=(father.given,))
            elif married and rng.random() < 0.1:
                mother = self.person(hh, "F", mother_dob, her2, f"{mother_birth}-{father_sur}" if "-" not in
                                     mother_birth + father_sur else father_sur, "parent", former=mother_birth,
                                     avoid=(father.given,))
            else:
                mother = self.person(hh, "F", mother_dob, her2, mother_birth, "parent", avoid=(father.given,))
            adults = [mother, father]

            def kid_surname():
                x = rng.random()
                if x < 0.9 or mother.surname == father_sur:
                    return father_sur, None
                if x < 0.95 and "-" not in mother_birth + father_sur:
                    return f"{mother_birth}-{father_sur}", None
                return mother.surname if not mother.surname_alt else mother.surname_alt, None
        else:
            x = rng.random()
            if rng.random() < 0.1:       # single father
                parent = self.person(hh, "M", mother_dob - rng.randint(0, 5 * 365), her, father_sur, "parent")
                kids_sur = father_sur
            elif x < 0.45:               # divorced, kept married name
                parent = self.person(hh, "F", mother_dob, her2, father_sur, "parent", former=mother_birth)
                kids_sur = father_sur
            elif x < 0.75:               # divorced, reverted to birth surname; children keep father's
                parent = self.person(hh, "F", mother_dob, her2, mother_birth, "parent", former=father_sur)
                kids_sur = father_sur
                self.stats["divorce_reverted"] += 1
            else:                        # never married
                parent = self.person(hh, "F", mother_dob, her2, mother_birth, "parent")
                kids_sur = mother_birth if rng.random() < 0.6 else father_sur
            adults = [parent]
            mother = parent

            def kid_surname():
                return kids_sur, None
        kids = self.children(hh, mother.dob, her, kid_surname, n_kids, [a.given for a in adults])
        if not kids:
            b = self.dob_for_age(0, 17)
            s, _ = kid_surname()
            kids = [self.person(hh, "M" if rng.random() < 0.5 else "F", b, her, s, "child",
                                avoid=tuple(a.given for a in adults))]
        # Polish kids' surnames follow their own sex: fix the stored form from the male form
        return adults + kids

    # --- agency membership ---------------------------------------------------
    def agencies_for(self, p, risk, has_children, is_parent):
        rng = self.rng
        a = self.age(p.dob)
        male = p.sex == "M"
        out = []
        ph = 0.93
        if a >= 70:
            ph = 0.97
        elif 18 <= a <= 35 and male:
            ph = 0.88
        if rng.random() < ph:
            out.append("health")
        if 4 <= a <= 18:
            if rng.random() < (0.97 if a <= 16 else 0.7):
                out.append("education")
        # children's social care
        if a < 18:
            pc = (0.25, 0.55, 0.85)[risk]
        elif is_parent:
            pc = (0.12, 0.4, 0.75)[risk]
        elif has_children:
            pc = (0.03, 0.1, 0.25)[risk]
        else:
            pc = 0.005
        if rng.random() < pc:
            out.append("childrens_social_care")
        # police
        if a >= 18:
            pp = ((0.18, 0.4, 0.7) if male else (0.12, 0.3, 0.55))[risk]
            if a <= 35:
                pp *= 1.2
            elif a > 60:
                pp *= 0.35
        elif a >= 10:
            pp = (0.05, 0.15, 0.35)[risk]
        else:
            pp = (0.03, 0.08, 0.2)[risk]
        in_police = rng.random() < pp
        if in_police:
            out.append("police")
        # probation
        if 18 <= a <= 70:
            if in_police:
                pr = (0.35 if male else 0.12) * (1.0 if a <= 60 else 0.3)
            else:
                pr = 0.02 if male else 0.004
            if rng.random() < pr:
                out.append("probation")
        # adult social care
        if a >= 65:
            pa = (0.35, 0.45, 0.55)[risk] + (0.15 if a >= 80 else 0.0)
        elif a >= 18:
            pa = (0.05, 0.1, 0.2)[risk]
        elif a == 17:
            pa = 0.03
        else:
            pa = 0.0
        if rng.random() < pa:
            out.append("adult_social_care")
        if not out:
            out.append("health" if rng.random() < 0.7 else ("police" if a >= 10 else "childrens_social_care"))
        return out

    # --- record rendering ----------------------------------------------------
    def fmt_date(self, d, fmt):
        if fmt == "dd/mm/yyyy":
            return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"
        if fmt == "yyyy-mm-dd":
            return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
        if fmt == "dd-Mon-yyyy":
            return f"{d.day:02d}-{MONTHS[d.month - 1]}-{d.year:04d}"
        if fmt == "d/m/yyyy":
            return f"{d.day}/{d.month}/{d.year:04d}"
        raise ValueError(fmt)

    def fmt_raw(self, y, m, d, fmt):
        """Format possibly-invalid parts (for malformed rows). y may be a 2-digit string."""
        ys = y if isinstance(y, str) else f"{y:04d}"
        if fmt == "dd/mm/yyyy":
            return f"{d:02d}/{m:02d}/{ys}"
        if fmt == "yyyy-mm-dd":
            return f"{ys}-{m:02d}-{d:02d}"
        if fmt == "dd-Mon-yyyy":
            return f"{d:02d}-{MONTHS[m - 1]}-{ys}"
        return f"{d}/{m}/{ys}"

    def malformed_dob(self, d, fmt):
        rng = self.rng
        x = rng.random()
        if x < 0.5:
            # impossible calendar date: a day past the month's end
            m = d.month
            dim = DAYS_IN_MONTH[m - 1]
            if m == 2:
                leap = d.year % 4 == 0 and (d.year % 100 != 0 or d.year % 400 == 0)
                day = 30 if leap else rng.choice((29, 30))
                if day == 29 and leap:
                    day = 30
            else:
                day = dim + 1 if dim < 31 else 32
            self.malformed["impossible_date"] += 1
            return self.fmt_raw(d.year, m, day, fmt)
        if x < 0.8 and fmt != "yyyy-mm-dd":
            self.malformed["two_digit_year"] += 1
            return self.fmt_raw(d.year, d.month, d.day, fmt).replace(f"{d.year:04d}", f"{d.year % 100:02d}")
        if d.year - 100 < 1900:
            self.malformed["pre_1900"] += 1
            return self.fmt_raw(d.year - 100, d.month, d.day, fmt)
        self.malformed["future_date"] += 1
        return self.fmt_raw(d.year + 100, d.month, d.day, fmt)

    def render_address(self, addr, spec):
        rng = self.rng
        flat, no, st = addr
        if st.type_full:
            if rng.random() < spec["abbrev"]:
                stype = st.type_abbr
                if stype != st.type_full:
                    self.var["address_abbreviated"] += 1
            else:
                stype = st.type_full
            street = f"{st.name} {stype}"
        else:
            street = st.name
        if "'" in street and rng.random() < 0.3:
            street = street.replace("'", "")
            self.var["address_apostrophe_dropped"] += 1
        line = f"{no} {street}"
        if flat:
            x = rng.random()
            if x < 0.6:
                line = f"Flat {flat}, {line}"
            elif x < 0.75:
                line = f"Flat {flat} {line}"
            elif x < 0.9:
                line = f"{flat}/{no} {street}"
            else:
                self.var["address_flat_omitted"] += 1
        if spec["all_upper"] or (spec["surname_upper"] and rng.random() < 0.5):
            line = line.upper()
        return line

    def render_postcode(self, pc, spec):
        rng = self.rng
        if rng.random() < spec["pc_missing"]:
            self.var["postcode_missing"] += 1
            return ""
        if rng.random() < spec["pc_typo"]:
            self.var["postcode_typo"] += 1
            out, inw = pc.split(" ")
            x = rng.random()
            if x < 0.5:     # wrong inward letter
                i = rng.randrange(1, 3)
                c = UNIT_LETTERS[rng.randrange(20)]
                if c == inw[i]:
                    c = "A" if c != "A" else "B"
                inw = inw[:i] + c + inw[i + 1:]
            elif x < 0.75:  # wrong inward digit
                inw = str((int(inw[0]) + rng.randint(1, 9)) % 10) + inw[1:]
            else:           # transposed inward letters
                if inw[1] != inw[2]:
                    inw = inw[0] + inw[2] + inw[1]
                else:
                    inw = inw[0] + ("A" if inw[1] != "A" else "B") + inw[2]
            pc = f"{out} {inw}"
        style, p = spec["pc_style"]
        if rng.random() >= p:
            style = ("upper_space", "nospace", "lower_space", "lower_nospace", "double_space")[rng.randrange(5)]
        if style == "nospace":
            return pc.replace(" ", "")
        if style == "lower_space":
            return pc.lower()
        if style == "lower_nospace":
            return pc.lower().replace(" ", "")
        if style == "double_space":
            return pc.replace(" ", "  ")
        return pc

    def record(self, p, agency, spec, dup=False):
        rng = self.rng
        var = self.var
        # ---- given / middle
        given = p.given
        nick_p = spec["nick"] * (4 if p.known_as else 1)
        if rng.random() < nick_p:
            if p.known_as and rng.random() < 0.8:
                given = p.known_as
                var["given_known_as"] += 1
            else:
                alts = NAME_VARIANTS.get(given)
                if alts:
                    given = rng.choice(alts)
                    var["given_nickname_or_spelling"] += 1
        middle = p.middle
        if middle:
            if rng.random() < spec["middle_drop"]:
                middle = ""
                var["middle_dropped"] += 1
            elif rng.random() < spec["middle_initial"]:
                middle = " ".join(m[0] for m in middle.split())
                var["middle_initial_only"] += 1
            elif rng.random() < 0.012:
                given, middle = middle.split()[0], " ".join([given] + middle.split()[1:])
                var["given_middle_swapped"] += 1
        if rng.random() < spec["typo"]:
            g2 = typo(given, rng)
            if g2 != given:
                given = g2
                var["typo_given"] += 1
        # ---- surname
        surname = p.surname
        former = ""
        if p.former:
            if rng.random() < 0.2:
                surname = p.former
                var["surname_old_name_used"] += 1
            elif "former" in spec["kinds"] and rng.random() < spec.get("former_p", 0):
                former = p.former
                var["former_surname_given"] += 1
        if p.surname_alt and surname == p.surname and rng.random() < 0.03:
            surname = p.surname_alt
            var["surname_gender_form"] += 1
        if "-" in surname and rng.random() < 0.3:
            a, b = surname.split("-", 1)
            x = rng.random()
            if x < 0.35:
                surname = f"{a} {b}"
                var["surname_hyphen_to_space"] += 1
            elif x < 0.45:
                surname = a + b
                var["surname_hyphen_removed"] += 1
            elif x < 0.8:
                surname = a
                var["surname_first_part_only"] += 1
            else:
                surname = b
                var["surname_last_part_only"] += 1
        if "'" in surname and rng.random() < 0.35:
            x = rng.random()
            surname = surname.replace("'", "" if x < 0.5 else (" " if x < 0.8 else "\u2019"))
            var["surname_apostrophe_variant"] += 1
        if (surname.startswith("Mc") or surname.startswith("Mac")) and rng.random() < 0.05:
            surname = surname.replace("Mc", "Mc ", 1) if surname.startswith("Mc") else surname.replace("Mac", "Mac ", 1)
            var["surname_mc_mac_spaced"] += 1
        sv = SURNAME_VARIANTS.get(surname)
        if sv and rng.random() < 0.06:
            surname = rng.choice(sv)
            var["surname_spelling_variant"] += 1
        if rng.random() < spec["typo"]:
            s2 = typo(surname, rng)
            if s2 != surname:
                surname = s2
                var["typo_surname"] += 1
        # ---- diacritics and case
        if not (given + middle + surname + former).isascii() and rng.random() < spec["strip_diacritics"]:
            given, middle, surname, former = (strip_diacritics(given), strip_diacritics(middle),
                                              strip_diacritics(surname), strip_diacritics(former))
            var["diacritics_stripped"] += 1
        if spec["all_upper"]:
            given, middle, surname, former = given.upper(), middle.upper(), surname.upper(), former.upper()
        elif spec["surname_upper"]:
            surname = surname.upper()
        x = rng.random()
        if x < 0.01:
            given, surname = given.lower(), surname.lower()
            var["case_lower"] += 1
        elif x < 0.02 and not spec["all_upper"]:
            given, surname = given.upper(), surname.upper()
            var["case_upper"] += 1
        # ---- date of birth
        d = dt.date.fromordinal(p.dob)
        fmt = spec["date_fmt"]
        x = rng.random()
        if x < MALFORMED_P:
            dob = self.malformed_dob(d, fmt)
            var["dob_malformed"] += 1
        elif x < MALFORMED_P + spec["dob_missing"]:
            dob = ""
            var["dob_missing"] += 1
        else:
            x = rng.random()
            if x < 0.008 and d.day <= 12 and d.day != d.month:
                d2 = dt.date(d.year, d.day, d.month)
                if d2.toordinal() <= self.ref_ord:
                    d = d2
                    var["dob_day_month_swapped"] += 1
            elif 0.008 <= x < 0.016:
                d2 = d + dt.timedelta(days=rng.choice((-1, 1)))
                if d2.toordinal() <= self.ref_ord:
                    d = d2
                    var["dob_day_off_by_one"] += 1
            elif 0.016 <= x < 0.022:
                y = d.year + rng.choice((-1, 1))
                day = d.day
                if d.month == 2 and day == 29 and not (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)):
                    day = 28
                d2 = dt.date(y, d.month, day)
                if d2.toordinal() <= self.ref_ord:
                    d = d2
                    var["dob_year_off_by_one"] += 1
            dob = self.fmt_date(d, fmt)
        # ---- sex
        if rng.random() < spec["sex_missing"]:
            sex = ""
            var["sex_missing"] += 1
        else:
            sex = spec["sex_codes"][0 if p.sex == "M" else 1]
        # ---- address
        addr = p.addr
        if p.old_addr is not None and rng.random() < spec["old_addr"]:
            addr = p.old_addr
            var["old_address_used"] += 1
        addr_line = self.render_address(addr, spec)
        postcode = self.render_postcode(self.postcode_of(addr), spec)
        # ---- NHS
        nhs = ""
        if "nhs" in spec["kinds"] and rng.random() < spec["nhs"]:
            x = rng.random()
            nhs = p.nhs if x < 0.6 else (f"{p.nhs[:3]} {p.nhs[3:6]} {p.nhs[6:]}" if x < 0.9
                                         else f"{p.nhs[:3]}-{p.nhs[3:6]}-{p.nhs[6:]}")
        # ---- payload
        vals = {"given": given, "middle": middle, "surname": surname, "former": former, "dob": dob,
                "sex": sex, "addr": addr_line, "postcode": postcode, "nhs": nhs}
        for k in spec["note_kinds"]:
            if rng.random() < 0.6:
                self.note_no += 1
                vals[k] = f"Note {self.note_no}"
            else:
                vals[k] = ""
        return vals

    # --- output --------------------------------------------------------------
    def open_outputs(self):
        os.makedirs(self.out, exist_ok=True)
        self.files, self.writers, self.buffers, self.next_rid = {}, {}, {}, {}
        for name, spec in AGENCIES.items():
            spec["kinds"] = [k for _, k in spec["columns"]]
            spec["note_kinds"] = [k for k in spec["kinds"] if k.startswith("note_")]
            f = open(os.path.join(self.out, f"{name}.csv"), "w", newline="", encoding="utf-8")
            w = csv.writer(f, lineterminator="\n")
            w.writerow([c for c, _ in spec["columns"]])
            self.files[name], self.writers[name], self.buffers[name], self.next_rid[name] = f, w, [], 1
        self.truth_f = open(os.path.join(self.out, "truth.csv"), "w", newline="", encoding="utf-8")
        self.truth_w = csv.writer(self.truth_f, lineterminator="\n")
        self.truth_w.writerow(["agency", "record", "person"])

    def flush(self, name, force=False):
        buf = self.buffers[name]
        if not buf or (len(buf) < self.chunk and not force):
            return
        self.rng.shuffle(buf)
        spec = AGENCIES[name]
        kinds = spec["kinds"]
        prefix = spec["prefix"]
        rows, truth = [], []
        n = self.next_rid[name]
        for vals, pid in buf:
            rid = f"{prefix}-{n:0{self.rid_width}d}"
            n += 1
            vals["rid"] = rid
            rows.append([vals[k] for k in kinds])
            truth.append((name, rid, pid))
        self.next_rid[name] = n
        self.writers[name].writerows(rows)
        self.truth_w.writerows(truth)
        buf.clear()

    def emit(self, p, agency):
        spec = AGENCIES[agency]
        vals = self.record(p, agency, spec)
        self.buffers[agency].append((vals, p.pid))
        self.agency_rows[agency] += 1
        if vals.get("nhs"):
            self.agency_nhs[agency] += 1
        if len(self.buffers[agency]) >= self.chunk:
            self.flush(agency)

    def run(self):
        rng = self.rng
        self.open_outputs()
        hh = 0
        made = 0
        while made < self.n_persons:
            hh += 1
            kind, members = self.household(hh)
            members = members[: self.n_persons - made]
            if not members:
                break
            made += len(members)
            self.hh_types[kind] += 1
            self.hh_sizes[len(members)] += 1
            addr = self.next_address()
            moved = rng.random() < 0.12
            old = self.old_address(addr) if moved else None
            if moved:
                self.stats["households_moved"] += 1
            risk = rng.choices((0, 1, 2), (0.22, 0.40, 0.38))[0]
            has_children = any(self.age(m.dob) < 18 for m in members)
            surnames = {polish_male(m.surname) for m in members}
            twins_by_dob = {}
            if len(members) > 1:
                self.stats["multi_person_households"] += 1
                if len(surnames) == 1:
                    self.stats["households_single_surname"] += 1
            for m in members:
                m.addr = addr
                m.old_addr = old
                if m.role == "sharer" and old is None and rng.random() < 0.25:
                    m.old_addr = self.old_address(addr)
                if m.old_addr is not None:
                    self.stats["persons_with_old_address"] += 1
                if m.twin:
                    self.stats["twin_persons"] += 1
                    twins_by_dob.setdefault(m.dob, []).append(m)
                if m.former:
                    self.stats["persons_with_former_surname"] += 1
                if m.known_as:
                    self.stats["persons_with_known_as_name"] += 1
                if "-" in m.surname:
                    self.stats["persons_with_hyphenated_surname"] += 1
                ags = self.agencies_for(m, risk, has_children, m.role == "parent")
                self.agency_count_hist[len(ags)] += 1
                self.combo[tuple(sorted(ags))] += 1
                a = self.age(m.dob)
                band = "0-3" if a < 4 else "4-17" if a < 18 else "18-64" if a < 65 else "65+"
                for ag in ags:
                    self.agency_age[ag][band] += 1
                    self.emit(m, ag)
                    if AGENCIES[ag]["dup"] and rng.random() < AGENCIES[ag]["dup"]:
                        self.emit(m, ag)
                        self.agency_dups[ag] += 1
            for tw in twins_by_dob.values():
                if len(tw) >= 2:
                    self.stats["twin_pairs"] += 1
                    if tw[0].sex == tw[1].sex:
                        self.stats["twin_pairs_same_sex"] += 1
                    if tw[0].surname == tw[1].surname:
                        self.stats["twin_pairs_same_surname"] += 1
                else:
                    self.stats["twin_persons"] -= 1    # co-twin cut off by the household size cap
        for name in AGENCY_NAMES:
            self.flush(name, force=True)
            self.files[name].close()
        self.truth_f.close()
        self.stats["households"] = hh
        self.stats["persons"] = made

    def write_schemas(self):
        for name, spec in AGENCIES.items():
            cols = []
            for c, k in spec["columns"]:
                if k in KIND_FIELD:
                    cols.append({"column": c, "field": KIND_FIELD[k]})
                else:
                    cols.append({"column": c, "tier": KIND_TIER[k]})
            schema = {"version": 1, "columns": cols, "bloom": {"bits": 1024, "hashes": 20, "q": 2},
                      "hardening": {"flipEpsilon": 4, "saltWithBirthYear": False},
                      "invalidValues": "omitField"}
            with open(os.path.join(self.out, f"{name}.schema.json"), "w", encoding="utf-8") as f:
                json.dump(schema, f, indent=2)
                f.write("\n")

    def write_summary(self, args, elapsed):
        L = []
        s = self.stats
        L.append(f"make_uk_agencies.py seed={args.seed} persons={s['persons']} ref_date={args.ref_date} "
                 f"chunk={args.chunk}")
        L.append(f"generation time {elapsed:.1f} s")
        L.append("")
        L.append(f"households {s['households']}; persons {s['persons']}")
        L.append("household sizes: " + ", ".join(f"{k}:{self.hh_sizes[k]}" for k in sorted(self.hh_sizes)))
        L.append("household types: " + ", ".join(f"{k}:{v}" for k, v in sorted(self.hh_types.items())))
        L.append(f"multi-person households {s['multi_person_households']}, of which all one surname "
                 f"{s['households_single_surname']}")
        L.append(f"twin pairs {s['twin_pairs']} (same sex {s['twin_pairs_same_sex']}, same surname "
                 f"{s['twin_pairs_same_surname']}); twin persons {s['twin_persons']}")
        L.append(f"households with a house move {s['households_moved']}; persons with an older address "
                 f"{s['persons_with_old_address']}")
        L.append(f"persons with a former surname {s['persons_with_former_surname']} (divorced and reverted "
                 f"{s['divorce_reverted']}); with a preferred short name {s['persons_with_known_as_name']}; "
                 f"with a hyphenated surname {s['persons_with_hyphenated_surname']}")
        L.append("")
        L.append("agency                 rows  duplicates  nhs  date format   sex codes   ages 0-3/4-17/18-64/65+")
        total = 0
        for a in AGENCY_NAMES:
            spec = AGENCIES[a]
            ag = self.agency_age[a]
            total += self.agency_rows[a]
            L.append(f"{a:22s} {self.agency_rows[a]:7d} {self.agency_dups[a]:7d} {self.agency_nhs[a]:7d}  "
                     f"{spec['date_fmt']:12s}  {'/'.join(spec['sex_codes']):11s} "
                     f"{ag['0-3']}/{ag['4-17']}/{ag['18-64']}/{ag['65+']}")
        L.append(f"{'total':22s} {total:7d}")
        L.append("")
        L.append("persons by number of agencies: " +
                 ", ".join(f"{k}:{self.agency_count_hist[k]}" for k in sorted(self.agency_count_hist)))
        L.append("most common agency combinations:")
        for combo, n in self.combo.most_common(12):
            L.append(f"  {n:7d}  {'+'.join(combo)}")
        L.append("")
        L.append(f"malformed date-of-birth rows (kept in truth; expected rejects) {sum(self.malformed.values())}: " +
                 ", ".join(f"{k}:{v}" for k, v in sorted(self.malformed.items())))
        L.append("")
        L.append("variations applied (count of records):")
        for k in sorted(self.var):
            L.append(f"  {k:32s} {self.var[k]}")
        text = "\n".join(L) + "\n"
        with open(os.path.join(self.out, "summary.txt"), "w", encoding="utf-8") as f:
            f.write(text)
        return text


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--persons", type=int, default=20000)
    ap.add_argument("--out", default="uk_agencies")
    ap.add_argument("--ref-date", default="2026-11-01",
                    help="extract date: no date of birth is after it (default 2026-11-01)")
    ap.add_argument("--chunk", type=int, default=4096,
                    help="rows per agency shuffled together before record ids are given (default 4096)")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    t0 = time.perf_counter()
    g = Generator(args)
    g.run()
    g.write_schemas()
    elapsed = time.perf_counter() - t0
    text = g.write_summary(args, elapsed)
    if not args.quiet:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
