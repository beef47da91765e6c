"""perfbot: the chat bot, its channels and its command line."""
