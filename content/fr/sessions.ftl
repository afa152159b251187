# Sessions en ligne : rappels.

reminder-3d =
    📅 Bonjour ! Votre place est réservée pour « { $title } », { $when }.
    Nous la gardons pour vous. Si vous ne pouvez pas venir, annulez : votre place ira à une autre personne qui attend.
reminder-1d =
    ⏰ C'est demain : « { $title } », { $when }. Votre place vous attend.
    Un empêchement ? Annulez, pour que quelqu'un d'autre puisse venir.
reminder-1h =
    🔔 Dans une heure : « { $title } », { $when }.
    Le lien pour vous connecter : { $url }
    Bonne présentation ! Si vous ne pouvez plus venir, annulez pour libérer votre place.
reminder-coming = ✅ Je serai là
reminder-cancel = ❌ Annuler ma place

## Ce que disent toutes les sessions.
cmd-sessions = Présentations et ateliers
menu-sessions = 📅 Présentations et ateliers
session-kind-company_presentation = Présentation d'entreprise en ligne
session-kind-coaching = Atelier langue et culture
session-kind-info = Séance d'information
session-book = 📅 Réserver ma place

## Invitation (à la publication).
session-invite =
    📣 <b>{ $kind }</b>
    « { $title } »
    🕑 { $when } ({ $minutes } min), en ligne.
    { $seats } places. Réservez la vôtre :

## Le calendrier (.ics) envoyé avec la place.
session-ics = 📎 Ajoutez « { $title } » à votre agenda : ouvrez ce fichier.
session-ics-updated = 📎 L'horaire mis à jour pour votre agenda : ouvrez ce fichier.
session-ics-cancelled = 📎 Pour retirer « { $title } » de votre agenda : ouvrez ce fichier.

## Une place s'est libérée.
session-promoted =
    🎉 Bonne nouvelle : une place s'est libérée pour « { $title } », { $when }.
    Elle est à vous ! Vous recevrez un rappel avant.
    Vous ne pouvez pas venir ? Dites-le, la place ira à la personne suivante.
session-decline = 🙅 Je ne peux pas venir

## Changements et annulation.
session-changed =
    ✏️ Changement pour « { $title } » :
    { $what }
    Votre place est gardée.
session-changed-when = nouvel horaire : { $new } (au lieu de { $old })
session-changed-minutes = durée : { $minutes } min
session-changed-url = nouveau lien : { $url }
session-changed-title = nouveau titre (avant : « { $old } »)
session-cancelled =
    ❌ Désolé : « { $title } », { $when }, est annulé(e).
    Votre réservation est annulée. Nous vous proposerons d'autres dates.

## Après la session.
session-feedback =
    🙏 Merci d'être venu(e) à « { $title } ».
    Comment c'était ? Touchez une note de 1 (pas bien) à 5 (très bien).
session-rate-1 = 1
session-rate-2 = 2
session-rate-3 = 3
session-rate-4 = 4
session-rate-5 = 5
