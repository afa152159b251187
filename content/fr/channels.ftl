# SMS et e-mails : les messages pour qui n'est pas sur Telegram (ou a bloqué le bot).
# SMS : `sms-<clé>` du message Telegram, avec les mêmes variables, suivi de `sms-stop` ;
# `sms-<clé>-link` quand un lien en un clic existe ($link). Une seule partie (160 caractères
# GSM-7) si possible : pas d'emoji ni de ç ê â ô î û ’ (ils font passer tout le SMS en UCS-2,
# 70 caractères). tests/content/test_sms_texts.py compte les parties de chacun.
# E-mail : objet `mail-<clé>-subject` sinon `mail-subject` ; texte `mail-<clé>` sinon le
# texte Telegram ; puis `mail-footer`.

## Ce que portent tous les SMS et e-mails.
sms-stop = STOP SMS: répondez STOP
mail-subject = En Avant · Vooruit : un message pour vous
mail-footer =
    Ce message vous est envoyé par En Avant · Vooruit, le programme qui vous accompagne vers un emploi en Flandre occidentale, avec votre conseiller.
    Une question ? Écrivez ou appelez votre conseiller. Vous ne voulez plus recevoir d'e-mails ? Dites-le à votre conseiller : c'est arrêté tout de suite.

## Invitation à une session (la réservation : par le lien, ou par le conseiller).
sms-session-invite = En Avant: "{ $title }", { $when }, en ligne ({ $minutes } min). { $seats } places. Pour réserver, contactez votre conseiller.
sms-session-invite-link = En Avant: "{ $title }", { $when }, en ligne. Réservez en 1 clic: { $link }
mail-session-invite-subject = Invitation : { $title }, { $when }
mail-session-invite =
    { $kind } : « { $title } »
    { $when } ({ $minutes } min), en ligne. { $seats } places.
    Pour réserver votre place, contactez votre conseiller.
mail-session-invite-link =
    { $kind } : « { $title } »
    { $when } ({ $minutes } min), en ligne. { $seats } places.
    Réservez votre place en un clic : { $link }

## Une place réservée pour la personne, ou libérée pour elle.
sms-session-booked-for = En Avant: { $name } vous a réservé une place: "{ $title }", { $when }, en ligne. Le lien suivra.
mail-session-booked-for-subject = Votre place est réservée : { $title }, { $when }
mail-session-booked-for =
    { $name }, de l'équipe En Avant · Vooruit, a réservé une place pour vous : « { $title } », { $when } ({ $minutes } min, en ligne).
    { $plan ->
        [now] Ça commence bientôt : le lien pour vous connecter arrive dans un instant.
       *[other] Le fichier pour votre agenda arrive avec un autre e-mail, puis un rappel avec le lien avant la session.
    }
    Vous ne pouvez pas venir ? Prévenez votre conseiller, pour que quelqu'un d'autre puisse venir.
sms-session-promoted = En Avant: une place s'est libérée pour vous: "{ $title }", { $when }. Un souci? Prévenez votre conseiller.
mail-session-promoted-subject = Une place pour vous : { $title }, { $when }
mail-session-promoted =
    Bonne nouvelle : une place s'est libérée pour « { $title } », { $when }. Elle est à vous !
    { $plan ->
        [now] Ça commence bientôt : le lien pour vous connecter arrive dans un instant.
       *[other] Vous recevrez un rappel avec le lien avant la session.
    }
    Vous ne pouvez pas venir ? Prévenez votre conseiller : la place ira à la personne suivante.

## Le fichier pour l'agenda (par e-mail : joint au message).
mail-session-ics-subject = Pour votre agenda : { $title }, { $when }
mail-session-ics-updated-subject = Nouvel horaire pour votre agenda : { $title }
mail-session-ics-cancelled-subject = À retirer de votre agenda : { $title }

