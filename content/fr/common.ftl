# Accueil, menu, aide, langue : ce que tout le monde voit.

welcome-new =
    Bonjour { $name } ! 👋
    Je suis l'assistant du projet <b>En Avant · Vooruit</b>.
lang-choose = Dans quelle langue voulez-vous lire mes messages ?
lang-button-fr = 🇫🇷 Français
lang-button-nl = 🇧🇪 Nederlands
lang-set = C'est noté : je vous écris en français.

about =
    <b>En Avant · Vooruit</b> vous aide à trouver un emploi en Flandre occidentale (Belgique), près de la frontière.

    Le projet vous propose :
    • des offres d'emploi d'entreprises qui cherchent du personnel ;
    • des présentations d'entreprises en ligne ;
    • des cours de néerlandais et de culture flamande ;
    • une aide pour vos trajets ;
    • un conseiller emploi transfrontalier qui vous suit.

    C'est gratuit. Partenaires : Département du Nord, Le Forem, VDAB, POM West-Vlaanderen et Maison de l'Europe.

welcome-back = Bonjour { $name } ! Ravi de vous revoir.
menu-title = Que voulez-vous faire ? Touchez un bouton.
menu-about = ℹ️ Le projet
menu-help = ❓ Aide
menu-lang = 🌐 Langue / Taal

help =
    <b>Comment m'utiliser</b>
    Touchez les boutons sous mes messages. Vous n'avez presque jamais besoin d'écrire.

    /menu : revenir au menu
    /cancel : arrêter ce que vous faites
    /lang : changer de langue
    /help : ce message
    /jobs : les offres d'emploi pour vous
    /sessions : présentations d'entreprises et ateliers à réserver
    /faq : les questions fréquentes sur le travail en Belgique
    /counsellor : écrire à votre conseiller
    /profile : votre profil (le modifier)
    /mydata : voir tout ce que je garde sur vous
    /delete : effacer vos données

    ⚠️ N'envoyez jamais ici votre numéro de sécurité sociale, vos papiers d'identité, le montant de vos aides ou des informations sur votre santé.

cancel-done = C'est arrêté. Rien n'a été enregistré de plus.
cancel-nothing = Il n'y avait rien en cours.

fallback-text = Je n'ai pas compris. Touchez un bouton du menu.
fallback-command = Je ne connais pas la commande { $command }.
fallback-media = Je ne sais pas lire ce type de message. Écrivez ou touchez un bouton.
fallback-too-long = Votre message est trop long pour moi. Faites plus court, s'il vous plaît.
flow-use-buttons = Répondez avec les boutons ci-dessous, s'il vous plaît.
button-expired = Ce bouton n'est plus actif.
error-generic = Désolé, un problème est survenu de mon côté. Réessayez dans un moment, ou tapez /menu.

cmd-start = Commencer
cmd-menu = Menu principal
cmd-help = Aide
cmd-lang = Changer de langue
cmd-cancel = Arrêter ce que je fais

## Menu : l'aide d'un humain, les questions fréquentes, un emploi trouvé.
cmd-faq = Questions fréquentes
cmd-counsellor = Parler à mon conseiller
menu-faq = 📖 Questions fréquentes
menu-talk = 💬 Parler à mon conseiller
menu-found-job = 🎉 J'ai trouvé un emploi !
cmd-broadcast = Envoyer un message à plusieurs (équipe)
cmd-outcome = Noter une sortie : emploi, formation (équipe)
cmd-report = Rapport du programme (équipe)
fallback-offer-human = Votre conseiller peut vous aider : touchez « { menu-talk } » pour lui écrire. Ou touchez un autre bouton du menu.

## Questions fréquentes.
faq-intro = 📖 <b>Questions fréquentes</b> sur le travail en Belgique. Écrivez votre question en quelques mots (par exemple « impôts » ou « mutuelle »), ou touchez une question :
faq-previous = ◀️ Précédentes
faq-next = Suivantes ▶️
faq-talk = 💬 Parler à mon conseiller
faq-answer =
    <b>{ $question }</b>

    { $answer }

    <i>Source : { $source }</i>

    Cela vous a aidé ?
faq-helped-yes = 👍 Oui, merci
faq-helped-no = 👎 Non
faq-other = Autre question : { $question }
faq-glad = 😊 Tant mieux ! Vous pouvez toujours écrire une autre question.
faq-sorry = Désolé. Votre conseiller peut vous répondre : touchez le bouton pour lui écrire.
faq-gone = Cette question n'existe plus. Voici les questions actuelles :
