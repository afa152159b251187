# L'espace équipe : l'accueil et le menu des conseillers, des consultants VDAB et de la coordination.

cmd-staff = Mon espace équipe (équipe)

staff-home-hello = 👋 Bonjour { $name } ! Voici votre espace équipe.
staff-home-title = 💼 <b>Espace équipe</b> · { $name }
staff-role-cet = Conseiller emploi transfrontalier · { $territory }
staff-role-vdab = Consultant VDAB
staff-role-coordinator = Coordination du programme
staff-home-requests = { $count ->
    [0] 📨 Aucune demande n'attend votre réponse.
    [one] 📨 <b>1 demande</b> attend votre réponse :
   *[other] 📨 <b>{ $count } demandes</b> attendent votre réponse, la plus ancienne d'abord :
}
staff-home-requests-more = Ci-dessous les { $shown } plus anciennes.
staff-home-sessions = { $count ->
    [0] 📅 Pas de session aujourd'hui.
   *[other] 📅 <b>Aujourd'hui</b> :
}
staff-home-session = • { $time } · { $title } · { $confirmed }/{ $capacity } inscrits
staff-home-link = 🔗 Votre lien d'invitation : { $link }
staff-home-commands =
    <b>Vos commandes</b>
    /mysessions : vos sessions, les inscrits, les présences
    /newsession : créer une session
    /vacancy : publier une offre
    /broadcast : un message à plusieurs participants
    /outcome : noter une sortie (emploi, formation)
    /report : le rapport du programme
    /invite : votre lien et son QR code
    /lang : changer de langue
    /menu : revenir ici
staff-home-ticket = 📨 { $label } · { $since }
staff-home-session-button = 📅 { $time } · { $title }
staff-home-all-sessions = 📅 Toutes les sessions
staff-home-invite = 🔗 Mon lien et son QR code
staff-home-participant = 👤 Voir le bot comme un participant
staff-home-back = ◀️ Espace équipe
staff-participant-view = 👤 Vous voyez maintenant le bot comme un participant : /menu et /start restent de ce côté. Pour revenir à votre espace équipe : /staff.

## Une demande ouverte depuis l'espace équipe.
staff-ticket =
    📨 <b>{ $label }</b>
    Sujet : { $topic }
    Ouverte : { $since }
staff-ticket-due = ⏳ Réponse attendue d'ici { $due }.
staff-ticket-late = ⏰ Réponse attendue depuis { $due }.
staff-ticket-private = Ses messages sont plus haut dans notre conversation.
staff-ticket-desk = Ses messages sont dans son sujet du groupe de l'équipe.
staff-ticket-topic = 💬 Ouvrir son sujet
