# Een vacature plaatsen (projectteam): één vraag per bericht, bij elke stap een weg terug.

cmd-vacancy = Vacature publiceren (team)
cmd-invite = Mijn uitnodigingslink (team)

vpost-lang = <b>Nieuwe vacature.</b> In welke taal schrijft u ze?
vpost-lang-nl = 🇧🇪 Nederlands
vpost-lang-fr = 🇫🇷 Frans
vpost-cancel = ✖️ Annuleren
vpost-cancelled = Goed, er is niets geplaatst.
vpost-keep = Behouden ▶️
vpost-skip = Overslaan ⏭️
vpost-current = Huidig antwoord: « { $current } »
vpost-type-text = Typ uw antwoord als tekst, of tik op een knop.

vpost-title = Wat is de functietitel? Schrijf hem in de taal van de vacature (3 tot 200 tekens).
vpost-title-short = De functietitel is te kort: schrijf minstens 3 tekens.
vpost-title-long = De functietitel is te lang ({ $length } tekens): hoogstens 200.
vpost-employer = Wie is de werkgever?
vpost-employer-short = Schrijf de naam van de werkgever (minstens 2 tekens).
vpost-employer-long = De naam is te lang ({ $length } tekens): hoogstens 120.
vpost-occupation = Welk beroep? Schrijf het in het Nederlands of het Frans (bijvoorbeeld: heftruckchauffeur, cariste).
vpost-occupation-pick = Resultaten voor « { $query } ». Tik op het juiste beroep, of schrijf een ander woord.
vpost-occupation-unknown = Ik vind geen beroep voor « { $query } ». Probeer een ander woord, in het Nederlands of het Frans.
vpost-place = Waar is de werkplek? Schrijf de postcode of de gemeente (bijvoorbeeld: 8500 of Kortrijk).
vpost-place-pick = Er passen meerdere gemeenten. Welke?
vpost-place-option = { $name } ({ $postcode })
vpost-place-unknown = Ik ken « { $query } » niet. Schrijf een postcode of gemeente uit West-Vlaanderen, het Noorderdepartement of Picardisch Wallonië.
vpost-dutch = Welk niveau Nederlands is nodig?
vpost-dutch-level = { $level ->
    [A0] A0: niet nodig
   *[other] { $level }
}
vpost-licence = Is een rijbewijs nodig?
vpost-contract = Welk contract?
vpost-schedule = Welke uren? Tik op alles wat past, dan op « Volgende ».
vpost-schedule-none = Geen bijzondere uren
vpost-hours = Hoeveel uur per week? Schrijf een getal, of tik op « Overslaan ».
vpost-hours-invalid = Schrijf een geheel aantal uren, van 1 tot 50 (bijvoorbeeld: 38).
vpost-expires = Tot wanneer loopt de vacature? Schrijf een datum (31/12/2026), of tik op « Overslaan ».
vpost-expires-invalid = Ik begrijp deze datum niet. Schrijf ze zo: 31/12/2026 of 2026-12-31.
vpost-expires-past = Die datum is al voorbij. Schrijf vandaag of een latere datum.
vpost-description = Een beschrijving? Taken, uren, loon… (hoogstens 3500 tekens). Schrijf ze, of tik op « Overslaan ».
vpost-description-long = De beschrijving is te lang ({ $length } tekens): hoogstens 3500.
vpost-url = Een link naar de volledige vacature? Schrijf een adres https://…, of tik op « Overslaan ».
vpost-url-invalid = Deze link past niet. Schrijf een volledig adres dat begint met https://

vpost-preview =
    👀 <b>Voorbeeld</b>: zo krijgen de deelnemers de vacature, in elke taal.
    De afstand en de redenen verschillen per persoon.
vpost-preview-for = { $lang ->
    [nl] <b>— Voor wie Nederlands leest:</b>
   *[fr] <b>— Voor wie Frans leest:</b>
}
vpost-publish = ✅ Plaatsen
vpost-edit = ✏️ Wijzigen
vpost-problems = Ik kan deze vacature niet plaatsen: { $problems }. Verbeter ze, alstublieft.
vpost-published =
    ✅ Vacature geplaatst onder referentie { $id }.
    { $fits ->
        [0] Nog geen enkele gevolgde deelnemer heeft een passend profiel.
        [one] Eén gevolgde deelnemer heeft een passend profiel ({ $telegram } op Telegram).
       *[other] { $fits } gevolgde deelnemers hebben een passend profiel ({ $telegram } op Telegram).
    }
    Ze wordt op de achtergrond vertaald en met de profielen vergeleken. Wie een passend profiel heeft, krijgt binnen de minuut een melding (behalve 's nachts, van 21 tot 8 uur: dan om 8 uur).
vpost-another = ➕ Nog een vacature plaatsen
