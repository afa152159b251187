# Sessions en ligne : rappels.

reminder-3d =
    📅 Bonjour ! Votre place est réservée pour « { $title } », { $when }.
    Nous la gardons pour vous. Si vous ne pouvez pas venir, annulez : votre place ira à une autre personne qui attend.
reminder-1d =
    ⏰ C'est demain : « { $title } », { $when }. Votre place vous attend.
    Un empêchement ? Annulez, pour que quelqu'un d'autre puisse venir.
reminder-1h =
    🔔 Dans une heure : « { $title } », { $when }.
    Le lien pour vous connecter : { $url }
    Bonne présentation ! Si vous ne pouvez plus venir, annulez pour libérer votre place.
reminder-coming = ✅ Je serai là
reminder-cancel = ❌ Annuler ma place