## Rappels.
sms-reminder-3d = En Avant: votre place est réservée pour "{ $title }", { $when }. Un souci? Prévenez votre conseiller.
mail-reminder-3d-subject = Rappel : { $title }, { $when }
mail-reminder-3d =
    Bonjour ! Votre place est réservée pour « { $title } », { $when }.
    Nous la gardons pour vous. Si vous ne pouvez pas venir, prévenez votre conseiller : quelqu'un d'autre pourra prendre votre place.
sms-reminder-1d = En Avant: c'est demain! "{ $title }", { $when }. Votre place vous attend. Un souci? Prévenez votre conseiller.
mail-reminder-1d-subject = C'est demain : { $title }, { $when }
mail-reminder-1d =
    C'est demain : « { $title } », { $when }. Votre place vous attend.
    Un empêchement ? Prévenez votre conseiller, pour que quelqu'un d'autre puisse venir.
sms-reminder-1h = En Avant: dans 1 heure, "{ $title }". Pour vous connecter: { $url }
mail-reminder-1h-subject = Dans une heure : { $title } (le lien pour vous connecter)
sms-reminder-now = En Avant: "{ $title }" commence dans un instant. Pour vous connecter: { $url }
mail-reminder-now-subject = Ça commence bientôt : { $title } (le lien pour vous connecter)

## Changement et annulation.
sms-session-changed = En Avant: changement pour "{ $title }". C'est maintenant { $when } ({ $minutes } min). Votre place est gardée.
mail-session-changed-subject = Changement : { $title }, { $when }
sms-session-cancelled = En Avant: désolé, "{ $title }" du { $when } est annulé. Nous vous proposerons d'autres dates.
mail-session-cancelled-subject = Annulé : { $title }, { $when }

## Après la session (pas de SMS : la note se donne sur Telegram).
mail-session-feedback =
    Merci d'être venu(e) à « { $title } ».
    Comment c'était ? Dites-le à votre conseiller : votre avis nous aide à choisir les prochaines sessions.

## La réponse du conseiller (copie d'un message Telegram : elle ne passe pas par SMS ni e-mail).
sms-copy = En Avant: votre conseiller { $name } vous a répondu. Ouvrez le bot sur Telegram, ou appelez votre conseiller.
mail-copy-subject = Votre conseiller { $name } vous a répondu
mail-copy =
    Votre conseiller { $name } vous a répondu sur Telegram.
    Pour lire sa réponse, ouvrez la conversation avec le bot En Avant · Vooruit, ou appelez votre conseiller.

## Le lien pour rejoindre le bot (un participant importé, pas encore sur Telegram).
join-invite =
    👋 Bonjour { $name } !
    Votre conseiller vous invite à suivre le programme En Avant · Vooruit sur Telegram : les offres d'emploi pour vous, les présentations d'entreprises, et votre conseiller à portée de main.
    Touchez ce lien pour commencer : { $url }
    Il est valable jusqu'au { $until }.
sms-join-invite = En Avant: bonjour { $name }, votre conseiller vous invite sur Telegram. Touchez ce lien pour nous rejoindre: { $url } (valable jusqu'au { $until })
mail-join-invite-subject = Votre lien pour rejoindre En Avant · Vooruit sur Telegram

## Offres d'emploi : pas de fiche par SMS, seulement combien.
mail-digest =
    { $count ->
        [one] Une nouvelle offre d'emploi pour vous
       *[other] { $count } nouvelles offres d'emploi pour vous
    } { $mode ->
        [weekly] cette semaine.
       *[other] aujourd'hui.
    }
    Pour les lire, ouvrez le bot En Avant · Vooruit sur Telegram, ou demandez à votre conseiller.
sms-digest = En Avant: { $count ->
        [one] 1 nouvelle offre d'emploi
       *[other] { $count } nouvelles offres d'emploi
    } pour vous. Demandez à votre conseiller, ou ouvrez le bot sur Telegram.
