## Mijn telefoon en e-mail (/profile): om de persoon buiten Telegram te bereiken.
profile-edit-contacts = 📱 Mijn telefoon en e-mail
contacts-title = 📱 <b>Mijn telefoon en mijn e-mail</b>
contacts-intro =
    Als u akkoord gaat, kunnen we u ook per sms of e-mail schrijven:
    herinneringen aan afspraken, antwoorden van uw consulent.
contacts-phone-line = 📱 Telefoon: { $contact } · { $state }
contacts-phone-line-none = 📱 Telefoon: geen
contacts-email-line = ✉️ E-mail: { $contact } · { $state }
contacts-email-line-none = ✉️ E-mail: geen
contacts-allowed = ✅ akkoord sinds { $date }
contacts-stopped = 🛑 gestopt op { $date }
contacts-not-allowed = ⏸️ niet gebruikt (zonder uw akkoord)
contacts-order-line = ⭐ Eerst: { $first }
channel-telegram = Telegram
channel-sms = sms
channel-email = e-mail
contacts-button-phone = 📱 Mijn gsm-nummer
contacts-button-email = ✉️ Mijn e-mailadres
contacts-button-stop-sms = 🛑 STOP sms
contacts-button-stop-email = 🛑 STOP e-mails
contacts-button-remove-phone = 🗑 Mijn nummer wissen
contacts-button-remove-email = 🗑 Mijn e-mail wissen
contacts-button-order = ⭐ Hoe eerst bereikt worden
contacts-phone-ask =
    Schrijf uw gsm-nummer.
    Bijvoorbeeld: { $example }
contacts-phone-invalid = Dat is geen telefoonnummer. Schrijf het zo: { $example }
contacts-phone-abroad = We sturen sms'en naar Belgische, Franse of Nederlandse nummers. Bijvoorbeeld: { $example }
contacts-phone-landline = Dat is een vaste lijn: die krijgt geen sms. Schrijf een gsm-nummer, bijvoorbeeld: { $example }
contacts-phone-consent =
    Mogen we u sms'en sturen op { $phone }?
    Alleen over het programma. U kunt altijd stoppen (STOP).
contacts-phone-yes = ✅ Ja, u mag me sms'en sturen over het programma
contacts-email-ask =
    Schrijf uw e-mailadres.
    Bijvoorbeeld: voornaam.naam@voorbeeld.be
contacts-email-invalid = Dat adres klopt niet. Schrijf het zo: voornaam.naam@voorbeeld.be
contacts-email-consent =
    Mogen we u schrijven op { $email }?
    Alleen over het programma. U kunt altijd stoppen.
contacts-email-yes = ✅ Ja, u mag me schrijven over het programma
contacts-no = Nee, bedankt
contacts-saved-sms = ✅ Genoteerd: we mogen u sms'en sturen.
contacts-saved-email = ✅ Genoteerd: we mogen u e-mailen.
contacts-not-saved = Goed, we hebben niets bewaard.
contacts-removed-sms = 🗑 Uw nummer is gewist.
contacts-removed-email = 🗑 Uw e-mailadres is gewist.
contacts-stopped-sms = 🛑 Geen sms'en meer. Wilt u ze weer? Geef uw nummer opnieuw.
contacts-stopped-email = 🛑 Geen e-mails meer. Wilt u ze weer? Geef uw adres opnieuw.
contacts-order-ask = Hoe wilt u eerst bereikt worden?
contacts-first-telegram = ✈️ Eerst Telegram
contacts-first-sms = 📱 Eerst sms
contacts-first-email = ✉️ Eerst e-mail
contacts-order-saved = ⭐ Genoteerd: eerst { $first }.

## Hoe de persoon bereikt wordt (fiches van de consulenten, lijst van een sessie).
reach-telegram = ✈️ Telegram
reach-sms = 📱 sms
reach-email = ✉️ e-mail
reach-nobody = ⚠️ niemand: bellen
reach-line = Bereikt via: { $reach }

## Een consulent noteert een STOP die aan de telefoon gezegd werd.
lead-stop-sms = 🛑 Stop sms
lead-stop-email = 🛑 Stop e-mails
staff-stopped-sms = 🛑 Geen sms'en meer voor { $label }. Alleen een nieuw akkoord van de persoon zet ze terug.
staff-stopped-email = 🛑 Geen e-mails meer voor { $label }. Alleen een nieuw akkoord van de persoon zet ze terug.
staff-stopped-already = Dat was al gestopt.
