"""The channel-neutral core: a Message in, typed replies out. Imports no chat SDK."""
