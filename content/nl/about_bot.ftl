# Wat een leeg gesprek toont, vóór "Start" (setMyDescription, setMyShortDescription).
# Telegram: hoogstens 512 tekens voor de beschrijving, 120 voor de korte.

bot-description =
    Werk vinden in West-Vlaanderen als u in Noord-Frankrijk of Picardisch Wallonië woont: vertaalde vacatures die bij u passen, online bedrijfspresentaties, herinneringen, en uw grensoverschrijdende arbeidsconsulent op één bericht afstand.
    En Avant · Vooruit is een Interreg-project van het Département du Nord, VDAB, Le Forem, POM West-Vlaanderen en de Maison de l'Europe. Tik op "Start".
bot-short-description = Werk in West-Vlaanderen, met uw consulent. Interreg-project En Avant · Vooruit.
