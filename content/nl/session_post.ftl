# Een onlinesessie aanmaken (projectteam): één vraag per bericht, bij elke stap een weg terug.

cmd-newsession = Sessie aanmaken (team)

spost-kind = <b>Nieuwe onlinesessie.</b> Wat voor sessie is het?
spost-cancel = ✖️ Annuleren
spost-cancelled = Goed, er is niets gepubliceerd.
spost-keep = Behouden ▶️
spost-skip = Overslaan ⏭️
spost-current = Huidig antwoord: « { $current } »
spost-type-text = Typ uw antwoord als tekst, of tik op een knop.

spost-title-fr = Wat is de titel van de sessie, in het Frans? (3 tot 200 tekens, bijvoorbeeld: Vlaamse Verpakking se présente)
spost-title-nl = En de titel in het Nederlands? Schrijf hem, tik op « Automatisch vertalen », of op « Overslaan »: Nederlandstaligen zien dan de Franse titel.
spost-title-short = De titel is te kort: schrijf minstens 3 tekens.
spost-title-long = De titel is te lang ({ $length } tekens): hoogstens 200.
spost-description-fr = Een beschrijving in het Frans? Programma, doelgroep, sprekers… (hoogstens 2000 tekens). Schrijf ze, of tik op « Overslaan ».
spost-description-nl = En de beschrijving in het Nederlands? Schrijf ze, tik op « Automatisch vertalen », of op « Overslaan ».
spost-description-long = De beschrijving is te lang ({ $length } tekens): hoogstens 2000.
spost-translate = 🌐 Automatisch vertalen
spost-translated = Automatische vertaling: « { $current } ». Kijk ze na: behoud ze, of schrijf een betere versie.
spost-translate-unavailable = Automatisch vertalen lukt nu niet. Schrijf de tekst in het Nederlands, of tik op « Overslaan ».

spost-day = Welke dag? Tik op een datum in de kalender (vandaag of later).
spost-day-past = Die datum is al voorbij. Kies vandaag of een latere dag.
spost-time = Hoe laat begint ze, { $day }? Tik op een uur, of schrijf het (bijvoorbeeld: 14:30 of 14u30), Belgische en Franse tijd.
spost-time-invalid = Dat uur begrijp ik niet. Schrijf het zo: 14:30 of 14u30.
spost-time-past = Dat moment is al voorbij. Kies een later uur, of ga terug om een andere dag te kiezen.
spost-time-missing = Dat uur bestaat die dag niet (overgang naar zomertijd). Kies een ander uur.
spost-duration = Hoe lang duurt ze? Tik op een duur, of schrijf een aantal minuten (15 tot 480).
spost-minutes = { $minutes } min
spost-duration-invalid = Schrijf een geheel aantal minuten, van 15 tot 480 (bijvoorbeeld: 75).
spost-url = Wat is de link om deel te nemen (Teams, Zoom, Meet…)? Schrijf het volledige adres, dat begint met https://
spost-url-invalid = Die link is niet bruikbaar. Schrijf een volledig adres dat begint met https:// (bijvoorbeeld: https://meet.example.com/abc).
spost-capacity = Hoeveel plaatsen? Tik op een aantal, of schrijf het (1 tot 500).
spost-capacity-invalid = Schrijf een geheel aantal plaatsen, van 1 tot 500.

spost-territories = Voor inwoners van welke regio's? Tik op de regio's, dan op « Volgende ». Niets aangevinkt: alle regio's.
spost-occupations = Voor welke beroepen? Schrijf een beroep om het te zoeken (bijvoorbeeld: heftruckchauffeur), of tik op « Alle beroepen ».
spost-occupations-chosen = Gekozen beroepen: { $chosen_names }. Schrijf er nog een om het toe te voegen, tik op een beroep om het te schrappen, of tik op « Volgende ».
spost-occupations-all = Alle beroepen
spost-occupation-pick = Resultaten voor « { $query } ». Tik op het juiste beroep, of schrijf een ander woord.
spost-occupation-unknown = Ik vind geen beroep voor « { $query } ». Probeer een ander woord, in het Nederlands of het Frans.
spost-dutch = Voor welk niveau Nederlands (A0: geen)? Tik op de niveaus, dan op « Volgende ». Niets aangevinkt: alle niveaus.
spost-cutoff = Tot wanneer kan men een plaats reserveren?
spost-cutoff-option = { $hours ->
    [0] Tot het begin
   *[other] Tot { $hours } u vooraf
}

spost-preview = 👀 <b>Voorbeeld</b>: zo krijgen de deelnemers de uitnodiging, met de knop « { session-book } ».
spost-preview-in = { $lang ->
    [nl] 🇧🇪 Voor wie Nederlands leest:
   *[fr] 🇫🇷 Voor wie Frans leest:
}
spost-preview-details =
    🔗 { $url }
    ⏳ { $cutoff ->
        [0] Reserveren kan tot het begin.
       *[other] Reserveren kan tot { $cutoff } u voor het begin.
    }
    🎯 { $territories } · { $occupations } · Nederlands: { $levels }
spost-all-territories = alle regio's
spost-all-occupations = alle beroepen
spost-all-levels = alle niveaus
spost-audience = { $count ->
    [0] ⚠️ Ze bereikt voorlopig niemand: geen enkele gevolgde deelnemer past.
    [one] 📨 Ze bereikt 1 deelnemer.
   *[other] 📨 Ze bereikt { $count } deelnemers.
}
spost-publish = ✅ Publiceren
spost-edit = ✏️ Wijzigen
spost-published =
    { $count ->
        [0] ✅ Sessie gepubliceerd. Geen uitnodigingen: voorlopig past niemand.
        [one] ✅ Sessie gepubliceerd: 1 uitnodiging klaar om te versturen.
       *[other] ✅ Sessie gepubliceerd: { $count } uitnodigingen klaar om te versturen.
    }
    De uitnodigingen vertrekken binnen de minuut (behalve 's nachts, van 21 tot 8 uur: dan om 8 uur).
spost-another = ➕ Nog een sessie aanmaken
spost-refused-territory = ⛔ Een sessie die u publiceert, is voor uw regio: vink die ook aan, of geen enkele (iedereen).
