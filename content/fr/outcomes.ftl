# Les sorties (emploi, formation, départ) et le rapport du programme.

## « J'ai trouvé un emploi ! » (participant)
out-found-ask-employer = 🎉 Bravo ! Chez quel employeur ? Écrivez son nom, ou touchez « Passer ».
out-found-ask-start = Quand commencez-vous ? Touchez un bouton, ou écrivez la date (par exemple 14/01).
out-found-this-week = 📅 Cette semaine
out-found-next-week = 📅 La semaine prochaine
out-found-register-first = Pour nous annoncer un emploi, inscrivez-vous d'abord : c'est rapide.
out-found-done =
    🎉 Merci, et encore bravo !
    Votre conseiller a reçu la nouvelle : il va la confirmer avec vous.
out-found-done-team =
    🎉 Merci, et encore bravo !
    L'équipe du projet a reçu la nouvelle : quelqu'un va la confirmer avec vous.
out-found-done-nobody =
    🎉 Merci, et encore bravo !
    La nouvelle est enregistrée. Aucun conseiller n'est disponible pour le moment.
out-found-cancelled = D'accord, rien n'a été envoyé.
out-confirmed-participant = ✅ Votre conseiller a confirmé votre nouvel emploi. Félicitations, et bon courage pour vos débuts !

## Boutons et réponses communes.
out-skip = Passer ⏭️
out-cancel = ✖️ Annuler
out-today = 📅 Aujourd'hui
out-keep = ➡️ Garder : { $value }
out-not-said = non précisé
out-type-text = Écrivez votre réponse en texte, ou touchez un bouton.
out-wrong-employer = Écrivez le nom de l'employeur : de 2 à 120 caractères.
out-wrong-training = Écrivez le nom de la formation : de 2 à 120 caractères.
out-wrong-date = Je n'ai pas compris cette date. Écrivez le jour puis le mois, par exemple 14/01 ou 14/01/2027 (au plus un an avant ou après aujourd'hui).
out-expired = Cette saisie n'est plus en cours : recommencez avec /outcome.
out-quit = D'accord, rien n'a été enregistré.
out-not-allowed = Cette personne n'est pas de votre territoire : c'est son conseiller qui enregistre ses sorties.

## L'annonce reçue par le conseiller.
out-reported =
    🎉 <b>{ $label }</b> annonce avoir trouvé un emploi.
    Employeur : { $employer }
    Début : { $start }
    Confirmez-le, ou corrigez-le avant de l'enregistrer.
out-button-confirm = ✅ Confirmer
out-button-correct = ✏️ Corriger
out-review-confirmed = ✅ Confirmé : { $label }, en emploi à partir du { $start }.
out-review-already = Cet emploi est déjà confirmé.
out-review-gone = Cette annonce n'existe plus.

## Enregistrer une sortie (équipe) : /outcome.
out-ask-who = 🏁 <b>Enregistrer une sortie.</b> De qui s'agit-il ? Écrivez son prénom ou sa référence.
out-who-none = Personne de votre territoire ne correspond. Essayez un autre prénom, ou la référence.
out-who-pick = Touchez la bonne personne, ou écrivez un autre nom :
out-who-more = Plus de { $shown } personnes correspondent : précisez le prénom, ou écrivez la référence.
out-ask-kind =
    <b>{ $label }</b> · aujourd'hui : { $status }
    Que s'est-il passé ?
out-kind-job = 💼 Un emploi
out-kind-training = 🎓 Une formation
out-kind-left = 🚪 Sortie du programme
out-status-followed = suivi(e)
out-status-job = en emploi
out-status-training = en formation
out-status-left = sorti(e) du programme
out-ask-employer = 💼 Chez quel employeur ?
out-ask-occupation = Quel métier ? Écrivez-le en français ou en néerlandais (par exemple : cariste), ou touchez « Passer ».
out-occupation-none = Je ne trouve aucun métier pour « { $query } ». Essayez un autre mot, ou touchez « Passer ».
out-occupation-pick = Résultats pour « { $query } ». Touchez le bon métier, ou écrivez un autre mot.
out-ask-contract = 📄 Quel contrat ?
out-ask-training = 🎓 Quelle formation ? Touchez « IBO » (formation en entreprise avec le VDAB), ou écrivez son nom.
out-training-ibo = IBO
out-ask-start = 📅 À partir de quand ? Touchez « Aujourd'hui », ou écrivez la date (14/01 ou 14/01/2027).
out-ask-left = 📅 À quelle date a-t-il ou elle quitté le programme ? Touchez « Aujourd'hui », ou écrivez la date (14/01 ou 14/01/2027).
out-summary-job = 💼 Emploi chez { $employer } · { $occupation } · { $contract } · à partir du { $start }
out-summary-training = 🎓 Formation « { $training } » à partir du { $start }
out-summary-left = 🚪 Sortie du programme le { $start }
out-summary =
    <b>{ $label }</b>
    { $what }
    On enregistre ?
out-button-save = ✅ Enregistrer
out-saved = ✅ Enregistré. { $label } est maintenant : { $status }.
out-refused = Je n'ai pas pu l'enregistrer : une information manque ou ne convient pas. Vérifiez-la avec « Retour ».

## Le rapport du programme : /report et `enavant report`.
report-ask-period = 📊 <b>Rapport du programme.</b> Quelle période ?
report-this-month = Ce mois-ci
report-last-month = Le mois dernier
report-this-year = Cette année
report-title = 📊 <b>Rapport du programme</b>
report-caption = 📊 Suivis et en emploi par territoire, { $period }
report-period = du { $start } au { $end }
report-col-metric = Indicateur
report-total = Total
report-followed = Suivis
report-job-exits = Emplois
report-training-exits = Formations
report-exit-rate = Taux d'emploi
report-sessions-held = Sessions
report-seats-booked = Places prises
report-attendance-rate = Présence
report-no-show-rate = Absences
report-alerts-sent = Alertes
report-interested = Intéressés
report-escalations-opened = Demandes
report-median-first-answer-hours = 1re réponse (h)
report-reached-telegram = Joints : Telegram
report-reached-sms = Joints : SMS
report-reached-email = Joints : e-mail
report-reached-nobody = Injoignables
report-sent-telegram = Messages Telegram
report-sent-sms = SMS envoyés
report-sent-email = E-mails envoyés
report-sms-segments = Segments SMS (coût)
report-chart-title = Participants suivis et en emploi, { $period }
report-chart-followed = Suivis
report-chart-job-exits = En emploi
report-chart-x = Territoire
report-chart-y = Participants
