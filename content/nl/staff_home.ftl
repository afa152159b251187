# De teamruimte: het onthaal en het menu van consulenten, VDAB-consulenten en de coördinatie.

cmd-staff = Mijn teamruimte (team)

staff-home-hello = 👋 Hallo { $name }! Dit is uw teamruimte.
staff-home-title = 💼 <b>Teamruimte</b> · { $name }
staff-role-cet = Grensoverschrijdend arbeidsconsulent · { $territory }
staff-role-vdab = VDAB-consulent
staff-role-coordinator = Coördinatie van het programma
staff-home-requests = { $count ->
    [0] 📨 Geen enkele vraag wacht op uw antwoord.
    [one] 📨 <b>1 vraag</b> wacht op uw antwoord:
   *[other] 📨 <b>{ $count } vragen</b> wachten op uw antwoord, de oudste eerst:
}
staff-home-requests-more = Hieronder de { $shown } oudste.
staff-home-sessions = { $count ->
    [0] 📅 Vandaag geen sessie.
   *[other] 📅 <b>Vandaag</b>:
}
staff-home-session = • { $time } · { $title } · { $confirmed }/{ $capacity } ingeschreven
staff-home-link = 🔗 Uw uitnodigingslink: { $link }
staff-home-commands =
    <b>Uw commando's</b>
    /mysessions: uw sessies, de inschrijvingen, de aanwezigheden
    /newsession: een sessie aanmaken
    /vacancy: een vacature publiceren
    /broadcast: een bericht aan meerdere deelnemers
    /outcome: een uitstroom noteren (werk, opleiding)
    /report: het programmarapport
    /invite: uw link en de QR-code
    /lang: taal wijzigen
    /menu: terug naar hier
staff-home-ticket = 📨 { $label } · { $since }
staff-home-session-button = 📅 { $time } · { $title }
staff-home-all-sessions = 📅 Alle sessies
staff-home-invite = 🔗 Mijn link en QR-code
staff-home-participant = 👤 De bot zien als deelnemer
staff-home-back = ◀️ Teamruimte
staff-participant-view = 👤 U ziet de bot nu als deelnemer: /menu en /start blijven aan deze kant. Terug naar uw teamruimte: /staff.

## Een open vraag, vanuit de teamruimte.
staff-ticket =
    📨 <b>{ $label }</b>
    Onderwerp: { $topic }
    Geopend: { $since }
staff-ticket-due = ⏳ Antwoord verwacht tegen { $due }.
staff-ticket-late = ⏰ Antwoord verwacht sinds { $due }.
staff-ticket-private = De berichten staan hoger in dit gesprek.
staff-ticket-desk = De berichten staan in het onderwerp van deze persoon in de teamgroep.
staff-ticket-topic = 💬 Onderwerp openen
