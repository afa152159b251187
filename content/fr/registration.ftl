# Inscription : une question par message, des boutons, un retour possible à chaque étape.

reg-consent =
    <b>Avant de commencer</b>
    Pour vous proposer des offres et des séances, je garde : votre prénom, votre territoire, les métiers qui vous intéressent, votre niveau de néerlandais, vos moyens de transport, votre code postal et vos disponibilités.

    • Qui les garde : le projet En Avant · Vooruit (son équipe et ses conseillers emploi transfrontaliers).
    • Combien de temps : deux ans après notre dernier contact.
    • Vos droits : voir vos données (/mydata), les effacer (/delete), les corriger (/profile).

    Je ne vous demanderai jamais votre numéro de sécurité sociale, vos papiers, vos aides ou votre santé.
reg-consent-yes = ✅ J'accepte
reg-consent-no = Pas maintenant
reg-consent-declined = D'accord. Je n'ai rien enregistré. Tapez /start quand vous voulez.
reg-name = Quel prénom dois-je utiliser ?
reg-name-kept = ✅ Merci ! Je vous appellerai { $name }. Pour changer de prénom : /profile.
reg-name-keep = Garder « { $name } »
reg-name-invalid = Écrivez seulement votre prénom (lettres, 2 à 40 caractères).
reg-territory = Où habitez-vous ?
territory-LRT = Lille-Roubaix-Tourcoing
territory-FM = Flandres maritimes (Dunkerque)
territory-WAPI = Wallonie picarde
reg-occupations =
    Quels métiers vous intéressent ? Choisissez un secteur, ou écrivez un métier (par exemple : cariste).
    Choisis : { $chosen }
reg-occupations-none = aucun pour l'instant
reg-occupations-sector = Touchez les métiers qui vous intéressent, puis « Terminé ».
reg-occupations-search = Résultats pour « { $query } ». Touchez les métiers qui vous intéressent.
reg-occupations-found = Pour « { $query } », j'ai trouvé : <b>{ $best }</b>. C'est bien ça ? Touchez « 👍 Oui ».
reg-occupations-found-more = D'autres métiers proches sont en dessous : touchez d'abord ceux qui vous intéressent aussi.
reg-occupations-confirm = 👍 Oui : { $best }
reg-occupations-not-found = Je n'ai trouvé aucun métier pour « { $query } ». Essayez un autre mot ou choisissez un secteur.
reg-occupations-need-one = Choisissez au moins un métier.
reg-dutch = Quel est votre niveau de néerlandais ?
dutch-A0 = A0 : aucun
dutch-A1 = A1 : quelques mots
dutch-A2 = A2 : phrases simples
dutch-B1 = B1 : je me débrouille au travail
dutch-B2 = B2 : je parle bien
dutch-C1 = C1 : je parle couramment
reg-transport = Avez-vous le permis de conduire (voiture) et une voiture ?
transport-car = 🚗 Permis et voiture
transport-licence = 🪪 Permis, sans voiture
transport-none = 🚶 Pas de permis
reg-commute = Jusqu'à quelle distance pouvez-vous aller travailler ?
commute-km = { $km } km
reg-home =
    Où habitez-vous exactement ? Touchez « Envoyer ma position » ou écrivez votre code postal.
    (Seule la zone sert au calcul de distance.)
reg-home-share = 📍 Envoyer ma position
reg-home-noted = 🏠 { $town }, noté.
reg-home-noted-point = 📍 Votre position est notée.
reg-home-postcode = 🏠 { $postcode } : ce code postal sert plusieurs communes.
reg-town = Dans quelle commune habitez-vous ?
reg-home-invalid = Je ne connais pas ce code postal ici. Écrivez un code postal du Nord (59…) ou de Wallonie picarde (7…).
reg-availability = Quand pouvez-vous travailler ? Touchez tout ce qui convient, puis « Suivant ».
availability-day = Journée
availability-shifts = Équipes (2x8, 3x8)
availability-nights = Nuit
availability-weekends = Week-end
reg-alerts = Comment voulez-vous recevoir les offres ?
alerts-instant = Tout de suite
alerts-daily = Une fois par jour
alerts-weekly = Une fois par semaine
alerts-off = Pas d'offres
reg-done =
    <b>C'est fait, { $name } !</b> Votre inscription est enregistrée.
    { $summary }
reg-done-counsellor = 👥 Votre conseiller : <b>{ $counsellor }</b> ({ $territory }). Pour lui écrire : « 💬 Parler à mon conseiller » dans le menu.
reg-done-team = 👥 Aucun conseiller n'est encore disponible sur votre territoire : l'équipe du projet répond à vos questions (« 💬 Parler à mon conseiller » dans le menu).
reg-done-jobs = Les offres qui vous correspondent : /jobs
reg-need-consent = Pour cela, il faut d'abord vous inscrire. Tapez /start.

button-yes = Oui
button-no = Non
button-back = ◀️ Retour
button-next = Suivant ▶️
button-done = Terminé ✅
button-sectors = 🔎 Secteurs

sector-logistics = Logistique
sector-transport = Transport
sector-industry = Industrie
sector-construction = Construction
sector-food = Alimentation
sector-hospitality = Hôtellerie, restauration
sector-care = Soins
sector-cleaning = Nettoyage
sector-agriculture = Agriculture
sector-technical = Technique

profile-card =
    👤 { $name } · { $territory }
    💼 { $occupations }
    🗣️ Néerlandais : { $dutch }
    🚗 Permis : { $licence } · Voiture : { $car } · jusqu'à { $commute } km
    🏠 { $home }
    🕒 { $availability }
    🔔 Offres : { $alerts }
profile-title = <b>Votre profil</b>
profile-home-point = position partagée
menu-register = 📝 M'inscrire
menu-profile = 👤 Mon profil
mydata-caption = Voici tout ce que je garde sur vous.
mydata-nothing = Je ne garde rien sur vous, à part votre choix de langue.
delete-confirm = Voulez-vous vraiment effacer vos données ? Cela ne peut pas être annulé.
delete-confirm-counsellor = Voulez-vous vraiment effacer vos données ? Votre conseiller { $name } sera prévenu. Cela ne peut pas être annulé.
delete-confirm-team = Voulez-vous vraiment effacer vos données ? L'équipe du projet sera prévenue. Cela ne peut pas être annulé.
delete-yes = 🗑️ Oui, tout effacer
delete-no = Non, garder
delete-done = C'est fait : vos données personnelles sont effacées. Au revoir, et bonne route !
delete-kept = D'accord, rien n'a été effacé.
counsellor-participant-deleted = Un participant ({ $territory }) a effacé ses données dans le bot.
referral-invalid = Ce lien d'invitation n'est plus valable. Vous pouvez quand même vous inscrire.
invite-linked = Votre conseiller vous a inscrit. Vérifions ensemble vos informations.
staff-only = Cette action est réservée à l'équipe du projet.
rights-refused = ⛔ Ce n'est pas de votre territoire : vous ne pouvez pas faire cela.
cmd-profile = Mon profil
cmd-mydata = Mes données
cmd-delete = Effacer mes données
staff-invite =
    Votre lien d'invitation : { $link }
    Partagez-le, ou montrez ce QR code : la personne arrive chez vous, sur votre territoire.
profile-edit-name = Prénom
profile-edit-territory = Territoire
profile-edit-occupations = Métiers
profile-edit-dutch = Néerlandais
profile-edit-transport = Permis, voiture
profile-edit-commute = Distance
profile-edit-home = Domicile
profile-edit-availability = Disponibilités
profile-edit-alerts = Offres
