# La page d'un lien à un seul appui (réserver sans Telegram), ouverte depuis un SMS ou un e-mail.

link-page-title = En Avant · Vooruit
link-session =
    📅 { $kind }
    « { $title } »
    🕑 { $when } ({ $minutes } min), en ligne.
link-confirm-button = ✅ Confirmer ma place
link-confirm-note = Un seul appui suffit. Ensuite, vous recevez les rappels avec le lien pour vous connecter.

## Après l'appui.
link-booked =
    ✅ C'est réservé : votre place pour « { $title } », { $when }.
    { $plan ->
        [now] Ça commence bientôt : le lien pour vous connecter arrive dans un instant.
       *[other] Vous allez recevoir des rappels avant, avec le lien pour vous connecter.
    }
link-waitlisted =
    ⏳ C'est complet. Vous êtes n° { $position } sur la liste d'attente pour « { $title } ».
    Si une place se libère, elle est pour vous et nous vous prévenons.
link-already-confirmed = ✅ Vous avez déjà une place pour « { $title } », { $when }.
link-already-waiting = ⏳ Vous êtes déjà sur la liste d'attente pour « { $title } » (n° { $position }).

## Quand le lien ne peut pas servir.
link-used = Ce lien a déjà servi. Pour un changement, contactez votre conseiller.
link-expired = ⌛ Ce lien a expiré. Contactez votre conseiller pour réserver.
link-invalid = Ce lien n'est pas valable. Vérifiez qu'il est complet, ou contactez votre conseiller.
link-gone = Ce lien n'est plus valable. Pour une question, contactez l'équipe En Avant · Vooruit.
link-cancelled = ❌ Cette session a été annulée. Contactez votre conseiller pour une autre date.
link-closed = Cette session n'est pas ouverte aux réservations. Contactez votre conseiller.
link-past = Cette session est déjà passée. Contactez votre conseiller pour la prochaine.
link-cutoff = Les réservations se ferment { $hours } h avant le début. Contactez votre conseiller.
link-error = Un problème de notre côté. Réessayez dans quelques minutes.
