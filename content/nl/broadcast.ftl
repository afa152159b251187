# Eén bericht aan meerdere deelnemers (projectteam): /broadcast.

# Wat deelnemers krijgen: de kopregel, dan het bericht van het team.
# Kort: een fotobijschrift telt hoogstens 1024 tekens, waarvan 1000 voor het bericht.
bc-header = 📣 Je begeleiders
bc-message =
    { bc-header }

    { $text }

bc-write = <b>Bericht aan meerdere deelnemers.</b> Schrijf je bericht (hoogstens 3500 tekens), of stuur een foto of document met een bijschrift (hoogstens 1000 tekens).
bc-current = Je hebt al een bericht geschreven: houd het, of stuur een ander.
bc-keep = Houden ▶️
bc-cancel = ✖️ Annuleren
bc-cancelled = Oké, er wordt niets verstuurd.
bc-type-message = Stuur een tekst, een foto of een document, of tik op een knop.
bc-text-long = Je bericht is te lang ({ $length } tekens): hoogstens 3500.
bc-caption-long = Het bijschrift is te lang ({ $length } tekens): hoogstens 1000.

bc-audience = Wie moet dit bericht krijgen?
bc-audience-mine = 👥 Mijn deelnemers
bc-audience-territory = 📍 Een regio
bc-audience-occupation = 🛠 Een beroep
bc-audience-session = 📅 De ingeschrevenen van een sessie
bc-audience-everyone = 🌍 Iedereen
bc-territory = De deelnemers uit welke regio?
bc-occupation = De deelnemers met welk beroep? Schrijf het om te zoeken (bijvoorbeeld: heftruckchauffeur).
bc-occupation-pick = Resultaten voor ‘{ $query }’. Tik op het juiste beroep, of schrijf een ander woord.
bc-occupation-unknown = Ik vind geen beroep voor ‘{ $query }’. Probeer een ander woord, in het Nederlands of het Frans.
bc-session = De ingeschrevenen (bevestigd en op de wachtlijst) van welke sessie?
bc-session-none = Er is geen sessie gepland. Ga terug om een ander publiek te kiezen.
bc-session-item = { $when } · { $title }
bc-refused = Je kunt dit publiek niet aanschrijven.
bc-unknown = Deze keuze bestaat niet meer. Kies opnieuw.

bc-preview = 👀 <b>Voorbeeld</b>: zo krijgen de deelnemers het bericht.
bc-reach = { $count ->
    [0] Het zou niemand bereiken
    [one] Het bereikt 1 persoon
   *[other] Het bereikt { $count } personen
} ({ $unreachable ->
    [0] niemand onbereikbaar
    [one] 1 andere onbereikbaar: bot geblokkeerd
   *[other] { $unreachable } anderen onbereikbaar: bot geblokkeerd
}).
bc-nobody = Kies een ander publiek, of annuleer.
bc-send = ✅ Versturen
bc-edit = ✏️ Bericht wijzigen
bc-already-sent = Dit bericht is al vertrokken.

bc-progress = 📤 Versturen: { $sent } / { $total }
bc-report =
    ✅ <b>Bericht verstuurd.</b>
    Ontvangen door: { $delivered }
    Onbereikbaar (bot geblokkeerd): { $unreachable }
    Mislukt: { $failed }
