# De pagina van een link met één tik (reserveren zonder Telegram), geopend vanuit een sms of een e-mail.

link-page-title = En Avant · Vooruit
link-session =
    📅 { $kind }
    "{ $title }"
    🕑 { $when } ({ $minutes } min), online.
link-confirm-button = ✅ Mijn plaats bevestigen
link-confirm-note = Eén tik is genoeg. Daarna krijgt u de herinneringen met de link om deel te nemen.

## Na de tik.
link-booked =
    ✅ Gereserveerd: uw plaats voor "{ $title }", { $when }.
    { $plan ->
        [now] Het begint zo meteen: de link om deel te nemen komt zo dadelijk.
       *[other] U krijgt vooraf herinneringen, met de link om deel te nemen.
    }
link-waitlisted =
    ⏳ Het is volzet. U bent nr. { $position } op de wachtlijst voor "{ $title }".
    Komt er een plaats vrij, dan is ze voor u en laten we het u weten.
link-already-confirmed = ✅ U hebt al een plaats voor "{ $title }", { $when }.
link-already-waiting = ⏳ U staat al op de wachtlijst voor "{ $title }" (nr. { $position }).

## Wanneer de link niet kan dienen.
link-used = Deze link is al gebruikt. Voor een wijziging neemt u contact op met uw consulent.
link-expired = ⌛ Deze link is verlopen. Neem contact op met uw consulent om te reserveren.
link-invalid = Deze link is niet geldig. Kijk of hij volledig is, of neem contact op met uw consulent.
link-gone = Deze link is niet meer geldig. Voor een vraag neemt u contact op met het team van En Avant · Vooruit.
link-cancelled = ❌ Deze sessie is geannuleerd. Neem contact op met uw consulent voor een andere datum.
link-closed = Deze sessie staat niet open voor reservaties. Neem contact op met uw consulent.
link-past = Deze sessie is al voorbij. Neem contact op met uw consulent voor de volgende.
link-cutoff = Reserveren sluit { $hours } u voor de start. Neem contact op met uw consulent.
link-error = Een probleem aan onze kant. Probeer het over enkele minuten opnieuw.
