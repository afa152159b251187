# Online sessies: herinneringen.

reminder-3d =
    📅 Hallo! Uw plaats voor « { $title } » is gereserveerd, { $when }.
    We houden ze voor u vrij. Kunt u niet komen? Annuleer dan: uw plaats gaat naar iemand die wacht.
reminder-1d =
    ⏰ Het is morgen: « { $title } », { $when }. Uw plaats wacht op u.
    Verhinderd? Annuleer, zodat iemand anders kan komen.
reminder-1h =
    🔔 Over een uur: « { $title } », { $when }.
    De link om deel te nemen: { $url }
    Veel succes! Kunt u niet meer komen, annuleer dan om uw plaats vrij te maken.
reminder-coming = ✅ Ik ben erbij
reminder-cancel = ❌ Mijn plaats annuleren
