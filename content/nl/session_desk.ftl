# Het sessiebureau (team): /mysessions.

cmd-mysessions = Mijn sessies (team)

## De lijst.
desk-list-title = 📋 Komende sessies en die van de voorbije 14 dagen. Tik er een aan:
desk-list-more = … en { $more } andere later.
desk-list-empty =
    Geen komende sessies, en geen van de voorbije 14 dagen.
    Een nieuwe maken: /newsession
desk-list-item = { $date } · { $title } · { $confirmed }/{ $capacity }{ $waiting ->
        [0] {""}
       *[other] {" · "}⏳{ $waiting }
    }
desk-gone = Deze sessie bestaat niet meer.

## Het scherm van een sessie.
desk-session =
    { $kind }
    <b>{ $title }</b>
    🕑 { $when } · { $minutes } min
    🔗 { $url }
    💺 { $confirmed }/{ $capacity } plaatsen gereserveerd · ⏳ { $waiting } op de wachtlijst
    ⛔ Reserveren kan tot { $cutoff }
desk-session-draft = 📝 Ontwerp: nog niet gepubliceerd.
desk-session-cancelled = ❌ Sessie geannuleerd.
desk-session-turnout = ✅ Aanwezigheid genoteerd: { $marked }/{ $confirmed } · afwezig: { $rate } %
desk-session-turnout-none = ✅ Aanwezigheid: nog niet genoteerd.
desk-session-rating = ⭐ Gemiddelde score: { $average }/5 ({ $ratings } beoordelingen)
desk-button-who = 👥 Wie is ingeschreven
desk-button-attendance = ✅ Aanwezigheid
desk-button-time = 🕑 Tijdstip wijzigen
desk-button-url = 🔗 Link wijzigen
desk-button-seats = 💺 Plaatsen wijzigen
desk-button-book = ➕ Deelnemer inschrijven
desk-button-cancel = ❌ Sessie annuleren
desk-button-list = ⬅️ Alle sessies

## Wie is ingeschreven.
desk-who-title = 👥 "{ $title }": { $confirmed }/{ $capacity } plaatsen
desk-who-nobody = Nog niemand ingeschreven.
desk-who-seats = Met een plaats:
desk-who-waiting = Op de wachtlijst (in volgorde):
desk-who-line = { $n }. { $label } · { $reach }
desk-who-line-history = { $n }. { $label } · { $reach } · afwezig { $no_shows }/{ $marked }
desk-who-others = { $count ->
    [one] + 1 persoon uit een andere regio
   *[other] + { $count } personen uit andere regio's
}

## Aanwezigheid.
desk-attendance-title =
    ✅ Aanwezigheid: "{ $title }", { $when }
    Tik op een persoon: ◻️ te noteren → ✅ aanwezig → ❌ afwezig.
    Aanwezig: { $attended } · afwezig: { $no_shows } · te noteren: { $unmarked }
desk-attendance-nobody = Niemand had een plaats.
desk-attendance-unmarked = ◻️ { $label }
desk-attendance-attended = ✅ { $label }
desk-attendance-no_show = ❌ { $label }
desk-attendance-not-yet = De aanwezigheid noteer je zodra de sessie begonnen is.
desk-seat-gone = Deze plaats bestaat niet meer: open de aanwezigheid opnieuw.
desk-button-done = ✔️ Klaar
desk-feedback-asked = { $count ->
    [0] 💬 Niemand staat als aanwezig genoteerd: er wordt geen mening gevraagd.
    [one] 💬 "Hoe was het?" gaat naar de persoon die er was.
   *[other] 💬 "Hoe was het?" gaat naar de { $count } personen die er waren.
}
desk-feedback-at-end = { $count ->
    [0] 💬 Nog niemand staat als aanwezig genoteerd. Na afloop van de sessie vragen we de aanwezigen naar hun mening.
   *[other] 💬 Na afloop van de sessie gaat "Hoe was het?" naar wie als aanwezig genoteerd staat ({ $count } voorlopig).
}

## Tijdstip, link, plaatsen wijzigen.
desk-ask-starts_at =
    🕑 Nieuwe datum en uur voor "{ $title }"?
    Schrijf dag, maand en uur, bijvoorbeeld 12/01 14:30 of 12/01/2027 14:30 (Belgische en Franse tijd).
    Nu: { $when }.
