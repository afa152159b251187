# Inschrijving: één vraag per bericht, knoppen, bij elke stap een weg terug.

reg-consent =
    <b>Voor we beginnen</b>
    Om u vacatures en sessies voor te stellen, bewaar ik: uw voornaam, uw regio, de beroepen die u interesseren, uw niveau Nederlands, uw vervoer, uw postcode en wanneer u kunt werken.

    • Wie bewaart ze: het project En Avant · Vooruit (het team en de grensoverschrijdende jobcoaches).
    • Hoe lang: twee jaar na ons laatste contact.
    • Uw rechten: uw gegevens bekijken (/mydata), wissen (/delete), verbeteren (/profile).

    Ik vraag nooit uw rijksregister- of sociaal-zekerheidsnummer, uw papieren, uw uitkering of uw gezondheid.
reg-consent-yes = ✅ Ik ga akkoord
reg-consent-no = Nu niet
reg-consent-declined = Goed. Ik heb niets bewaard. Typ /start wanneer u wilt.
reg-name = Welke voornaam mag ik gebruiken?
reg-name-kept = ✅ Bedankt! Ik noem u { $name }. Een andere voornaam? Typ /profile.
reg-name-keep = „{ $name }” houden
reg-name-invalid = Schrijf alleen uw voornaam (letters, 2 tot 40 tekens).
reg-territory = Waar woont u?
territory-LRT = Rijsel-Roubaix-Tourcoing
territory-FM = Frans-Vlaanderen (Duinkerke)
territory-WAPI = Picardisch Wallonië
reg-occupations =
    Welke beroepen interesseren u? Kies een sector, of schrijf een beroep (bijvoorbeeld: heftruckchauffeur).
    Gekozen: { $chosen }
reg-occupations-none = nog geen
reg-occupations-sector = Tik op de beroepen die u interesseren, daarna op „Klaar”.
reg-occupations-search = Resultaten voor „{ $query }”. Tik op de beroepen die u interesseren.
reg-occupations-found = Voor „{ $query }” vond ik: <b>{ $best }</b>. Klopt dat? Tik op „👍 Ja”.
reg-occupations-found-more = Hieronder staan verwante beroepen: tik eerst aan wat u ook interesseert.
reg-occupations-confirm = 👍 Ja: { $best }
reg-occupations-not-found = Ik vond geen beroep voor „{ $query }”. Probeer een ander woord of kies een sector.
reg-occupations-need-one = Kies minstens één beroep.
reg-dutch = Hoe goed spreekt u Nederlands?
dutch-A0 = A0: helemaal niet
dutch-A1 = A1: enkele woorden
dutch-A2 = A2: eenvoudige zinnen
dutch-B1 = B1: ik red me op het werk
dutch-B2 = B2: ik spreek het goed
dutch-C1 = C1: ik spreek het vlot
reg-transport = Hebt u een rijbewijs (auto) en een auto?
transport-car = 🚗 Rijbewijs en auto
transport-licence = 🪪 Rijbewijs, geen auto
transport-none = 🚶 Geen rijbewijs
reg-commute = Hoe ver kunt u gaan werken?
commute-km = { $km } km
reg-home =
    Waar woont u precies? Tik op „Mijn locatie sturen” of schrijf uw postcode.
    (Alleen de buurt telt voor de afstand.)
reg-home-share = 📍 Mijn locatie sturen
reg-home-noted = 🏠 { $town }, genoteerd.
reg-home-noted-point = 📍 Uw locatie is genoteerd.
reg-home-postcode = 🏠 { $postcode }: deze postcode hoort bij meerdere gemeenten.
reg-town = In welke gemeente woont u?
reg-home-invalid = Deze postcode ken ik hier niet. Schrijf een postcode uit het Noorderdepartement (59…) of Picardisch Wallonië (7…).
reg-availability = Wanneer kunt u werken? Tik op alles wat past, daarna op „Volgende”.
availability-day = Overdag
availability-shifts = Ploegen (2x8, 3x8)
availability-nights = 's Nachts
availability-weekends = Weekend
reg-alerts = Hoe wilt u de vacatures ontvangen?
alerts-instant = Meteen
alerts-daily = Eén keer per dag
alerts-weekly = Eén keer per week
alerts-off = Geen vacatures
reg-done =
    <b>Klaar, { $name }!</b> Uw inschrijving is bewaard.
    { $summary }
