"""Understanding: the Rasa NLU project, language identification and entities."""
