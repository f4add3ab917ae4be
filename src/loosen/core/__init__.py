"""The pure-Python heart of Loosen: routines, plans, sessions and history. No Qt here."""
