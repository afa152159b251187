"""What every dialog shares: widgets that read Fluent, the steps staff flows are made of,
checks of typed answers, the programme's calendar."""
