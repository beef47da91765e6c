"""The web chat channel of `perfbot demo`: the whole bot in a browser on this machine, with a person
picker, the conversation, charts, buttons and forms, each person's notifications and a demo clock."""
