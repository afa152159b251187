# Ce que montre une discussion vide, avant « Démarrer » (setMyDescription, setMyShortDescription).
# Telegram : 512 caractères au plus pour la description, 120 pour la courte.

bot-description =
    Trouver un emploi en Flandre occidentale quand on vit dans le Nord ou en Wallonie picarde : des offres traduites et choisies pour vous, des présentations d'entreprises en ligne, des rappels, et votre conseiller emploi transfrontalier à un message.
    En Avant · Vooruit est un projet Interreg du Département du Nord, du VDAB, du Forem, de POM West-Vlaanderen et de la Maison de l'Europe. Touchez « Démarrer ».
bot-short-description = Un emploi en Flandre occidentale, avec votre conseiller. Projet Interreg En Avant · Vooruit.
