# Vacatures: meldingen, overzichten, /jobs, antwoorden, leads voor de consulent.

cmd-jobs = Mijn vacatures
menu-jobs = 💼 Mijn vacatures

alert-card =
    💼 <b>{ $title }</b>
    🏢 { $employer }
    📍 { $town } · { $km } km
    📄 { $contract }{ $hours ->
        [0] {""}
       *[other] {" · "}{ $hours } u per week
    }
    ✅ <b>Waarom voor u:</b> { $reasons }

    { $description }
    { $translated ->
        [no] <i>Automatische vertaling niet beschikbaar: dit is de oorspronkelijke tekst.</i>
       *[yes] { $machine ->
            [yes] <i>Automatisch vertaald uit het Frans.</i>
           *[no] {""}
        }
    }
alert-interested = 🙋 Interesseert me
alert-not-for-me = 👎 Niets voor mij
alert-original = 🇧🇪 Originele tekst
alert-stop = 🔕 Stop deze meldingen

contract-permanent = Vast contract (onbepaalde duur)
contract-temporary = Tijdelijk contract (bepaalde duur)
contract-interim = Interim

match-reason-occupation = uw beroep: { $occupation }
match-reason-related = verwant aan uw beroep: { $occupation }
match-reason-distance = { $town }, { $km } km van uw woning
match-reason-dutch = { $level ->
    [A0] geen Nederlands nodig
   *[other] Nederlands { $level } volstaat
}
match-reason-licence = rijbewijs B gevraagd (u hebt het)
match-reason-schedule-day = dagwerk
match-reason-schedule-shifts = ploegenwerk
match-reason-schedule-nights = nachtwerk
match-reason-schedule-weekends = weekendwerk

digest =
    📬 <b>{ $count ->
        [one] Eén nieuwe vacature voor u
       *[other] { $count } nieuwe vacatures voor u
    }</b> { $mode ->
        [weekly] deze week
       *[other] vandaag
    }, de beste eerst.
    Tik op een vacature om ze te lezen.
digest-item = { $n }. { $title } · { $town } · { $km } km

alert-interested-done =
    👍 Genoteerd! Uw consulent weet dat « { $title } » u interesseert.
    Hij of zij neemt contact op voor de volgende stap (cv, gesprek, verplaatsing).
alert-interested-again = Uw consulent weet al dat deze vacature u interesseert. U hoort snel iets.
alert-interested-team =
    👍 Genoteerd! Het projectteam weet dat « { $title } » u interesseert.
    Iemand neemt contact op voor de volgende stap (cv, gesprek, verplaatsing).
alert-interested-team-again = Het projectteam weet al dat deze vacature u interesseert. U hoort snel iets.
alert-interested-nobody =
    👍 Genoteerd: uw interesse voor « { $title } » is bewaard. Er is nu geen consulent beschikbaar.
alert-why-not = Waarom? (niet verplicht, het helpt ons beter te kiezen)
alert-reason-distance = 📍 Te ver
alert-reason-schedule = 🕑 Uren
alert-reason-contract = 📄 Contract
alert-reason-dutch = 🗣 Te veel Nederlands
alert-reason-job = 🔧 Niet mijn beroep
alert-reason-other = Andere reden
alert-reason-skip = Overslaan
alert-not-for-me-done = Genoteerd, dank u. Ik toon u deze vacature niet meer.
alert-stopped =
    🔕 Klaar: u krijgt geen meldingen meer.
    Uw vacatures ziet u nog altijd met /jobs, en u zet de meldingen weer aan in /profile.
alert-original-text =
    🇧🇪 <b>{ $title }</b>
    { $description }
vacancy-gone = Deze vacature is niet meer beschikbaar. Bekijk uw huidige vacatures met /jobs.

jobs-title = { $count ->
    [one] 💼 Eén vacature past bij uw profiel:
   *[other] 💼 { $count } vacatures passen bij uw profiel, de beste eerst:
}
jobs-none =
    Op dit moment is er geen vacature voor uw profiel.
    Ik laat het u weten zodra er een is. Uw consulent kan u ook helpen.
jobs-none-team =
    Op dit moment is er geen vacature voor uw profiel.
    Ik laat het u weten zodra er een is. Het projectteam kan u ook helpen („💬 Mijn consulent spreken” in het menu).
jobs-register-first = Om vacatures te zien, schrijft u zich eerst in: het gaat snel.

staff-reason-occupation = zelfde beroep: { $occupation }
staff-reason-related = verwant beroep: { $occupation }
staff-reason-distance = { $town }, { $km } km van de woning
staff-reason-dutch = { $level ->
    [A0] geen Nederlands gevraagd
   *[other] Nederlands { $level } gevraagd (niveau gehaald)
}
staff-reason-licence = rijbewijs B gevraagd (heeft het)
staff-reason-schedule-day = dagwerk (aanvaardt)
staff-reason-schedule-shifts = ploegenwerk (aanvaardt)
staff-reason-schedule-nights = nachtwerk (aanvaardt)
staff-reason-schedule-weekends = weekendwerk (aanvaardt)

lead =
    🙋 <b>Lead: { $name } is geïnteresseerd</b>
    Deelnemer: { $participant } · { $territory } · Nederlands { $dutch }
    Beroepen: { $occupations }
    Bereikt via: { $reach }

    💼 <b>{ $title }</b> ({ $vacancy })
    🏢 { $employer } · 📍 { $town }, { $km } km
    ✅ { $reasons }
    { $url }
lead-write = ✍️ Schrijven naar { $name }
