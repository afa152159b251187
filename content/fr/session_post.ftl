# Créer une session en ligne (équipe du projet) : une question par message, un retour à chaque étape.

cmd-newsession = Créer une session (équipe)

spost-kind = <b>Nouvelle session en ligne.</b> De quel type est-elle ?
spost-cancel = ✖️ Annuler
spost-cancelled = D'accord, rien n'est publié.
spost-keep = Garder ▶️
spost-skip = Passer ⏭️
spost-current = Réponse actuelle : « { $current } »
spost-type-text = Écrivez votre réponse en texte, ou touchez un bouton.

spost-title-fr = Quel est le titre de la session, en français ? (3 à 200 caractères, par exemple : Vlaamse Verpakking se présente)
spost-title-nl = Et le titre en néerlandais ? Écrivez-le, touchez « Traduire automatiquement », ou « Passer » : les néerlandophones verront alors le titre français.
spost-title-short = Le titre est trop court : écrivez au moins 3 caractères.
spost-title-long = Le titre est trop long ({ $length } caractères) : 200 au maximum.
spost-description-fr = Une description en français ? Programme, public, intervenants… (2000 caractères au maximum). Écrivez-la, ou touchez « Passer ».
spost-description-nl = Et la description en néerlandais ? Écrivez-la, touchez « Traduire automatiquement », ou « Passer ».
spost-description-long = La description est trop longue ({ $length } caractères) : 2000 au maximum.
spost-translate = 🌐 Traduire automatiquement
spost-translated = Traduction automatique : « { $current } ». Vérifiez-la : gardez-la, ou écrivez une meilleure version.
spost-translate-unavailable = La traduction automatique n'est pas disponible pour le moment. Écrivez le texte en néerlandais, ou touchez « Passer ».

spost-day = Quel jour ? Touchez une date dans le calendrier (aujourd'hui ou plus tard).
spost-day-past = Cette date est déjà passée. Choisissez aujourd'hui ou un jour à venir.
spost-time = À quelle heure commence-t-elle, { $day } ? Touchez une heure, ou écrivez-la (par exemple : 14:30 ou 14h30), heure de Paris et de Bruxelles.
spost-time-invalid = Je ne comprends pas cette heure. Écrivez-la comme ceci : 14:30 ou 14h30.
spost-time-past = Ce moment est déjà passé. Choisissez une heure plus tard, ou revenez en arrière pour changer de jour.
spost-time-missing = Cette heure n'existe pas ce jour-là (passage à l'heure d'été). Choisissez-en une autre.
spost-duration = Combien de temps dure-t-elle ? Touchez une durée, ou écrivez un nombre de minutes (15 à 480).
spost-minutes = { $minutes } min
spost-duration-invalid = Écrivez un nombre entier de minutes, de 15 à 480 (par exemple : 75).
spost-url = Quel est le lien pour se connecter (Teams, Zoom, Meet…) ? Écrivez l'adresse complète, qui commence par https://
spost-url-invalid = Ce lien ne convient pas. Écrivez une adresse complète qui commence par https:// (par exemple : https://meet.example.com/abc).
spost-capacity = Combien de places ? Touchez un nombre, ou écrivez-le (1 à 500).
spost-capacity-invalid = Écrivez un nombre entier de places, de 1 à 500.

spost-territories = Pour les habitants de quels territoires ? Touchez les territoires, puis « Suivant ». Aucun coché : tous les territoires.
spost-occupations = Pour quels métiers ? Écrivez un métier pour le chercher (par exemple : cariste), ou touchez « Tous les métiers ».
spost-occupations-chosen = Métiers choisis : { $chosen_names }. Écrivez-en un autre pour l'ajouter, touchez-en un pour le retirer, ou touchez « Suivant ».
spost-occupations-all = Tous les métiers
spost-occupation-pick = Résultats pour « { $query } ». Touchez le bon métier, ou écrivez un autre mot.
spost-occupation-unknown = Je ne trouve aucun métier pour « { $query } ». Essayez un autre mot, en français ou en néerlandais.
spost-dutch = Pour quel niveau de néerlandais (A0 : aucun) ? Touchez les niveaux, puis « Suivant ». Aucun coché : tous les niveaux.
spost-cutoff = Jusqu'à quand peut-on réserver une place ?
spost-cutoff-option = { $hours ->
    [0] Jusqu'au début
   *[other] Jusqu'à { $hours } h avant
}

spost-preview = 👀 <b>Aperçu</b> : voici l'invitation telle que les participants la recevront, avec le bouton « { session-book } ».
spost-preview-in = { $lang ->
    [nl] 🇧🇪 Pour ceux qui lisent le néerlandais :
   *[fr] 🇫🇷 Pour ceux qui lisent le français :
}
spost-preview-details =
    🔗 { $url }
    ⏳ { $cutoff ->
        [0] Réservations jusqu'au début.
       *[other] Réservations jusqu'à { $cutoff } h avant le début.
    }
    🎯 { $territories } · { $occupations } · néerlandais : { $levels }
spost-all-territories = tous les territoires
spost-all-occupations = tous les métiers
spost-all-levels = tous les niveaux
spost-audience = { $count ->
    [0] ⚠️ Elle n'atteindra personne pour l'instant : aucun participant suivi ne correspond.
    [one] 📨 Elle atteindra 1 participant.
   *[other] 📨 Elle atteindra { $count } participants.
}
spost-publish = ✅ Publier
spost-edit = ✏️ Modifier
spost-published =
    { $count ->
        [0] ✅ Session publiée. Aucune invitation : personne ne correspond pour l'instant.
        [one] ✅ Session publiée : 1 invitation en file d'envoi.
       *[other] ✅ Session publiée : { $count } invitations en file d'envoi.
    }
    Les invitations partent dans la minute (sauf la nuit, de 21 h à 8 h : elles partent à 8 h).
spost-another = ➕ Créer une autre session
spost-refused-territory = ⛔ Une session que vous publiez s'adresse à votre territoire : cochez-le aussi, ou aucun (tout le monde).
