"""Speech: the Speaker protocol, the pyttsx3 engine owner off the UI thread, and fallbacks."""
