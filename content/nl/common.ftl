# Welkom, menu, hulp, taal: wat iedereen ziet.

welcome-new =
    Hallo { $name }! 👋
    Ik ben de assistent van het project <b>En Avant · Vooruit</b>.
lang-choose = In welke taal wilt u mijn berichten lezen?
lang-button-fr = 🇫🇷 Français
lang-button-nl = 🇧🇪 Nederlands
lang-set = Genoteerd: ik schrijf u in het Nederlands.

about =
    <b>En Avant · Vooruit</b> helpt u aan een job in West-Vlaanderen (België), dicht bij de grens.

    Het project biedt:
    • vacatures van bedrijven die personeel zoeken;
    • online bedrijfsvoorstellingen;
    • lessen Nederlands en Vlaamse cultuur;
    • hulp bij uw verplaatsingen;
    • een grensoverschrijdende jobcoach die u volgt.

    Het is gratis. Partners: Département du Nord, Le Forem, VDAB, POM West-Vlaanderen en Maison de l'Europe.

welcome-back = Hallo { $name }! Fijn u terug te zien.
menu-title = Wat wilt u doen? Tik op een knop.
menu-about = ℹ️ Het project
menu-help = ❓ Hulp
menu-lang = 🌐 Langue / Taal

help =
    <b>Hoe gebruikt u mij?</b>
    Tik op de knoppen onder mijn berichten. U hoeft bijna nooit te typen.

    /menu: terug naar het menu
    /cancel: stoppen met wat u doet
    /lang: andere taal kiezen
    /help: dit bericht
    /jobs: de vacatures voor u
    /sessions: bedrijfspresentaties en workshops om te reserveren
    /faq: veelgestelde vragen over werken in België
    /counsellor: uw consulent schrijven
    /profile: uw profiel (wijzigen)
    /mydata: alles zien wat ik over u bewaar
    /delete: uw gegevens wissen

    ⚠️ Stuur hier nooit uw rijksregisternummer of sociaal-zekerheidsnummer, identiteitspapieren, het bedrag van uw uitkering of informatie over uw gezondheid.

cancel-done = Gestopt. Er is niets meer bewaard.
cancel-nothing = Er was niets bezig.

fallback-text = Dat begreep ik niet. Tik op een knop van het menu.
fallback-command = Het commando { $command } ken ik niet.
fallback-media = Dit soort bericht kan ik niet lezen. Schrijf of tik op een knop.
fallback-too-long = Uw bericht is te lang voor mij. Graag wat korter.
flow-use-buttons = Antwoord met de knoppen hieronder, alstublieft.
button-expired = Deze knop werkt niet meer.
error-generic = Sorry, er ging bij mij iets mis. Probeer het zo opnieuw, of typ /menu.

cmd-start = Beginnen
cmd-menu = Hoofdmenu
cmd-help = Hulp
cmd-lang = Taal kiezen
cmd-cancel = Stoppen met wat ik doe

## Menu: een mens spreken, veelgestelde vragen, een job gevonden.
cmd-faq = Veelgestelde vragen
cmd-counsellor = Mijn consulent spreken
menu-faq = 📖 Veelgestelde vragen
menu-talk = 💬 Mijn consulent spreken
menu-found-job = 🎉 Ik heb werk gevonden!
cmd-broadcast = Bericht naar meerdere deelnemers (team)
cmd-outcome = Uitstroom noteren: werk, opleiding (team)
cmd-report = Rapport van het programma (team)
fallback-offer-human = Uw consulent kan helpen: tik op „{ menu-talk }” om te schrijven. Of tik op een andere knop van het menu.

## Veelgestelde vragen.
faq-intro = 📖 <b>Veelgestelde vragen</b> over werken in België. Schrijf uw vraag in een paar woorden (bijvoorbeeld "belasting" of "ziekenfonds"), of tik op een vraag:
faq-previous = ◀️ Vorige
faq-next = Volgende ▶️
faq-talk = 💬 Mijn consulent spreken
faq-answer =
    <b>{ $question }</b>

    { $answer }

    <i>Bron: { $source }</i>

    Heeft dit geholpen?
faq-helped-yes = 👍 Ja, bedankt
faq-helped-no = 👎 Nee
faq-other = Andere vraag: { $question }
faq-glad = 😊 Fijn! U kunt altijd een andere vraag schrijven.
faq-sorry = Sorry. Uw consulent kan u antwoorden: tik op de knop om te schrijven.
faq-gone = Deze vraag bestaat niet meer. Dit zijn de huidige vragen:
