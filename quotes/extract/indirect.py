"""Indirect speech without guillemets: X a affirmé que …, selon X, …, X estime que …"""


def cue_sentences(norm, sents, quoted):
    return []


def find(plan, registry, recent):
    return []
