"""`python -m bot.web`: the same demo as `perfbot demo`."""
import sys

from bot.web.demo import main

sys.exit(main())
