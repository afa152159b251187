# Wie volgt wie: de consulent bij de inschrijving, een andere consulent.

## Voor het team.
counsellor-the-team = het projectteam
counsellor-new-participant = 🆕 { $label } heeft zich net ingeschreven in de bot: u bent de consulent.
counsellor-given = 👥 { $label } wordt aan u toevertrouwd: u bent nu de consulent.
counsellor-taken = 👥 { $label } wordt nu gevolgd door { $name }.
coordinator-participant-waiting =
    🕓 { $label } heeft geen consulent: er is geen actieve consulent in de regio { $territory }. Intussen beantwoordt u de vragen van deze persoon.
    Een consulent toewijzen: /reassign { $ref } en de Telegram-id van de consulent.

## Voor de deelnemer.
participant-new-counsellor = 👥 Uw jobcoach is nu <b>{ $name }</b> ({ $territory }). Om hem of haar te schrijven: „💬 Mijn consulent spreken” in het menu.
participant-counsellor-team = 👥 Er is nu geen jobcoach beschikbaar in uw regio: het projectteam beantwoordt uw vragen („💬 Mijn consulent spreken” in het menu).

## /reassign (team).
reassign-usage =
    Een persoon een andere consulent geven: /reassign PERSOON CONSULENT
    • PERSOON: het nummer (#12, zoals op de fiches) of de referentie (LRT-0042);
    • CONSULENT: de Telegram-id.
    { $counsellors }
reassign-counsellor = { $name } ({ $territory }): { $telegram_id }
reassign-done = ✅ { $label } wordt nu gevolgd door { $name }. De persoon en de betrokken consulenten zijn verwittigd.
reassign-already = { $label } wordt al gevolgd door { $name }.
reassign-no-participant = Ik vind niemand met „{ $ref }”. Geef het nummer (#12) of de referentie (LRT-0042).
reassign-no-staff = „{ $ref }” is niet de Telegram-id van een actief teamlid. Typ /reassign voor de lijst.
reassign-refused-not-counsellor = Alleen een consulent of een coördinator kan iemand volgen.
reassign-refused-not-allowed = Alleen consulenten en coördinatoren geven iemand een andere consulent.
reassign-refused-other-territory = Deze persoon is niet van uw regio: vraag het aan een coördinator.
reassign-refused-colleague-elsewhere = U kunt iemand alleen toevertrouwen aan een consulent van uw regio.
reassign-refused-erased = Deze persoon heeft zijn of haar gegevens gewist.
reassign-refused-changed = De consulent is net door iemand anders veranderd. Kijk het na en probeer opnieuw als het moet.
cmd-reassign = Iemand een andere consulent geven
