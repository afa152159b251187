# Uitstroom (werk, opleiding, vertrek) en het programmaverslag.

## "Ik heb werk gevonden!" (deelnemer)
out-found-ask-employer = 🎉 Proficiat! Bij welke werkgever? Schrijf de naam, of tik op "Overslaan".
out-found-ask-start = Wanneer begint u? Tik op een knop, of schrijf de datum (bijvoorbeeld 14/01).
out-found-this-week = 📅 Deze week
out-found-next-week = 📅 Volgende week
out-found-register-first = Om ons te laten weten dat u werk hebt, schrijft u zich eerst in: dat gaat snel.
out-found-done =
    🎉 Bedankt, en nogmaals proficiat!
    Uw begeleider heeft het nieuws gekregen en bevestigt het samen met u.
out-found-done-team =
    🎉 Bedankt, en nogmaals proficiat!
    Het projectteam heeft het nieuws gekregen: iemand bevestigt het samen met u.
out-found-done-nobody =
    🎉 Bedankt, en nogmaals proficiat!
    Het nieuws is bewaard. Er is nu geen begeleider beschikbaar.
out-found-cancelled = Goed, er is niets verstuurd.
out-confirmed-participant = ✅ Uw begeleider heeft uw nieuwe job bevestigd. Proficiat, en veel succes bij de start!

## Gemeenschappelijke knoppen en antwoorden.
out-skip = Overslaan ⏭️
out-cancel = ✖️ Annuleren
out-today = 📅 Vandaag
out-keep = ➡️ Behouden: { $value }
out-not-said = niet vermeld
out-type-text = Schrijf uw antwoord als tekst, of tik op een knop.
out-wrong-employer = Schrijf de naam van de werkgever: 2 tot 120 tekens.
out-wrong-training = Schrijf de naam van de opleiding: 2 tot 120 tekens.
out-wrong-date = Die datum begrijp ik niet. Schrijf eerst de dag en dan de maand, bijvoorbeeld 14/01 of 14/01/2027 (hoogstens een jaar voor of na vandaag).
out-expired = Deze invoer loopt niet meer: begin opnieuw met /outcome.
out-quit = Goed, er is niets geregistreerd.
out-not-allowed = Deze persoon hoort niet bij uw regio: de eigen begeleider registreert de uitstroom.

## Het bericht aan de begeleider.
out-reported =
    🎉 <b>{ $label }</b> meldt werk te hebben gevonden.
    Werkgever: { $employer }
    Start: { $start }
    Bevestig het, of corrigeer het voor u het registreert.
out-button-confirm = ✅ Bevestigen
out-button-correct = ✏️ Corrigeren
out-review-confirmed = ✅ Bevestigd: { $label }, aan het werk vanaf { $start }.
out-review-already = Deze job is al bevestigd.
out-review-gone = Deze melding bestaat niet meer.

## Uitstroom registreren (team): /outcome.
out-ask-who = 🏁 <b>Uitstroom registreren.</b> Over wie gaat het? Schrijf de voornaam of de referentie.
out-who-none = Niemand uit uw regio komt overeen. Probeer een andere voornaam, of de referentie.
out-who-pick = Tik op de juiste persoon, of schrijf een andere naam:
out-who-more = Meer dan { $shown } personen komen overeen: geef de voornaam nauwkeuriger, of schrijf de referentie.
out-ask-kind =
    <b>{ $label }</b> · vandaag: { $status }
    Wat is er gebeurd?
out-kind-job = 💼 Werk
out-kind-training = 🎓 Een opleiding
out-kind-left = 🚪 Verlaat het programma
out-status-followed = begeleid
out-status-job = aan het werk
out-status-training = in opleiding
out-status-left = uit het programma
out-ask-employer = 💼 Bij welke werkgever?
out-ask-occupation = Welk beroep? Schrijf het in het Nederlands of het Frans (bijvoorbeeld: heftruckchauffeur), of tik op "Overslaan".
out-occupation-none = Ik vind geen beroep voor "{ $query }". Probeer een ander woord, of tik op "Overslaan".
out-occupation-pick = Resultaten voor "{ $query }". Tik op het juiste beroep, of schrijf een ander woord.
out-ask-contract = 📄 Welk contract?
out-ask-training = 🎓 Welke opleiding? Tik op "IBO" (individuele beroepsopleiding met VDAB), of schrijf de naam.
out-training-ibo = IBO
out-ask-start = 📅 Vanaf wanneer? Tik op "Vandaag", of schrijf de datum (14/01 of 14/01/2027).
out-ask-left = 📅 Op welke datum verliet de persoon het programma? Tik op "Vandaag", of schrijf de datum (14/01 of 14/01/2027).
out-summary-job = 💼 Werk bij { $employer } · { $occupation } · { $contract } · vanaf { $start }
out-summary-training = 🎓 Opleiding "{ $training }" vanaf { $start }
out-summary-left = 🚪 Verlaat het programma op { $start }
out-summary =
    <b>{ $label }</b>
    { $what }
    Registreren?
out-button-save = ✅ Registreren
out-saved = ✅ Geregistreerd. { $label } is nu: { $status }.
out-refused = Ik kon het niet registreren: er ontbreekt iets of iets klopt niet. Controleer het met "Terug".

## Het programmaverslag: /report en `enavant report`.
report-ask-period = 📊 <b>Programmaverslag.</b> Welke periode?
report-this-month = Deze maand
report-last-month = Vorige maand
report-this-year = Dit jaar
report-title = 📊 <b>Programmaverslag</b>
report-caption = 📊 Begeleid en aan het werk per regio, { $period }
report-period = van { $start } tot { $end }
report-col-metric = Indicator
report-total = Totaal
report-followed = Begeleid
report-job-exits = Werk
report-training-exits = Opleiding
report-exit-rate = Werkgraad
report-sessions-held = Sessies
report-seats-booked = Plaatsen
report-attendance-rate = Aanwezig
report-no-show-rate = Afwezig
report-alerts-sent = Meldingen
report-interested = Interesse
report-escalations-opened = Vragen
report-median-first-answer-hours = 1e antwoord (u)
report-reached-telegram = Bereikt: Telegram
report-reached-sms = Bereikt: sms
report-reached-email = Bereikt: e-mail
report-reached-nobody = Onbereikbaar
report-sent-telegram = Telegramberichten
report-sent-sms = Sms'en verstuurd
report-sent-email = E-mails verstuurd
report-sms-segments = Sms-segmenten (kost)
report-chart-title = Begeleide deelnemers en aan het werk, { $period }
report-chart-followed = Begeleid
report-chart-job-exits = Aan het werk
report-chart-x = Regio
report-chart-y = Deelnemers