reg-done-counsellor = 👥 Uw jobcoach: <b>{ $counsellor }</b> ({ $territory }). Om hem of haar te schrijven: „💬 Mijn consulent spreken” in het menu.
reg-done-team = 👥 Er is nog geen jobcoach beschikbaar in uw regio: het projectteam beantwoordt uw vragen („💬 Mijn consulent spreken” in het menu).
reg-done-jobs = De vacatures die bij u passen: /jobs
reg-need-consent = Daarvoor moet u zich eerst inschrijven. Typ /start.

button-yes = Ja
button-no = Nee
button-back = ◀️ Terug
button-next = Volgende ▶️
button-done = Klaar ✅
button-sectors = 🔎 Sectoren

sector-logistics = Logistiek
sector-transport = Transport
sector-industry = Industrie
sector-construction = Bouw
sector-food = Voeding
sector-hospitality = Horeca
sector-care = Zorg
sector-cleaning = Schoonmaak
sector-agriculture = Land- en tuinbouw
sector-technical = Techniek

profile-card =
    👤 { $name } · { $territory }
    💼 { $occupations }
    🗣️ Nederlands: { $dutch }
    🚗 Rijbewijs: { $licence } · Auto: { $car } · tot { $commute } km
    🏠 { $home }
    🕒 { $availability }
    🔔 Vacatures: { $alerts }
profile-title = <b>Uw profiel</b>
profile-home-point = gedeelde locatie
menu-register = 📝 Inschrijven
menu-profile = 👤 Mijn profiel
mydata-caption = Dit is alles wat ik over u bewaar.
mydata-nothing = Ik bewaar niets over u, behalve uw taalkeuze.
delete-confirm = Wilt u uw gegevens echt wissen? Dit kan niet ongedaan worden.
delete-confirm-counsellor = Wilt u uw gegevens echt wissen? Uw jobcoach { $name } wordt verwittigd. Dit kan niet ongedaan worden.
delete-confirm-team = Wilt u uw gegevens echt wissen? Het projectteam wordt verwittigd. Dit kan niet ongedaan worden.
delete-yes = 🗑️ Ja, alles wissen
delete-no = Nee, bewaren
delete-done = Gedaan: uw persoonlijke gegevens zijn gewist. Tot ziens en veel succes!
delete-kept = Goed, er is niets gewist.
counsellor-participant-deleted = Een deelnemer ({ $territory }) heeft zijn gegevens in de bot gewist.
referral-invalid = Deze uitnodigingslink is niet meer geldig. U kunt zich toch inschrijven.
invite-linked = Uw jobcoach heeft u ingeschreven. Laten we samen uw gegevens nakijken.
staff-only = Deze actie is voorbehouden aan het projectteam.
rights-refused = ⛔ Dit hoort niet bij uw regio: dat kunt u niet doen.
cmd-profile = Mijn profiel
cmd-mydata = Mijn gegevens
cmd-delete = Mijn gegevens wissen
staff-invite =
    Uw uitnodigingslink: { $link }
    Deel hem, of toon deze QR-code: de persoon komt bij u terecht, in uw regio.
profile-edit-name = Voornaam
profile-edit-territory = Regio
profile-edit-occupations = Beroepen
profile-edit-dutch = Nederlands
profile-edit-transport = Rijbewijs, auto
profile-edit-commute = Afstand
profile-edit-home = Woonplaats
profile-edit-availability = Beschikbaarheid
profile-edit-alerts = Vacatures
