#!/usr/bin/env python3
"""Writes rules/geonames/demonyms.tsv from the hand-written lists below, spelling out the 12 forms
of each Russian adjective from its masculine form (every -ский/-цкий adjective declines alike).

Usage: tools/demonyms.py [OUTPUT]  (default: rules/geonames/demonyms.tsv next to this folder)
"""
import os
import sys

english = """
AD Andorran, Andorrans
AG Antiguan, Antiguans
AL Albanian, Albanians
AO Angolan, Angolans
AR Argentine, Argentines, Argentinian, Argentinians
AT Austrian, Austrians
AU Australian, Australians
AW Aruban, Arubans
BA Bosnian, Bosnians, Bosniak, Bosniaks
BB Barbadian, Barbadians, Bajan, Bajans
BD Bangladeshi, Bangladeshis
BE Belgian, Belgians
BF Burkinabe
BG Bulgarian, Bulgarians
BH Bahraini, Bahrainis
BI Burundian, Burundians
BJ Beninese
BM Bermudian, Bermudians
BN Bruneian, Bruneians
BO Bolivian, Bolivians
BR Brazilian, Brazilians
BS Bahamian, Bahamians
BT Bhutanese
BW Botswanan, Botswanans
BZ Belizean, Belizeans
CA Canadian, Canadians
CD DRC, DR Congo
CH Swiss
CI Ivorian, Ivorians
CL Chilean, Chileans
CM Cameroonian, Cameroonians
CO Colombian, Colombians
CR Costa Rican, Costa Ricans
CU Cuban, Cubans
CV Cape Verdean, Cape Verdeans
CY Cypriot, Cypriots
CZ Czech, Czechs
DJ Djiboutian, Djiboutians
DK Danish, Dane, Danes
DO Dominican, Dominicans
DZ Algerian, Algerians
EC Ecuadorian, Ecuadorians
EE Estonian, Estonians
ER Eritrean, Eritreans
ES Spanish, Spaniard, Spaniards
ET Ethiopian, Ethiopians
FI Finnish, Finn, Finns
FJ Fijian, Fijians
GA Gabonese
GB.NIR Northern Irish
GB.SCT Scottish, Scots
GB.WLS Welsh, Welshman, Welshmen
GD Grenadian, Grenadians
GH Ghanaian, Ghanaians
GM Gambian, Gambians
GN Guinean, Guineans
GR Greek, Greeks
GT Guatemalan, Guatemalans
GY Guyanese
HN Honduran, Hondurans
HR Croatian, Croatians, Croat, Croats
HT Haitian, Haitians
HU Hungarian, Hungarians
ID Indonesian, Indonesians
IE Irish, Irishman, Irishmen, Irishwoman
IS Icelandic, Icelander, Icelanders
IT Italian, Italians
JM Jamaican, Jamaicans
JP Japanese
KE Kenyan, Kenyans
KH Cambodian, Cambodians
KP North Korean, North Koreans
KR South Korean, South Koreans
KW Kuwaiti, Kuwaitis
KY Caymanian, Caymanians
LA Laotian, Laotians
LC Saint Lucian, Saint Lucians, St Lucian, St Lucians
LK Sri Lankan, Sri Lankans
LR Liberian, Liberians
LT Lithuanian, Lithuanians
LU Luxembourger, Luxembourgers, Luxembourgish
LV Latvian, Latvians
MA Moroccan, Moroccans
MC Monegasque
MD Moldovan, Moldovans
ME Montenegrin, Montenegrins
MG Malagasy
MK North Macedonian, North Macedonians
ML Malian, Malians
MM Burmese
MR Mauritanian, Mauritanians
MT Maltese
MU Mauritian, Mauritians
MV Maldivian, Maldivians
MW Malawian, Malawians
MX Mexican, Mexicans
MY Malaysian, Malaysians
MZ Mozambican, Mozambicans
NA Namibian, Namibians
NE Nigerien, Nigeriens
NG Nigerian, Nigerians
NI Nicaraguan, Nicaraguans
NL Dutch, Dutchman, Dutchmen, Dutchwoman
NO Norwegian, Norwegians
NP Nepalese, Nepali, Nepalis
NZ New Zealander, New Zealanders
OM Omani, Omanis
PA Panamanian, Panamanians
PE Peruvian, Peruvians
PG Papua New Guinean, Papua New Guineans
PH Filipino, Filipinos, Filipina, Filipinas, Philippine
PL Polish, Poles
PR Puerto Rican, Puerto Ricans
PT Portuguese
PY Paraguayan, Paraguayans
RO Romanian, Romanians
RS Serbian, Serbians, Serb, Serbs
RW Rwandan, Rwandans
SC Seychellois
SD Sudanese
SE Swedish, Swede, Swedes
SG Singaporean, Singaporeans
SI Slovenian, Slovenians, Slovene, Slovenes
SK Slovak, Slovaks, Slovakian
SL Sierra Leonean, Sierra Leoneans
SN Senegalese
SR Surinamese
SS South Sudanese
SV Salvadoran, Salvadorans, Salvadorean, Salvadoreans
TD Chadian, Chadians
TG Togolese
TH Thai, Thais
TL Timorese, East Timorese
TN Tunisian, Tunisians
TO Tongan, Tongans
TT Trinidadian, Trinidadians, Tobagonian, Tobagonians, Trinbagonian, Trinbagonians
TW Taiwanese
TZ Tanzanian, Tanzanians
UG Ugandan, Ugandans
UY Uruguayan, Uruguayans
VC Vincentian, Vincentians
VE Venezuelan, Venezuelans
VG BVI
VI USVI
VN Vietnamese
WS Samoan, Samoans
XK Kosovar, Kosovars, Kosovan, Kosovans
ZA South African, South Africans
ZM Zambian, Zambians
ZW Zimbabwean, Zimbabweans
"""
# Russian: the masculine adjective (its 12 forms are spelled out) and the people's noun in the
# nominative singular and plural and the genitive plural.
russian = """
AR аргентинский; аргентинец, аргентинцы, аргентинцев
AT австрийский; австриец, австрийцы, австрийцев
AU австралийский; австралиец, австралийцы, австралийцев
BE бельгийский; бельгиец, бельгийцы, бельгийцев
BG болгарский; болгарин, болгары, болгар
BR бразильский; бразилец, бразильцы, бразильцев
CA канадский; канадец, канадцы, канадцев
CH швейцарский; швейцарец, швейцарцы, швейцарцев
CL чилийский; чилиец, чилийцы, чилийцев
CO колумбийский; колумбиец, колумбийцы, колумбийцев
CU кубинский; кубинец, кубинцы, кубинцев
CZ чешский; чех, чехи, чехов
DK датский; датчанин, датчане, датчан
DZ алжирский; алжирец, алжирцы, алжирцев
EE эстонский; эстонец, эстонцы, эстонцев
ES испанский; испанец, испанцы, испанцев
ET эфиопский; эфиоп, эфиопы, эфиопов
FI финский, финляндский; финн, финны, финнов
GR греческий; грек, греки, греков
HR хорватский; хорват, хорваты, хорватов
HU венгерский; венгр, венгры, венгров
ID индонезийский; индонезиец, индонезийцы, индонезийцев
IE ирландский; ирландец, ирландцы, ирландцев
IT итальянский; итальянец, итальянцы, итальянцев
JP японский; японец, японцы, японцев
KE кенийский; кениец, кенийцы, кенийцев
KP северокорейский
KR южнокорейский
LT литовский; литовец, литовцы, литовцев
LV латвийский; латыш, латыши, латышей
MA марокканский; марокканец, марокканцы, марокканцев
MD молдавский, молдовский; молдаванин, молдаване, молдаван
MX мексиканский; мексиканец, мексиканцы, мексиканцев
NG нигерийский; нигериец, нигерийцы, нигерийцев
NL нидерландский, голландский; голландец, голландцы, голландцев
NO норвежский; норвежец, норвежцы, норвежцев
NZ новозеландский
PE перуанский
PH филиппинский
PL польский; поляк, поляки, поляков
PT португальский; португалец, португальцы, португальцев
RO румынский; румын, румыны, румын
RS сербский; серб, сербы, сербов
SE шведский; швед, шведы, шведов
SK словацкий; словак, словаки, словаков
SI словенский
SO сомалийский
SD суданский
TH таиландский
TN тунисский
VE венесуэльский
VN вьетнамский; вьетнамец, вьетнамцы, вьетнамцев
ZA южноафриканский
"""
def adjective(m):
    assert m.endswith("ий"), m
    stem = m[:-2]
    hard = stem[-1] not in "кгхжшчщ"
    y = "ы" if hard else "и"
    return [m, stem + "ая", stem + "ое", stem + y + "е", stem + "ого", stem + "ому", stem + "ой", stem + "ую",
            stem + y + "м", stem + "ом", stem + y + "х", stem + y + "ми"]
