# Parler à mon conseiller : la demande, les messages dans les deux sens, les délais.

## La personne demande.
esc-register-first = Pour écrire à votre conseiller, inscrivez-vous d'abord. C'est rapide.
esc-topic-ask = 💬 C'est à quel sujet ?
esc-topic-question = ❓ Une question
esc-topic-mobility = 🚗 Aide pour les trajets
esc-topic-contract = 📄 Contrat ou fiche de paie
esc-topic-other = ✏️ Autre chose
esc-back = ◀️ Menu
esc-team = l'équipe
esc-opened = ✅ C'est noté. Votre conseiller { $name } vous répond d'ici { $due }.
esc-opened-other = ✅ C'est noté. { $name }, de l'équipe du projet, vous répond d'ici { $due }.
esc-opened-team = ✅ C'est noté. L'équipe vous répond d'ici { $due }.
esc-ongoing = Vous avez déjà une demande en cours avec { $name }.
esc-write-now = Écrivez votre message maintenant : texte, photo, document ou message vocal.
esc-close = ✅ Ma question est réglée

## La personne écrit.
esc-relayed = ✔️ Transmis à { $name }. Réponse attendue d'ici { $due }.
esc-relayed-again = ✔️ Transmis à { $name }.
esc-cannot-relay = Je ne peux pas transmettre ce type de message. Envoyez un texte, une photo, un document ou un message vocal.
esc-nobody = Désolé, aucun conseiller n'est disponible pour le moment. Réessayez plus tard ou tapez /menu.
esc-not-relayed = Désolé, votre message n'est pas parti. Réessayez dans un moment.
esc-answer-header = 💬 Votre conseiller { $name } :
esc-handed-over = 👋 { $name }, un autre conseiller du projet, va vous répondre.

## Fin de la demande.
esc-nothing-open = Vous n'avez pas de demande en cours.
esc-closed = ✅ C'est fermé. Vous pouvez écrire à votre conseiller à tout moment depuis le menu.
esc-closed-by-staff = ✅ { $name } a fermé votre demande. Une autre question ? Touchez le bouton.

## Côté équipe.
esc-incoming = 📨 { $label } · { $topic } :
esc-reply = ↩️ Répondre
esc-staff-close = ✅ Clore la demande
esc-reply-ask = ↩️ Votre réponse à { $label } : écrivez-la ou envoyez une photo, un document, un message vocal.
esc-reply-cancel = ✖️ Annuler
esc-reply-cancelled = Réponse annulée.
esc-reply-sent = ✅ Envoyé à { $label }.
esc-not-delivered = ⚠️ Pas remis : la personne a bloqué le bot ou n'est plus sur Telegram.
esc-not-yours = Cette personne n'est pas de votre territoire : c'est son conseiller qui prend contact.
esc-gone = Cette demande n'existe plus.
esc-already-closed = Cette demande est déjà fermée.
esc-staff-closed = ✅ Demande fermée. La personne est prévenue.
esc-staff-told-closed = ✅ { $label } a fermé sa demande.
esc-desk-closed = ✅ La personne a fermé sa demande.
esc-desk-private-answer = ↩️ { $name } a répondu en privé :
esc-desk-card =
    🆕 <b>{ $label }</b>
    Sujet : { $topic }
    Territoire : { $territory }
    Métiers : { $occupations }
    Néerlandais : { $dutch }
    Conseiller : { $counsellor }
    Sessions réservées : { $bookings }
    Joint(e) par : { $reach }
    Répondez dans ce sujet : la personne reçoit vos messages.

## Délais.
esc-nudge =
    ⏰ { $label } attend une réponse depuis { $opened }.
    Sujet : { $topic }. Le délai d'un jour ouvré est dépassé.
esc-backup-request =
    🆘 Vous remplacez { $counsellor } : { $label } attend une réponse depuis { $opened }.
    Sujet : { $topic }. Touchez « Répondre » pour lui écrire.
esc-desk-backup = 🆘 { $label } ({ $topic }, depuis { $opened }) : sans réponse de { $counsellor }, la demande passe à { $backup }.
cmd-close = Clore ma question au conseiller
