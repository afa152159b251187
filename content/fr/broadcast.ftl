# Un message à plusieurs participants (équipe du projet) : /broadcast.

# Ce que les participants reçoivent : la ligne d'en-tête, puis le message de l'équipe.
# Court : une légende de photo fait 1024 caractères au plus, dont 1000 pour le message.
bc-header = 📣 Vos conseillers
bc-message =
    { bc-header }

    { $text }

bc-write = <b>Message à plusieurs participants.</b> Écrivez votre message (3500 caractères au maximum), ou envoyez une photo ou un document avec une légende (1000 caractères au maximum).
bc-current = Vous avez déjà écrit un message : gardez-le, ou envoyez-en un autre.
bc-keep = Garder ▶️
bc-cancel = ✖️ Annuler
bc-cancelled = D'accord, rien n'est envoyé.
bc-type-message = Envoyez un texte, une photo ou un document, ou touchez un bouton.
bc-text-long = Votre message est trop long ({ $length } caractères) : 3500 au maximum.
bc-caption-long = La légende est trop longue ({ $length } caractères) : 1000 au maximum.

bc-audience = Qui doit recevoir ce message ?
bc-audience-mine = 👥 Mes participants
bc-audience-territory = 📍 Un territoire
bc-audience-occupation = 🛠 Un métier
bc-audience-session = 📅 Les inscrits d'une session
bc-audience-everyone = 🌍 Tout le monde
bc-territory = Les participants de quel territoire ?
bc-occupation = Les participants de quel métier ? Écrivez-le pour le chercher (par exemple : cariste).
bc-occupation-pick = Résultats pour « { $query } ». Touchez le bon métier, ou écrivez un autre mot.
bc-occupation-unknown = Je ne trouve aucun métier pour « { $query } ». Essayez un autre mot, en français ou en néerlandais.
bc-session = Les inscrits (confirmés et en liste d'attente) de quelle session ?
bc-session-none = Aucune session n'est prévue. Revenez en arrière pour choisir un autre public.
bc-session-item = { $when } · { $title }
bc-refused = Vous ne pouvez pas écrire à ce public.
bc-unknown = Ce choix n'existe plus. Choisissez à nouveau.

bc-preview = 👀 <b>Aperçu</b> : voici le message tel que les participants le recevront.
bc-reach = { $count ->
    [0] Il n'atteindrait personne
    [one] Il atteindra 1 personne
   *[other] Il atteindra { $count } personnes
} ({ $unreachable ->
    [0] aucune injoignable
    [one] 1 autre injoignable : bot bloqué
   *[other] { $unreachable } autres injoignables : bot bloqué
}).
bc-nobody = Choisissez un autre public, ou annulez.
bc-send = ✅ Envoyer
bc-edit = ✏️ Modifier le message
bc-already-sent = Ce message est déjà parti.

bc-progress = 📤 Envoi : { $sent } / { $total }
bc-report =
    ✅ <b>Message envoyé.</b>
    Reçu par : { $delivered }
    Injoignables (bot bloqué) : { $unreachable }
    Échecs : { $failed }