rows = {}
for line in english.strip().splitlines():
    code, names = line.split(" ", 1)
    rows.setdefault(code, []).extend(n.strip() for n in names.split(","))
for line in russian.strip().splitlines():
    code, rest = line.split(" ", 1)
    adjs, _, people = rest.partition(";")
    for a in adjs.split(","):
        rows.setdefault(code, []).extend(adjective(a.strip()))
    if people:
        rows[code].extend(n.strip() for n in people.split(","))
target = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "rules", "geonames", "demonyms.tsv")
with open(target, "w", encoding="utf-8", newline="\n") as out:
    out.write("""# Demonyms: what a country's people and things are called, for the countries aliases.tsv does
# not cover and the UK's nations (English adjectives and people; Russian adjectives in their
# 12 forms, and people).
# Written for Winnow by hand; tools/demonyms.py spells out the Russian forms.
# Same layout as aliases.tsv: TARGET<TAB>name, name, ...
# Names in lowercase (the Russian ones) match lowercase text. Not listed on purpose: names of
# more than one country's people ("Korean", "Congolese", "Central African", "корейский"),
# "Pole" (the North Pole), "Kiwi", "CAR" and "PNG" (headlines and file formats in capitals).
""")
    for code in sorted(rows):
        out.write(code + "\t" + ", ".join(rows[code]) + "\n")
print(f"{target}: {len(rows)} targets, {sum(len(v) for v in rows.values())} names")
