"""The quarterly corporate performance report: what goes in it (`content`), the actions recorded
for red measures (`actions`), what is still outstanding (`outstanding`) and the PowerPoint deck
built from it (`deck`)."""
