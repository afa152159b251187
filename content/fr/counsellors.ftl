# Qui suit qui : le conseiller donné à l'inscription, les changements de conseiller.

## Reçu par l'équipe.
counsellor-the-team = l'équipe du projet
counsellor-new-participant = 🆕 { $label } vient de s'inscrire dans le bot : vous êtes son conseiller.
counsellor-given = 👥 { $label } vous est confié(e) : vous êtes maintenant son conseiller.
counsellor-taken = 👥 { $label } est maintenant suivi(e) par { $name }.
coordinator-participant-waiting =
    🕓 { $label } n'a pas de conseiller : aucun conseiller n'est actif sur le territoire { $territory }. En attendant, c'est vous qui répondez à ses demandes.
    Pour lui en donner un : /reassign { $ref } et l'identifiant Telegram du conseiller.

## Reçu par le participant.
participant-new-counsellor = 👥 Votre conseiller est maintenant <b>{ $name }</b> ({ $territory }). Pour lui écrire : « 💬 Parler à mon conseiller » dans le menu.
participant-counsellor-team = 👥 Aucun conseiller n'est disponible pour le moment sur votre territoire : l'équipe du projet répond à vos questions (« 💬 Parler à mon conseiller » dans le menu).

## /reassign (équipe).
reassign-usage =
    Pour changer le conseiller d'une personne : /reassign PERSONNE CONSEILLER
    • PERSONNE : son numéro (#12, comme sur ses fiches) ou sa référence (LRT-0042) ;
    • CONSEILLER : son identifiant Telegram.
    { $counsellors }
reassign-counsellor = { $name } ({ $territory }) : { $telegram_id }
reassign-done = ✅ { $label } est maintenant suivi(e) par { $name }. La personne et les conseillers concernés sont prévenus.
reassign-already = { $label } est déjà suivi(e) par { $name }.
reassign-no-participant = Je ne trouve personne avec « { $ref } ». Donnez son numéro (#12) ou sa référence (LRT-0042).
reassign-no-staff = « { $ref } » n'est pas l'identifiant Telegram d'un membre actif de l'équipe. Tapez /reassign pour voir la liste.
reassign-refused-not-counsellor = Seuls un conseiller ou un coordinateur peuvent suivre une personne.
reassign-refused-not-allowed = Seuls les conseillers et les coordinateurs changent le conseiller d'une personne.
reassign-refused-other-territory = Cette personne n'est pas de votre territoire : demandez à un coordinateur.
reassign-refused-colleague-elsewhere = Vous pouvez confier une personne seulement à un conseiller de votre territoire.
reassign-refused-erased = Cette personne a effacé ses données.
reassign-refused-changed = Son conseiller vient d'être changé par quelqu'un d'autre. Vérifiez, puis recommencez si besoin.
cmd-reassign = Changer le conseiller d'une personne
