# Le bureau des sessions (équipe) : /mysessions.

cmd-mysessions = Mes sessions (équipe)

## La liste.
desk-list-title = 📋 Sessions à venir et des 14 derniers jours. Touchez-en une :
desk-list-more = … et { $more } autres plus tard.
desk-list-empty =
    Aucune session à venir, ni des 14 derniers jours.
    Pour en créer une : /newsession
desk-list-item = { $date } · { $title } · { $confirmed }/{ $capacity }{ $waiting ->
        [0] {""}
       *[other] {" · "}⏳{ $waiting }
    }
desk-gone = Cette session n'existe plus.

## L'écran d'une session.
desk-session =
    { $kind }
    <b>{ $title }</b>
    🕑 { $when } · { $minutes } min
    🔗 { $url }
    💺 { $confirmed }/{ $capacity } places réservées · ⏳ { $waiting } en attente
    ⛔ Fin des réservations : { $cutoff }
desk-session-draft = 📝 Brouillon : pas encore publiée.
desk-session-cancelled = ❌ Session annulée.
desk-session-turnout = ✅ Présences notées : { $marked }/{ $confirmed } · absents : { $rate } %
desk-session-turnout-none = ✅ Présences : pas encore notées.
desk-session-rating = ⭐ Note moyenne : { $average }/5 ({ $ratings } avis)
desk-button-who = 👥 Qui est inscrit
desk-button-attendance = ✅ Présences
desk-button-time = 🕑 Changer l'horaire
desk-button-url = 🔗 Changer le lien
desk-button-seats = 💺 Changer les places
desk-button-book = ➕ Inscrire un participant
desk-button-cancel = ❌ Annuler la session
desk-button-list = ⬅️ Toutes les sessions

## Qui est inscrit.
desk-who-title = 👥 « { $title } » : { $confirmed }/{ $capacity } places
desk-who-nobody = Personne n'est inscrit pour l'instant.
desk-who-seats = Avec une place :
desk-who-waiting = En liste d'attente (dans l'ordre) :
desk-who-line = { $n }. { $label } · { $reach }
desk-who-line-history = { $n }. { $label } · { $reach } · absent(e) { $no_shows }/{ $marked }
desk-who-others = { $count ->
    [one] + 1 personne d'un autre territoire
   *[other] + { $count } personnes d'autres territoires
}

## Les présences.
desk-attendance-title =
    ✅ Présences : « { $title } », { $when }
    Touchez une personne : ◻️ à noter → ✅ venue → ❌ absente.
    Venues : { $attended } · absentes : { $no_shows } · à noter : { $unmarked }
desk-attendance-nobody = Personne n'avait de place.
desk-attendance-unmarked = ◻️ { $label }
desk-attendance-attended = ✅ { $label }
desk-attendance-no_show = ❌ { $label }
desk-attendance-not-yet = Les présences se notent une fois la session commencée.
desk-seat-gone = Cette place n'existe plus : ouvrez à nouveau les présences.
desk-button-done = ✔️ Terminé
desk-feedback-asked = { $count ->
    [0] 💬 Personne n'est noté(e) venu(e) : aucun avis n'est demandé.
    [one] 💬 « Comment c'était ? » part à la personne venue.
   *[other] 💬 « Comment c'était ? » part aux { $count } personnes venues.
}
desk-feedback-at-end = { $count ->
    [0] 💬 Personne n'est noté(e) venu(e) pour l'instant. À la fin de la session, l'avis sera demandé aux personnes notées venues.
   *[other] 💬 À la fin de la session, « Comment c'était ? » partira aux personnes notées venues ({ $count } pour l'instant).
}

## Changer l'horaire, le lien, les places.
desk-ask-starts_at =
    🕑 Nouvelle date et heure pour « { $title } » ?
    Écrivez le jour, le mois et l'heure, par exemple 12/01 14:30 ou 12/01/2027 14:30 (heure de France et de Belgique).
    Actuellement : { $when }.
desk-ask-url =
    🔗 Nouveau lien pour « { $title } » ?
    Collez l'adresse complète, qui commence par https://
    Actuellement : { $url }
