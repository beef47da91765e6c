"""One module per family of intents, each turning a `Query` in context (`Ask`) into a `Draft`:
the lines, buttons, chart data and facts of the answer."""