desk-ask-url =
    🔗 Nieuwe link voor "{ $title }"?
    Plak het volledige adres, dat begint met https://
    Nu: { $url }
desk-ask-capacity =
    💺 Hoeveel plaatsen in totaal voor "{ $title }"?
    Minstens { $confirmed } (al gereserveerd). Nu: { $capacity }.
desk-wrong-starts_at = Die datum begrijp ik niet. Schrijf dag, maand en dan het uur, bijvoorbeeld 12/01 14:30.
desk-wrong-past = Dat moment is al voorbij: kies een datum in de toekomst.
desk-wrong-url = Dat is geen https://-link. Kopieer de volledige link van de vergadering.
desk-wrong-capacity = Schrijf een aantal plaatsen van { $least } tot { $most }.
desk-confirm-starts_at = 🕑 "{ $title }": nieuw tijdstip { $new } (was: { $old }).
desk-confirm-url = 🔗 "{ $title }": nieuwe link { $url }
desk-confirm-capacity = 💺 "{ $title }": { $capacity } plaatsen (was: { $old }).
desk-button-confirm = ✅ Bevestigen
desk-will-tell = { $told ->
        [0] De bot hoeft niemand te verwittigen.
        [one] De bot verwittigt 1 ingeschreven persoon.
       *[other] De bot verwittigt { $told } ingeschreven personen.
    }
desk-told = { $told ->
        [0] Niemand te verwittigen door de bot.
        [one] 1 persoon verwittigd door de bot.
       *[other] { $told } personen verwittigd door de bot.
    }
desk-to-call = 📞 { $count ->
        [one] 1 ingeschreven persoon is niet bereikbaar op Telegram
       *[other] { $count } ingeschreven personen zijn niet bereikbaar op Telegram
    }: verwittig hen zelf.
desk-changed-starts_at = ✅ Tijdstip gewijzigd.
desk-changed-url = ✅ Link gewijzigd.
desk-changed-capacity = ✅ Aantal plaatsen gewijzigd.
desk-changed-nothing = Dat was al zo: er is niets gewijzigd.
desk-input-expired = Deze vraag loopt niet meer: begin opnieuw vanaf het scherm van de sessie.
desk-type-text = Schrijf uw antwoord als tekst, of tik op een knop.
desk-refused-cancelled = Deze sessie is geannuleerd: ze kan niet meer wijzigen.
desk-refused-past = Deze sessie is al begonnen: ze kan niet meer wijzigen.
desk-refused-capacity = Er zijn al { $confirmed } plaatsen gereserveerd: er zijn er minstens zoveel nodig.

## De sessie annuleren.
desk-cancel-confirm =
    ❌ "{ $title }", { $when }, annuleren?
    Alle reservaties worden geannuleerd.
desk-button-cancel-yes = ❌ Ja, sessie annuleren
desk-cancelled = ❌ Sessie geannuleerd.

## Een deelnemer inschrijven (die zijn consulent belde).
desk-book-ask =
    ➕ Wie inschrijven voor "{ $title }"?
    Schrijf de voornaam of de referentie.
desk-book-none = Niemand gevonden. Probeer de voornaam of de referentie van het dossier.
desk-book-pick = Tik op de juiste persoon (of schrijf een andere naam):
desk-book-more = Meer dan { $shown } personen gevonden: hier de eerste { $shown }. Verfijn indien nodig.
desk-book-confirmed = ✅ { $label } heeft een plaats.
desk-book-waitlisted = ⏳ Sessie volzet: { $label } staat op de wachtlijst, positie { $position }.
desk-book-already-confirmed = { $label } had al een plaats.
desk-book-already-waitlisted = { $label } stond al op de wachtlijst, positie { $position }.
desk-book-not-on-telegram = 📞 { $label } is niet bereikbaar op Telegram, per sms of per e-mail: geef zelf de datum en de link door.
desk-book-overlap = ⚠️ Op hetzelfde uur is { $label } ook ingeschreven voor "{ $other }", { $when }.
desk-book-refused-cancelled = Deze sessie is geannuleerd: niemand kan zich nog inschrijven.
desk-book-refused-closed = Deze sessie is niet gepubliceerd: niemand kan zich al inschrijven.
desk-book-refused-past = Deze sessie is al begonnen: te laat om in te schrijven.
desk-book-refused-cutoff = De inschrijvingen zijn gesloten ({ $hours } u voor het begin).
