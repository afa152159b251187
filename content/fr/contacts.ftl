## Mon téléphone et mon e-mail (/profile) : pour joindre la personne hors de Telegram.
profile-edit-contacts = 📱 Mon téléphone et e-mail
contacts-title = 📱 <b>Mon téléphone et mon e-mail</b>
contacts-intro =
    Si vous êtes d'accord, nous pouvons aussi vous écrire par SMS ou par e-mail :
    rappels de rendez-vous, réponses de votre conseiller.
contacts-phone-line = 📱 Téléphone : { $contact } · { $state }
contacts-phone-line-none = 📱 Téléphone : aucun
contacts-email-line = ✉️ E-mail : { $contact } · { $state }
contacts-email-line-none = ✉️ E-mail : aucun
contacts-allowed = ✅ d'accord depuis le { $date }
contacts-stopped = 🛑 arrêté le { $date }
contacts-not-allowed = ⏸️ pas utilisé (sans votre accord)
contacts-order-line = ⭐ En premier : { $first }
channel-telegram = Telegram
channel-sms = SMS
channel-email = e-mail
contacts-button-phone = 📱 Mon numéro de portable
contacts-button-email = ✉️ Mon adresse e-mail
contacts-button-stop-sms = 🛑 STOP SMS
contacts-button-stop-email = 🛑 STOP e-mails
contacts-button-remove-phone = 🗑 Effacer mon numéro
contacts-button-remove-email = 🗑 Effacer mon e-mail
contacts-button-order = ⭐ Par où me joindre d'abord
contacts-phone-ask =
    Écrivez votre numéro de portable.
    Par exemple : { $example }
contacts-phone-invalid = Ce n'est pas un numéro de téléphone. Écrivez-le comme ceci : { $example }
contacts-phone-abroad = Nous envoyons des SMS aux numéros français, belges ou néerlandais. Par exemple : { $example }
contacts-phone-landline = C'est un téléphone fixe : il ne reçoit pas de SMS. Écrivez un portable, par exemple : { $example }
contacts-phone-consent =
    Pouvons-nous vous envoyer des SMS au { $phone } ?
    Seulement sur le programme. Vous pouvez arrêter quand vous voulez (STOP).
contacts-phone-yes = ✅ Oui, vous pouvez m'envoyer des SMS sur le programme
contacts-email-ask =
    Écrivez votre adresse e-mail.
    Par exemple : prenom.nom@exemple.fr
contacts-email-invalid = Cette adresse ne va pas. Écrivez-la comme ceci : prenom.nom@exemple.fr
contacts-email-consent =
    Pouvons-nous vous écrire à { $email } ?
    Seulement sur le programme. Vous pouvez arrêter quand vous voulez.
contacts-email-yes = ✅ Oui, vous pouvez m'écrire sur le programme
contacts-no = Non merci
contacts-saved-sms = ✅ C'est noté : nous pouvons vous envoyer des SMS.
contacts-saved-email = ✅ C'est noté : nous pouvons vous écrire par e-mail.
contacts-not-saved = D'accord, nous n'avons rien gardé.
contacts-removed-sms = 🗑 Votre numéro est effacé.
contacts-removed-email = 🗑 Votre adresse e-mail est effacée.
contacts-stopped-sms = 🛑 Plus de SMS. Pour en recevoir à nouveau, redonnez votre numéro.
contacts-stopped-email = 🛑 Plus d'e-mails. Pour en recevoir à nouveau, redonnez votre adresse.
contacts-order-ask = Par où voulez-vous être joint(e) d'abord ?
contacts-first-telegram = ✈️ Telegram d'abord
contacts-first-sms = 📱 SMS d'abord
contacts-first-email = ✉️ E-mail d'abord
contacts-order-saved = ⭐ C'est noté : { $first } d'abord.

## Comment la personne est jointe (fiches des conseillers, liste d'une session).
reach-telegram = ✈️ Telegram
reach-sms = 📱 SMS
reach-email = ✉️ e-mail
reach-nobody = ⚠️ personne : à appeler
reach-line = Joint(e) par : { $reach }

## Un conseiller note un STOP dit au téléphone.
lead-stop-sms = 🛑 Stop SMS
lead-stop-email = 🛑 Stop e-mails
staff-stopped-sms = 🛑 Plus de SMS pour { $label }. Seul un nouvel accord de la personne les rétablit.
staff-stopped-email = 🛑 Plus d'e-mails pour { $label }. Seul un nouvel accord de la personne les rétablit.
staff-stopped-already = C'était déjà arrêté.
