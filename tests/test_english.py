"""intents/english.py gives wordfreq's own Zipf figure for every kind of word it is asked about."""
import random
import string

from wordfreq import iter_wordlist, zipf_frequency

from intents.english import zipf

ODD_WORDS = ["000", "16-64", "19-21", "2a", "anti-social", "b&b", "gigabit-capable", "stats19", "y6", "don't",
             "Bilston", "NEET", "café", "2026", "1,000", "16/17", "ks2", "yr6", "", " ", "--", "3.5", "£5", "50%",
             "dementia", "zzqx", "the"]


def test_every_kind_of_word_gets_wordfreqs_own_figure():
    words = list(iter_wordlist("en"))
    rng = random.Random(26)
    asked = rng.sample(words, 20_000) + ODD_WORDS
    asked += ["".join(rng.choice(string.ascii_letters + string.digits + "-&'./ ") for _ in range(rng.randint(1, 10)))
              for _ in range(2_000)]
    asked += [rng.choice(words) + rng.choice(["-", "'s ", " "]) + rng.choice(words) for _ in range(2_000)]
    differing = {word: (zipf(word), zipf_frequency(word, "en")) for word in asked if zipf(word) != zipf_frequency(word, "en")}
    assert not differing


def test_common_and_rare_words_stand_where_perfbot_expects():
    assert zipf("the") > 7 > zipf("council") > 4 > zipf("dementia") > 2
    assert zipf("zzqx") == 0.0
