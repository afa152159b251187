# Publier une offre (équipe du projet) : une question par message, un retour à chaque étape.

cmd-vacancy = Publier une offre (équipe)
cmd-invite = Mon lien d'invitation (équipe)

vpost-lang = <b>Nouvelle offre.</b> Dans quelle langue l'écrivez-vous ?
vpost-lang-nl = 🇧🇪 Néerlandais
vpost-lang-fr = 🇫🇷 Français
vpost-cancel = ✖️ Annuler
vpost-cancelled = D'accord, rien n'est publié.
vpost-keep = Garder ▶️
vpost-skip = Passer ⏭️
vpost-current = Réponse actuelle : « { $current } »
vpost-type-text = Écrivez votre réponse en texte, ou touchez un bouton.

vpost-title = Quel est l'intitulé du poste ? Écrivez-le dans la langue de l'offre (3 à 200 caractères).
vpost-title-short = L'intitulé est trop court : écrivez au moins 3 caractères.
vpost-title-long = L'intitulé est trop long ({ $length } caractères) : 200 au maximum.
vpost-employer = Quel est l'employeur ?
vpost-employer-short = Écrivez le nom de l'employeur (au moins 2 caractères).
vpost-employer-long = Le nom est trop long ({ $length } caractères) : 120 au maximum.
vpost-occupation = Quel métier ? Écrivez-le en français ou en néerlandais (par exemple : cariste, heftruckchauffeur).
vpost-occupation-pick = Résultats pour « { $query } ». Touchez le bon métier, ou écrivez un autre mot.
vpost-occupation-unknown = Je ne trouve aucun métier pour « { $query } ». Essayez un autre mot, en français ou en néerlandais.
vpost-place = Où se trouve le lieu de travail ? Écrivez le code postal ou la commune (par exemple : 8500 ou Courtrai).
vpost-place-pick = Plusieurs communes correspondent. Laquelle ?
vpost-place-option = { $name } ({ $postcode })
vpost-place-unknown = Je ne connais pas « { $query } ». Écrivez un code postal ou une commune de Flandre occidentale, du Nord ou de Wallonie picarde.
vpost-dutch = Quel niveau de néerlandais faut-il ?
vpost-dutch-level = { $level ->
    [A0] A0 : pas besoin
   *[other] { $level }
}
vpost-licence = Le permis de conduire est-il nécessaire ?
vpost-contract = Quel contrat ?
vpost-schedule = Quels horaires ? Touchez tout ce qui convient, puis « Suivant ».
vpost-schedule-none = Pas d'horaire particulier
vpost-hours = Combien d'heures par semaine ? Écrivez un nombre, ou touchez « Passer ».
vpost-hours-invalid = Écrivez un nombre entier d'heures, de 1 à 50 (par exemple : 38).
vpost-expires = Jusqu'à quand l'offre est-elle valable ? Écrivez une date (31/12/2026), ou touchez « Passer ».
vpost-expires-invalid = Je ne comprends pas cette date. Écrivez-la comme ceci : 31/12/2026 ou 2026-12-31.
vpost-expires-past = Cette date est déjà passée. Écrivez aujourd'hui ou une date à venir.
vpost-description = Une description ? Tâches, horaires, salaire… (3500 caractères au maximum). Écrivez-la, ou touchez « Passer ».
vpost-description-long = La description est trop longue ({ $length } caractères) : 3500 au maximum.
vpost-url = Un lien vers l'offre complète ? Écrivez une adresse https://…, ou touchez « Passer ».
vpost-url-invalid = Ce lien ne convient pas. Écrivez une adresse complète qui commence par https://

vpost-preview =
    👀 <b>Aperçu</b> : voici l'offre telle que les participants la recevront, dans chaque langue.
    La distance et les raisons changent pour chaque personne.
vpost-preview-for = { $lang ->
    [nl] <b>— Pour ceux qui lisent le néerlandais :</b>
   *[fr] <b>— Pour ceux qui lisent le français :</b>
}
vpost-publish = ✅ Publier
vpost-edit = ✏️ Modifier
vpost-problems = Je ne peux pas publier cette offre : { $problems }. Corrigez-la, s'il vous plaît.
vpost-published =
    ✅ Offre publiée sous la référence { $id }.
    { $fits ->
        [0] Aucune personne suivie n'a un profil qui correspond pour l'instant.
        [one] Une personne suivie a un profil qui correspond ({ $telegram } sur Telegram).
       *[other] { $fits } personnes suivies ont un profil qui correspond ({ $telegram } sur Telegram).
    }
    Elle est traduite et comparée aux profils en arrière-plan. Les personnes dont le profil correspond reçoivent une alerte dans la minute (sauf la nuit, de 21 h à 8 h : elles la reçoivent à 8 h).
vpost-another = ➕ Publier une autre offre
