# Hors des discussions privées : le bot le dit une fois par groupe (avec le texte néerlandais).
# Une réponse à un bouton (les deux langues) : 200 caractères au plus.

group-private-only = Je réponds seulement en privé : {$link}
group-open-bot = Ouvrir le bot
