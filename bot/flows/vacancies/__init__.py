"""Staff post a vacancy step by step (`/vacancy`), with a preview of the card participants get."""
