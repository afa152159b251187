# Online sessies: herinneringen.

reminder-3d =
    📅 Hallo! Uw plaats voor « { $title } » is gereserveerd, { $when }.
    We houden ze voor u vrij. Kunt u niet komen? Annuleer dan: uw plaats gaat naar iemand die wacht.
reminder-1d =
    ⏰ Het is morgen: « { $title } », { $when }. Uw plaats wacht op u.
    Verhinderd? Annuleer, zodat iemand anders kan komen.
reminder-1h =
    🔔 Over een uur: « { $title } », { $when }.
    De link om deel te nemen: { $url }
    Veel succes! Kunt u niet meer komen, annuleer dan om uw plaats vrij te maken.
reminder-coming = ✅ Ik ben erbij
reminder-cancel = ❌ Mijn plaats annuleren

## Wat alle sessies zeggen.
cmd-sessions = Presentaties en workshops
menu-sessions = 📅 Presentaties en workshops
session-kind-company_presentation = Online bedrijfspresentatie
session-kind-coaching = Workshop taal en cultuur
session-kind-info = Infosessie
session-book = 📅 Mijn plaats reserveren

## Uitnodiging (bij publicatie).
session-invite =
    📣 <b>{ $kind }</b>
    "{ $title }"
    🕑 { $when } ({ $minutes } min), online.
    { $seats } plaatsen. Reserveer de uwe:

## De agenda (.ics) bij de plaats.
session-ics = 📎 Zet "{ $title }" in uw agenda: open dit bestand.
session-ics-updated = 📎 Het nieuwe uur voor uw agenda: open dit bestand.
session-ics-cancelled = 📎 Om "{ $title }" uit uw agenda te halen: open dit bestand.

## Er kwam een plaats vrij.
session-promoted =
    🎉 Goed nieuws: er is een plaats vrijgekomen voor "{ $title }", { $when }.
    Ze is voor u! U krijgt vooraf een herinnering.
    Kunt u niet komen? Laat het weten, dan gaat de plaats naar de volgende.
session-decline = 🙅 Ik kan niet komen

## Wijzigingen en annulering.
session-changed =
    ✏️ Wijziging voor "{ $title }":
    { $what }
    Uw plaats blijft gereserveerd.
session-changed-when = nieuw uur: { $new } (in plaats van { $old })
session-changed-minutes = duur: { $minutes } min
session-changed-url = nieuwe link: { $url }
session-changed-title = nieuwe titel (eerst: "{ $old }")
session-cancelled =
    ❌ Sorry: "{ $title }", { $when }, gaat niet door.
    Uw reservering is geannuleerd. We stellen u andere data voor.

## Na de sessie.
session-feedback =
    🙏 Bedankt om naar "{ $title }" te komen.
    Hoe was het? Tik een score van 1 (niet goed) tot 5 (heel goed).
session-rate-1 = 1
session-rate-2 = 2
session-rate-3 = 3
session-rate-4 = 4
session-rate-5 = 5
