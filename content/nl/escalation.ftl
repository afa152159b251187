# Met mijn consulent praten: de vraag, berichten in beide richtingen, de termijnen.

## De persoon vraagt.
esc-register-first = Schrijf u eerst in om uw consulent te schrijven. Dat gaat snel.
esc-topic-ask = 💬 Waarover gaat het?
esc-topic-question = ❓ Een vraag
esc-topic-mobility = 🚗 Hulp bij verplaatsingen
esc-topic-contract = 📄 Contract of loonbrief
esc-topic-other = ✏️ Iets anders
esc-back = ◀️ Menu
esc-team = het team
esc-opened = ✅ Genoteerd. Uw consulent { $name } antwoordt u tegen { $due }.
esc-opened-other = ✅ Genoteerd. { $name }, van het projectteam, antwoordt u tegen { $due }.
esc-opened-team = ✅ Genoteerd. Het team antwoordt u tegen { $due }.
esc-ongoing = U hebt al een lopende vraag bij { $name }.
esc-write-now = Schrijf nu uw bericht: tekst, foto, document of spraakbericht.
esc-close = ✅ Mijn vraag is opgelost

## De persoon schrijft.
esc-relayed = ✔️ Doorgestuurd naar { $name }. Antwoord verwacht tegen { $due }.
esc-relayed-again = ✔️ Doorgestuurd naar { $name }.
esc-cannot-relay = Dit soort bericht kan ik niet doorsturen. Stuur een tekst, foto, document of spraakbericht.
esc-nobody = Sorry, er is nu geen consulent beschikbaar. Probeer later opnieuw of typ /menu.
esc-not-relayed = Sorry, uw bericht is niet vertrokken. Probeer zo meteen opnieuw.
esc-answer-header = 💬 Uw consulent { $name }:
esc-handed-over = 👋 { $name }, een andere consulent van het project, zal u antwoorden.

## Einde van de vraag.
esc-nothing-open = U hebt geen lopende vraag.
esc-closed = ✅ Afgesloten. U kunt uw consulent altijd schrijven vanuit het menu.
esc-closed-by-staff = ✅ { $name } heeft uw vraag afgesloten. Nog een vraag? Tik op de knop.

## Voor het team.
esc-incoming = 📨 { $label } · { $topic }:
esc-reply = ↩️ Antwoorden
esc-staff-close = ✅ Vraag afsluiten
esc-reply-ask = ↩️ Uw antwoord aan { $label }: schrijf het of stuur een foto, document of spraakbericht.
esc-reply-cancel = ✖️ Annuleren
esc-reply-cancelled = Antwoord geannuleerd.
esc-reply-sent = ✅ Verstuurd naar { $label }.
esc-not-delivered = ⚠️ Niet bezorgd: de persoon heeft de bot geblokkeerd of is niet meer op Telegram.
esc-not-yours = Deze persoon hoort niet bij uw regio: de eigen consulent neemt contact op.
esc-gone = Deze vraag bestaat niet meer.
esc-already-closed = Deze vraag is al afgesloten.
esc-staff-closed = ✅ Vraag afgesloten. De persoon is verwittigd.
esc-staff-told-closed = ✅ { $label } heeft de vraag afgesloten.
esc-desk-closed = ✅ De persoon heeft de vraag afgesloten.
esc-desk-private-answer = ↩️ { $name } antwoordde privé:
esc-desk-card =
    🆕 <b>{ $label }</b>
    Onderwerp: { $topic }
    Regio: { $territory }
    Beroepen: { $occupations }
    Nederlands: { $dutch }
    Consulent: { $counsellor }
    Geboekte sessies: { $bookings }
    Bereikt via: { $reach }
    Antwoord in dit onderwerp: de persoon krijgt uw berichten.

## Termijnen.
esc-nudge =
    ⏰ { $label } wacht op antwoord sinds { $opened }.
    Onderwerp: { $topic }. De termijn van één werkdag is voorbij.
esc-backup-request =
    🆘 U vervangt { $counsellor }: { $label } wacht op antwoord sinds { $opened }.
    Onderwerp: { $topic }. Tik op "Antwoorden" om te schrijven.
esc-desk-backup = 🆘 { $label } ({ $topic }, sinds { $opened }): geen antwoord van { $counsellor }, de vraag gaat naar { $backup }.
cmd-close = Mijn vraag aan de consulent afsluiten