desk-ask-capacity =
    💺 Combien de places en tout pour « { $title } » ?
    Au moins { $confirmed } (déjà réservées). Actuellement : { $capacity }.
desk-wrong-starts_at = Je n'ai pas compris cette date. Écrivez le jour, le mois puis l'heure, par exemple 12/01 14:30.
desk-wrong-past = Ce moment est déjà passé : choisissez une date à venir.
desk-wrong-url = Ce n'est pas un lien https://. Copiez le lien complet de la réunion.
desk-wrong-capacity = Écrivez un nombre de places de { $least } à { $most }.
desk-confirm-starts_at = 🕑 « { $title } » : nouvel horaire { $new } (avant : { $old }).
desk-confirm-url = 🔗 « { $title } » : nouveau lien { $url }
desk-confirm-capacity = 💺 « { $title } » : { $capacity } places (avant : { $old }).
desk-button-confirm = ✅ Confirmer
desk-will-tell = { $told ->
        [0] Le bot n'a personne à prévenir.
        [one] Le bot préviendra 1 personne inscrite.
       *[other] Le bot préviendra { $told } personnes inscrites.
    }
desk-told = { $told ->
        [0] Personne à prévenir par le bot.
        [one] 1 personne prévenue par le bot.
       *[other] { $told } personnes prévenues par le bot.
    }
desk-to-call = 📞 { $count ->
        [one] 1 personne inscrite n'est pas joignable sur Telegram
       *[other] { $count } personnes inscrites ne sont pas joignables sur Telegram
    } : prévenez-les vous-même.
desk-changed-starts_at = ✅ Horaire changé.
desk-changed-url = ✅ Lien changé.
desk-changed-capacity = ✅ Nombre de places changé.
desk-changed-nothing = C'était déjà ainsi : rien n'a changé.
desk-input-expired = Cette demande n'est plus en cours : recommencez depuis l'écran de la session.
desk-type-text = Écrivez votre réponse en texte, ou touchez un bouton.
desk-refused-cancelled = Cette session est annulée : elle ne peut plus changer.
desk-refused-past = Cette session a déjà commencé : elle ne peut plus changer.
desk-refused-capacity = { $confirmed } places sont déjà réservées : il en faut au moins autant.

## Annuler la session.
desk-cancel-confirm =
    ❌ Annuler « { $title } », { $when } ?
    Toutes les réservations seront annulées.
desk-button-cancel-yes = ❌ Oui, annuler la session
desk-cancelled = ❌ Session annulée.

## Inscrire un participant (qui a appelé son conseiller).
desk-book-ask =
    ➕ Qui inscrire à « { $title } » ?
    Écrivez son prénom ou sa référence.
desk-book-none = Personne ne correspond. Essayez le prénom, ou la référence du dossier.
desk-book-pick = Touchez la bonne personne (ou écrivez un autre nom) :
desk-book-more = Plus de { $shown } personnes correspondent : voici les { $shown } premières. Précisez si besoin.
desk-book-confirmed = ✅ { $label } a une place.
desk-book-waitlisted = ⏳ Session complète : { $label } est en liste d'attente, position { $position }.
desk-book-already-confirmed = { $label } avait déjà une place.
desk-book-already-waitlisted = { $label } était déjà en liste d'attente, position { $position }.
desk-book-not-on-telegram = 📞 { $label } n'est joignable ni sur Telegram, ni par SMS, ni par e-mail : donnez-lui vous-même la date et le lien.
desk-book-overlap = ⚠️ À la même heure, { $label } est aussi inscrit(e) à « { $other } », { $when }.
desk-book-refused-cancelled = Cette session est annulée : personne ne peut s'y inscrire.
desk-book-refused-closed = Cette session n'est pas publiée : personne ne peut encore s'y inscrire.
desk-book-refused-past = Cette session a déjà commencé : trop tard pour s'inscrire.
desk-book-refused-cutoff = Les inscriptions sont closes ({ $hours } h avant le début).
