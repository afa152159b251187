# Online sessies: herinneringen.

reminder-3d =
    📅 Hallo! Uw plaats voor « { $title } » is gereserveerd, { $when }.
    We houden ze voor u vrij. Kunt u niet komen? Annuleer dan: zo kan iemand anders uw plaats nemen.
reminder-1d =
    ⏰ Het is morgen: « { $title } », { $when }. Uw plaats wacht op u.
    Verhinderd? Annuleer, zodat iemand anders kan komen.
reminder-1h =
    🔔 Over een uur: « { $title } », { $when }.
    De link om deel te nemen: { $url }
    Veel succes! Kunt u niet meer komen, annuleer dan om uw plaats vrij te maken.
reminder-now =
    🔔 « { $title } » begint zo meteen: { $when }.
    De link om deel te nemen: { $url }
    Veel succes!
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
    Ze is voor u! { $plan ->
        [now] Het begint zo meteen: de link om deel te nemen komt zo dadelijk.
       *[other] U krijgt vooraf een herinnering met de link.
    }
    Kunt u niet komen? Laat het weten, dan gaat de plaats naar de volgende.
session-decline = 🙅 Ik kan niet komen
session-booked-for =
    ✅ { $name }, van het team En Avant · Vooruit, heeft een plaats voor u gereserveerd: "{ $title }", { $when } ({ $minutes } min, online).
    { $plan ->
        [now] Het begint zo meteen: de link om deel te nemen komt zo dadelijk.
       *[other] U krijgt het bestand voor uw agenda en daarna vooraf een herinnering met de link.
    }
    Kunt u niet komen? { $hours ->
        [0] Annuleer vóór het begin
       *[other] Annuleer tot { $hours } u vooraf
    }, zodat iemand anders kan komen.

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

## /sessions en de fiche van een sessie.
sessions-register-first = Om een presentatie of workshop te reserveren, schrijft u zich eerst in: het gaat snel.
sessions-none = Er is nu geen presentatie of workshop voor u gepland. U krijgt een uitnodiging zodra er een is.
sessions-title = { $count ->
    [one] 1 presentatie of workshop voor u. Tik om te bekijken:
   *[other] { $count } presentaties en workshops voor u. Tik om te bekijken:
}
sessions-item = { $mark } { $when } · { $title }
sessions-back = ⬅️ Alle sessies
session-card =
    <b>{ $kind }</b>
    "{ $title }"
    🕑 { $when } ({ $minutes } min), online.
session-seats-left = { $seats ->
    [one] Er is nog 1 plaats.
   *[other] Er zijn nog { $seats } plaatsen.
}
session-full = Het is volzet: u kunt op de wachtlijst.
session-yours-confirmed = ✅ Uw plaats is gereserveerd.
session-yours-waiting = ⏳ U bent nr. { $position } op de wachtlijst.
session-cancel-mine = ❌ Mijn plaats annuleren

## Reserveren.
session-booked =
    ✅ Gereserveerd: "{ $title }", { $when }.
    { $plan ->
        [now] Het begint zo meteen: de link om deel te nemen komt zo dadelijk, met het bestand voor uw agenda.
        [one] U krijgt het bestand voor uw agenda en daarna een herinnering met de link, een uur vooraf.
        [two] U krijgt het bestand voor uw agenda en daarna een herinnering de dag ervoor en een met de link een uur vooraf.
       *[three] U krijgt het bestand voor uw agenda en daarna herinneringen 3 dagen vooraf, de dag ervoor, en een uur vooraf met de link.
    }
    { $hours ->
        [0] Annuleren kan tot het begin.
       *[other] Annuleren kan tot { $hours } u vooraf.
    }
session-waitlisted =
    ⏳ Het is volzet. U bent nr. { $position } op de wachtlijst voor "{ $title }".
    Komt er een plaats vrij, dan is ze voor u en laten we het u weten.
session-already-confirmed = ✅ U hebt al een plaats voor "{ $title }", { $when }.
session-already-waiting = ⏳ U staat al op de wachtlijst voor "{ $title }" (nr. { $position }).
session-overlap = ⚠️ Let op: op hetzelfde uur hebt u ook "{ $title }", { $when }.
session-refused-cancelled = ❌ Deze sessie is geannuleerd. Bekijk de andere met /sessions.
session-refused-closed = Deze sessie staat niet open voor reservaties. Bekijk de andere met /sessions.
session-refused-past = Deze sessie is al voorbij. Bekijk de volgende met /sessions.
session-refused-cutoff = Reserveren en annuleren sluit { $hours } u voor de start. Voor een wijziging schrijft u uw consulent.

## Annuleren.
session-cancel-ask = { $mine ->
    [waiting] De wachtlijst voor "{ $title }" verlaten?
   *[seat] { $others ->
        [0] Uw plaats voor "{ $title }" annuleren?
       *[other] Uw plaats voor "{ $title }" annuleren? Ze gaat naar iemand die wacht.
    }
}
session-cancel-yes = Ja, annuleren
session-cancel-keep = Nee, ik houd ze
session-cancel-done = { $next ->
    [1] Geannuleerd. Bedankt: uw plaats gaat naar iemand die wachtte.
   *[other] Geannuleerd. Bedankt om het te laten weten.
}
session-cancel-kept = 👍 Prima, u houdt uw plaats.
session-declined = { $next ->
    [1] Genoteerd: de plaats gaat naar de volgende. Bedankt om het te laten weten.
   *[other] Genoteerd, bedankt om het te laten weten.
}
session-no-seat = U hebt geen plaats voor deze sessie. Bekijk de sessies met /sessions.
session-here-done = 👍 Bedankt! Tot straks online.

## Uw mening.
session-rate-nothing = Bedankt, maar we hebben uw aanwezigheid bij deze sessie niet genoteerd.
session-rated =
    Bedankt voor uw score: { $rating }/5.
    Wilt u er iets bij schrijven? Typ het nu (een zin is genoeg).
session-comment-skip = Nee, bedankt
session-comment-thanks = 🙏 Bedankt, uw mening helpt ons de volgende sessies voor te bereiden.
session-comment-text-only = Schrijf uw mening in tekst, alstublieft (of tik op "Nee, bedankt").
session-comment-too-long = Dat is wat lang: maximaal { $max } tekens, alstublieft.
