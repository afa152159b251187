# Buiten privégesprekken: de bot zegt het één keer per groep (met de Franse tekst).
# Een antwoord op een knop (beide talen): hoogstens 200 tekens.

group-private-only = Ik antwoord alleen privé: {$link}
group-open-bot = Open de bot
