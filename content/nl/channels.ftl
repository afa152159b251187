# Sms en e-mail: de berichten voor wie niet op Telegram zit (of de bot blokkeerde).
# Sms: `sms-<sleutel>` van het Telegram-bericht, met dezelfde variabelen, gevolgd door
# `sms-stop`; `sms-<sleutel>-link` als er een link met één tik is ($link). Eén deel (160
# GSM-7-tekens) waar het kan: geen emoji, geen ë ï ó ô ’ (die maken de hele sms UCS-2, 70
# tekens). tests/content/test_sms_texts.py telt de delen van elke sms.
# E-mail: onderwerp `mail-<sleutel>-subject`, anders `mail-subject`; tekst `mail-<sleutel>`,
# anders de Telegram-tekst; daarna `mail-footer`.

## Wat elke sms en e-mail meekrijgt.
sms-stop = STOP sms: antwoord STOP
mail-subject = En Avant · Vooruit: een bericht voor u
mail-footer =
    Dit bericht komt van En Avant · Vooruit, het programma dat u samen met uw consulent begeleidt naar werk in West-Vlaanderen.
    Een vraag? Schrijf of bel uw consulent. Wilt u geen e-mails meer? Zeg het aan uw consulent: ze stoppen meteen.

## Uitnodiging voor een sessie (reserveren: met de link, of via de consulent).
sms-session-invite = Vooruit: "{ $title }", { $when }, online ({ $minutes } min). { $seats } plaatsen. Reserveren? Contacteer uw consulent.
sms-session-invite-link = Vooruit: "{ $title }", { $when }, online. Reserveer uw plaats met 1 tik: { $link }
mail-session-invite-subject = Uitnodiging: { $title }, { $when }
mail-session-invite =
    { $kind }: "{ $title }"
    { $when } ({ $minutes } min), online. { $seats } plaatsen.
    Wilt u een plaats? Contacteer uw consulent.
mail-session-invite-link =
    { $kind }: "{ $title }"
    { $when } ({ $minutes } min), online. { $seats } plaatsen.
    Reserveer uw plaats met één klik: { $link }

## Een plaats voor de persoon gereserveerd, of voor hen vrijgekomen.
sms-session-booked-for = Vooruit: { $name } reserveerde een plaats voor u: "{ $title }", { $when }, online. De link volgt.
mail-session-booked-for-subject = Uw plaats is gereserveerd: { $title }, { $when }
mail-session-booked-for =
    { $name }, van het team En Avant · Vooruit, heeft een plaats voor u gereserveerd: "{ $title }", { $when } ({ $minutes } min, online).
    { $plan ->
        [now] Het begint zo meteen: de link om deel te nemen komt zo dadelijk.
       *[other] Het bestand voor uw agenda komt met een andere e-mail, daarna vooraf een herinnering met de link.
    }
    Kunt u niet komen? Laat het uw consulent weten, zodat iemand anders kan komen.
sms-session-promoted = Vooruit: er is een plaats vrij voor u: "{ $title }", { $when }. Verhinderd? Laat het uw consulent weten.
mail-session-promoted-subject = Een plaats voor u: { $title }, { $when }
mail-session-promoted =
    Goed nieuws: er is een plaats vrijgekomen voor "{ $title }", { $when }. Ze is voor u!
    { $plan ->
        [now] Het begint zo meteen: de link om deel te nemen komt zo dadelijk.
       *[other] U krijgt vooraf een herinnering met de link.
    }
    Kunt u niet komen? Laat het uw consulent weten, dan gaat de plaats naar de volgende.

## Het bestand voor de agenda (per e-mail: als bijlage).
mail-session-ics-subject = Voor uw agenda: { $title }, { $when }
mail-session-ics-updated-subject = Nieuw uur voor uw agenda: { $title }
mail-session-ics-cancelled-subject = Uit uw agenda te halen: { $title }

## Herinneringen.
sms-reminder-3d = Vooruit: uw plaats is gereserveerd voor "{ $title }", { $when }. Kunt u niet komen? Laat het uw consulent weten.
mail-reminder-3d-subject = Herinnering: { $title }, { $when }
mail-reminder-3d =
    Hallo! Uw plaats voor "{ $title }" is gereserveerd, { $when }.
    We houden ze voor u vrij. Kunt u niet komen? Laat het uw consulent weten: zo kan iemand anders uw plaats nemen.
sms-reminder-1d = Vooruit: het is morgen! "{ $title }", { $when }. Uw plaats wacht op u. Verhinderd? Laat het uw consulent weten.
mail-reminder-1d-subject = Het is morgen: { $title }, { $when }
mail-reminder-1d =
    Het is morgen: "{ $title }", { $when }. Uw plaats wacht op u.
    Verhinderd? Laat het uw consulent weten, zodat iemand anders kan komen.
sms-reminder-1h = Vooruit: over 1 uur, "{ $title }". Deelnemen: { $url }
mail-reminder-1h-subject = Over een uur: { $title } (de link om deel te nemen)
sms-reminder-now = Vooruit: "{ $title }" begint zo meteen. Deelnemen: { $url }
mail-reminder-now-subject = Het begint zo meteen: { $title } (de link om deel te nemen)

## Wijziging en annulering.
sms-session-changed = Vooruit: wijziging voor "{ $title }". Het is nu { $when } ({ $minutes } min). Uw plaats blijft gereserveerd.
mail-session-changed-subject = Wijziging: { $title }, { $when }
sms-session-cancelled = Vooruit: sorry, "{ $title }" van { $when } gaat niet door. We stellen u andere data voor.
mail-session-cancelled-subject = Gaat niet door: { $title }, { $when }

## Na de sessie (geen sms: de score geeft men op Telegram).
mail-session-feedback =
    Bedankt om naar "{ $title }" te komen.
    Hoe was het? Zeg het aan uw consulent: uw mening helpt ons de volgende sessies te kiezen.

## Het antwoord van de consulent (een kopie van een Telegram-bericht: niet per sms of e-mail).
sms-copy = Vooruit: uw consulent { $name } heeft u geantwoord. Open de bot op Telegram, of bel uw consulent.
mail-copy-subject = Uw consulent { $name } heeft u geantwoord
mail-copy =
    Uw consulent { $name } heeft u geantwoord op Telegram.
    Om het antwoord te lezen, open het gesprek met de bot En Avant · Vooruit, of bel uw consulent.

## De link om de bot te vervoegen (een geïmporteerde deelnemer, nog niet op Telegram).
join-invite =
    👋 Hallo { $name }!
    Uw consulent nodigt u uit om het programma En Avant · Vooruit op Telegram te volgen: vacatures voor u, bedrijfspresentaties, en uw consulent binnen handbereik.
    Tik op deze link om te beginnen: { $url }
    Hij is geldig tot { $until }.
sms-join-invite = Vooruit: hallo { $name }, uw consulent nodigt u uit op Telegram. Tik op deze link om mee te doen: { $url } (geldig tot { $until })
mail-join-invite-subject = Uw link om En Avant · Vooruit op Telegram te volgen

## Vacatures: geen fiche per sms, alleen hoeveel.
mail-digest =
    { $count ->
        [one] Eén nieuwe vacature voor u
       *[other] { $count } nieuwe vacatures voor u
    } { $mode ->
        [weekly] deze week.
       *[other] vandaag.
    }
    Om ze te lezen, open de bot En Avant · Vooruit op Telegram, of vraag het uw consulent.
sms-digest = Vooruit: { $count ->
        [one] 1 nieuwe vacature
       *[other] { $count } nieuwe vacatures
    } voor u. Vraag het uw consulent, of open de bot op Telegram.
