# Sessions en ligne : rappels.

reminder-3d =
    📅 Bonjour ! Votre place est réservée pour « { $title } », { $when }.
    Nous la gardons pour vous. Si vous ne pouvez pas venir, annulez : quelqu'un d'autre pourra prendre votre place.
reminder-1d =
    ⏰ C'est demain : « { $title } », { $when }. Votre place vous attend.
    Un empêchement ? Annulez, pour que quelqu'un d'autre puisse venir.
reminder-1h =
    🔔 Dans une heure : « { $title } », { $when }.
    Le lien pour vous connecter : { $url }
    Bonne présentation ! Si vous ne pouvez plus venir, annulez pour libérer votre place.
reminder-now =
    🔔 « { $title } » commence bientôt : { $when }.
    Le lien pour vous connecter : { $url }
    Bonne présentation !
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
    Elle est à vous ! { $plan ->
        [now] Ça commence bientôt : le lien pour vous connecter arrive dans un instant.
       *[other] Vous recevrez un rappel avec le lien avant.
    }
    Vous ne pouvez pas venir ? Dites-le, la place ira à la personne suivante.
session-decline = 🙅 Je ne peux pas venir
session-booked-for =
    ✅ { $name }, de l'équipe En Avant · Vooruit, a réservé une place pour vous : « { $title } », { $when } ({ $minutes } min, en ligne).
    { $plan ->
        [now] Ça commence bientôt : le lien pour vous connecter arrive dans un instant.
       *[other] Vous allez recevoir le fichier pour votre agenda, puis un rappel avec le lien avant.
    }
    Vous ne pouvez pas venir ? { $hours ->
        [0] Annulez avant le début
       *[other] Annulez jusqu'à { $hours } h avant
    }, pour que quelqu'un d'autre puisse venir.

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

## /sessions et la fiche d'une session.
sessions-register-first = Pour réserver une présentation ou un atelier, inscrivez-vous d'abord : c'est rapide.
sessions-none = Pas de présentation ni d'atelier prévu pour vous en ce moment. Vous recevrez une invitation dès qu'il y en a un.
sessions-title = { $count ->
    [one] 1 présentation ou atelier pour vous. Touchez pour voir :
   *[other] { $count } présentations et ateliers pour vous. Touchez pour voir :
}
sessions-item = { $mark } { $when } · { $title }
sessions-back = ⬅️ Toutes les sessions
session-card =
    <b>{ $kind }</b>
    « { $title } »
    🕑 { $when } ({ $minutes } min), en ligne.
session-seats-left = { $seats ->
    [one] Il reste 1 place.
   *[other] Il reste { $seats } places.
}
session-full = C'est complet : vous pouvez vous inscrire sur la liste d'attente.
session-yours-confirmed = ✅ Votre place est réservée.
session-yours-waiting = ⏳ Vous êtes n° { $position } sur la liste d'attente.
session-cancel-mine = ❌ Annuler ma place

## Réserver.
session-booked =
    ✅ C'est réservé : « { $title } », { $when }.
    { $plan ->
        [now] Ça commence bientôt : le lien pour vous connecter arrive dans un instant, avec le fichier pour votre agenda.
        [one] Vous allez recevoir le fichier pour votre agenda, puis un rappel avec le lien une heure avant.
        [two] Vous allez recevoir le fichier pour votre agenda, puis un rappel la veille et un autre avec le lien une heure avant.
       *[three] Vous allez recevoir le fichier pour votre agenda, puis des rappels 3 jours avant, la veille, et une heure avant avec le lien.
    }
    { $hours ->
        [0] Vous pouvez annuler jusqu'au début.
       *[other] Vous pouvez annuler jusqu'à { $hours } h avant.
    }
session-waitlisted =
    ⏳ C'est complet. Vous êtes n° { $position } sur la liste d'attente pour « { $title } ».
    Si une place se libère, elle est pour vous et nous vous prévenons.
session-already-confirmed = ✅ Vous avez déjà une place pour « { $title } », { $when }.
session-already-waiting = ⏳ Vous êtes déjà sur la liste d'attente pour « { $title } » (n° { $position }).
session-overlap = ⚠️ Attention : à la même heure, vous avez aussi « { $title } », { $when }.
session-refused-cancelled = ❌ Cette session a été annulée. Voyez les autres avec /sessions.
session-refused-closed = Cette session n'est pas ouverte aux réservations. Voyez les autres avec /sessions.
session-refused-past = Cette session est déjà passée. Voyez les prochaines avec /sessions.
session-refused-cutoff = Les réservations et annulations se ferment { $hours } h avant le début. Pour un changement, écrivez à votre conseiller.

## Annuler.
session-cancel-ask = { $mine ->
    [waiting] Quitter la liste d'attente pour « { $title } » ?
   *[seat] { $others ->
        [0] Annuler votre place pour « { $title } » ?
       *[other] Annuler votre place pour « { $title } » ? Elle ira à une personne qui attend.
    }
}
session-cancel-yes = Oui, annuler
session-cancel-keep = Non, je garde
session-cancel-done = { $next ->
    [1] C'est annulé. Merci : votre place va à une personne qui attendait.
   *[other] C'est annulé. Merci de nous avoir prévenus.
}
session-cancel-kept = 👍 Très bien, vous gardez votre place.
session-declined = { $next ->
    [1] C'est noté : la place va à la personne suivante. Merci de nous avoir prévenus.
   *[other] C'est noté, merci de nous avoir prévenus.
}
session-no-seat = Vous n'avez pas de place pour cette session. Voyez les sessions avec /sessions.
session-here-done = 👍 Merci ! À bientôt en ligne.

## Votre avis.
session-rate-nothing = Merci, mais nous n'avons pas noté votre présence à cette session.
session-rated =
    Merci pour votre note : { $rating }/5.
    Voulez-vous ajouter un mot ? Écrivez-le maintenant (une phrase suffit).
session-comment-skip = Non merci
session-comment-thanks = 🙏 Merci, votre avis nous aide à préparer les prochaines sessions.
session-comment-text-only = Écrivez votre avis en texte, s'il vous plaît (ou touchez « Non merci »).
session-comment-too-long = C'est un peu long : { $max } caractères au plus, s'il vous plaît.
