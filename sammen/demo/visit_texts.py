"""Made-up Norwegian texts for the demo's visits (samvær); no real person or event behind them.

`{who}` is the visitor as the child's family says it ("mor", "far", "mormor"), `{Who}` the same
with a capital letter, `{child}` the child's first name.
"""

CHILD_VIEWS = (
    "{child} vil gjerne treffe {who}, men ikke for lenge om gangen.",
    "{child} ønsker samvær på et sted der de kan finne på noe sammen.",
    "{child} har sagt at samvær er greit når veilederen er i nærheten.",
    "{child} er for liten til å si sin mening; vi ser etter reaksjoner før og etter samværene.",
    "{child} vil treffe {who} oftere og spør ofte når neste samvær er.",
)
FOSTER_HOME_VIEWS = (
    "Fosterforeldrene støtter planen og kjører {child} til samværene.",
    "Fosterhjemmet ønsker samvær på ettermiddagen i ukedagene, ikke i helgene.",
    "Fosterforeldrene opplever at {child} blir urolig etter samvær og ønsker tett kontakt "
    "med veilederen.",
)
PARENTS_VIEWS = (
    "{Who} ønsker hyppigere samvær enn nemnda har fastsatt.",
    "{Who} er enig i planen og vil gjerne ha samværene i samværsleiligheten.",
    "{Who} ønsker samvær uten tilsyn, men godtar tilsyn inntil videre.",
    "{Who} ønsker at samværene etter hvert kan være hjemme.",
)
TRANSPORT = (
    "Fosterfar kjører {child} til og fra samværet.",
    "{Who} tar buss; barneverntjenesten dekker billetten.",
    "Veilederen henter {child} i fosterhjemmet og kjører tilbake etterpå.",
    "{Who} kommer med tog; barneverntjenesten dekker reisen.",
)
OTHER_CONTACT_NOTES = (
    "Videosamtale annenhver søndag kl. 18, avtalt med fosterhjemmet.",
    "Fosterhjemmet sender bilder til {who} én gang i måneden.",
    "{child} kan ringe {who} når {child} selv ønsker det.",
)

# Before, during and after a held visit.
PREP_PARENT = (
    "Ringte {who} dagen før. Vi snakket om hva {child} liker å gjøre, og om å la {child} styre "
    "leken.",
    "Kort samtale med {who} før samværet om å holde saken og retten utenfor samværet.",
    "{Who} ville ta med en gave; vi avtalte at den gis i starten av samværet.",
    "Gikk gjennom avtalen med {who}: tid, sted og hva vi gjør hvis {child} blir lei seg.",
)
PREP_FOSTER_HOME = (
    "Fostermor fortalte at {child} har sovet dårlig denne uka og var spent på samværet.",
    "Fosterfar kjører {child} og henter etterpå. Ingen spesielle hendelser siden sist.",
    "Fosterhjemmet meldte at {child} har gledet seg og har laget en tegning til {who}.",
)
CHILD_REACTIONS = (
    "{child} var avventende de første minuttene, men slappet av da de begynte å spille.",
    "{child} søkte {who} fra starten og ville vise fram skolearbeid.",
    "{child} ble urolig mot slutten og spurte når fosterfar skulle komme.",
    "{child} lekte godt og lo mye; ved avskjeden gråt {child} litt, men roet seg raskt.",
)
PARENT_CONTACT = (
    "{Who} var varm og tålmodig, fulgte initiativene til {child} og satte grenser rolig.",
    "{Who} snakket om voksne temaer og måtte minnes på avtalen; tok imot veiledning.",
    "God kontakt. {Who} hadde med mat, og de spiste sammen.",
    "{Who} var stille i starten, men fant tonen med {child} da de tegnet sammen.",
)
AFTER_PARENT = (
    "Snakket med {who} etterpå om det som gikk bra, og om hvordan avskjeden kan bli lettere.",
    "{Who} var lei seg etter avskjeden. Vi avtalte en samtale neste uke.",
    "{Who} var fornøyd og ønsker lengre samvær. Tas opp når planen evalueres.",
)
AFTER_CHILD = (
    "{child} sa at det var fint å se {who}, men at det var slitsomt.",
    "{child} ville ikke snakke om samværet i dag; fosterforeldrene følger opp.",
    "{child} fortalte at det beste var å spille spill, og gleder seg til neste gang.",
)
STOP_REASON = (
    "{Who} ble sint og snakket nedsettende om fosterhjemmet foran {child}. Samværet ble "
    "avsluttet etter 40 minutter, slik planen sier."
)

# Cancelled or missed visits, by who cancelled.
CANCEL_REASONS = {
    "parent": (
        "{Who} meldte sykdom.",
        "{Who} fikk ikke fri fra jobb og ba om ny tid.",
        "{Who} hadde time hos NAV samme dag.",
    ),
    "foster_home": (
        "{child} hadde feber; fosterhjemmet avlyste.",
        "Fosterfamilien var bortreist i skoleferien.",
    ),
    "service": (
        "Veilederen ble syk, og ingen andre kunne ta samværet.",
        "Samværsleiligheten var stengt på grunn av vannlekkasje.",
    ),
    "child": ("{child} ville ikke gå på samvær denne gangen; tas opp i samtale med {child}.",),
}
NO_SHOW_REASONS = (
    "{Who} møtte ikke og svarte ikke på telefon.",
    "{Who} kom ikke; sa senere at bussen ikke gikk.",
)
SHORTFALL_REASON = "Veilederen er sykmeldt. Nytt tidspunkt er ikke avtalt ennå."

# Reports and expenses.
REPORT_SUMMARIES = (
    "Samværene har i hovedsak blitt gjennomført som planlagt. {child} og {who} har god kontakt, "
    "og {Who} tar imot veiledning før og etter samværene.",
    "Samværet gikk rolig. {child} var trygg i situasjonen, og {who} fulgte avtalene i planen.",
)
REPORT_ASSESSMENTS = (
    "Veilederen vurderer at samværene ivaretar formålet i planen. Tilsynet bør fortsette fram "
    "til evalueringen.",
    "Det er behov for å snakke mer med {who} om avskjeden, som er vanskelig for {child}.",
)
PARENT_COMMENTS = (
    "{Who} er enig i beskrivelsen, men mener samværene er for korte.",
    "{Who} kjenner seg igjen i rapporten og har ingen merknader.",
)
EXPENSE_NOTES = {
    "travel": ("Togbillett tur–retur for {who}", "Bussbillett for {who}"),
    "food": ("Middag under samværet", "Lunsj og frukt på tur"),
}
