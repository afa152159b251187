# Offres d'emploi : alertes, résumés, /jobs, réponses, pistes pour le conseiller.

cmd-jobs = Mes offres d'emploi
menu-jobs = 💼 Mes offres

alert-card =
    💼 <b>{ $title }</b>
    🏢 { $employer }
    📍 { $town } · { $km } km
    📄 { $contract }{ $hours ->
        [0] {""}
       *[other] {" · "}{ $hours } h par semaine
    }
    ✅ <b>Pourquoi pour vous :</b> { $reasons }

    { $description }
    { $translated ->
        [no] <i>Traduction automatique indisponible : voici le texte original.</i>
       *[yes] { $machine ->
            [yes] <i>Traduit automatiquement du néerlandais.</i>
           *[no] {""}
        }
    }
alert-interested = 🙋 Ça m'intéresse
alert-not-for-me = 👎 Pas pour moi
alert-original = 🇧🇪 Texte original
alert-stop = 🔕 Arrêter ces alertes

contract-permanent = CDI (contrat à durée indéterminée)
contract-temporary = CDD (contrat à durée déterminée)
contract-interim = Intérim

match-reason-occupation = votre métier : { $occupation }
match-reason-related = proche de votre métier : { $occupation }
match-reason-distance = { $town }, { $km } km de chez vous
match-reason-dutch = { $level ->
    [A0] pas besoin de néerlandais
   *[other] néerlandais { $level } suffit
}
match-reason-licence = permis B demandé (vous l'avez)
match-reason-schedule-day = horaires de jour
match-reason-schedule-shifts = travail posté
match-reason-schedule-nights = travail de nuit
match-reason-schedule-weekends = week-ends

digest =
    📬 <b>{ $count ->
        [one] Une nouvelle offre pour vous
       *[other] { $count } nouvelles offres pour vous
    }</b> { $mode ->
        [weekly] cette semaine
       *[other] aujourd'hui
    }, la meilleure d'abord.
    Touchez une offre pour la lire.
digest-item = { $n }. { $title } · { $town } · { $km } km

alert-interested-done =
    👍 C'est noté ! Votre conseiller a reçu votre intérêt pour « { $title } ».
    Il vous contacte pour la suite (CV, entretien, trajet).
alert-interested-again = Votre conseiller sait déjà que cette offre vous intéresse. Il vous contacte bientôt.
alert-interested-team =
    👍 C'est noté ! L'équipe du projet a reçu votre intérêt pour « { $title } ».
    Quelqu'un vous contacte pour la suite (CV, entretien, trajet).
alert-interested-team-again = L'équipe du projet sait déjà que cette offre vous intéresse. Quelqu'un vous contacte bientôt.
alert-interested-nobody =
    👍 C'est noté : votre intérêt pour « { $title } » est enregistré. Aucun conseiller n'est disponible pour le moment.
alert-why-not = Pourquoi ? (facultatif, cela nous aide à mieux choisir)
alert-reason-distance = 📍 Trop loin
alert-reason-schedule = 🕑 Horaires
alert-reason-contract = 📄 Contrat
alert-reason-dutch = 🗣 Trop de néerlandais
alert-reason-job = 🔧 Pas mon métier
alert-reason-other = Autre raison
alert-reason-skip = Passer
alert-not-for-me-done = C'est noté, merci. Je ne vous montrerai plus cette offre.
alert-stopped =
    🔕 C'est fait : vous ne recevrez plus d'alertes.
    Vous voyez toujours vos offres avec /jobs, et vous pouvez réactiver les alertes dans /profile.
alert-original-text =
    🇧🇪 <b>{ $title }</b>
    { $description }
vacancy-gone = Cette offre n'est plus disponible. Voyez vos offres actuelles avec /jobs.

jobs-title = { $count ->
    [one] 💼 Une offre correspond à votre profil :
   *[other] 💼 { $count } offres correspondent à votre profil, la meilleure d'abord :
}
jobs-none =
    Pas d'offre pour votre profil en ce moment.
    Je vous préviens dès qu'une offre arrive. Votre conseiller peut aussi vous aider.
jobs-none-team =
    Pas d'offre pour votre profil en ce moment.
    Je vous préviens dès qu'une offre arrive. L'équipe du projet peut aussi vous aider (« 💬 Parler à mon conseiller » dans le menu).
jobs-register-first = Pour voir des offres, inscrivez-vous d'abord : c'est rapide.

staff-reason-occupation = même métier : { $occupation }
staff-reason-related = métier proche : { $occupation }
staff-reason-distance = { $town }, à { $km } km du domicile
staff-reason-dutch = { $level ->
    [A0] pas de néerlandais demandé
   *[other] néerlandais { $level } demandé (niveau atteint)
}
staff-reason-licence = permis B demandé (il/elle l'a)
staff-reason-schedule-day = horaires de jour (accepte)
staff-reason-schedule-shifts = travail posté (accepte)
staff-reason-schedule-nights = travail de nuit (accepte)
staff-reason-schedule-weekends = week-ends (accepte)

lead =
    🙋 <b>Piste : { $name } est intéressé(e)</b>
    Participant : { $participant } · { $territory } · néerlandais { $dutch }
    Métiers : { $occupations }
    Joint(e) par : { $reach }

    💼 <b>{ $title }</b> ({ $vacancy })
    🏢 { $employer } · 📍 { $town }, { $km } km
    ✅ { $reasons }
    { $url }
lead-write = ✍️ Écrire à { $name }
