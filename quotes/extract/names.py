"""Cheap discovery of the people a document names, for coreference.

Runs on the whole normalised text with a first-name list and honorifics (no
spaCy), plus the PER entities of the windows that were parsed anyway.
"""
import re

from . import lexicon
from .attribution import Window
from .speakers import Registry, describe

_WORD = re.compile(r"[^\W\d_][\w'-]*")
_ROLE_BEFORE = re.compile(r"(?:^|[\s(])((?:l[ae] |l'|les |un |une )[^,.;:!?«»()\n]{2,90}?)[\s,]*$", re.I)
_ROLE_AFTER = re.compile(r"^\s*,\s*((?:l[ae] |l'|un |une )?[^,.;:!?«»()\n]{2,90}?)\s*[,.;)]")


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


def _role_near(text: str, start: int, end: int) -> str | None:
    """A role written right before ("le chef de l'OTAN Jens Stoltenberg") or after (", chef de l'OTAN,")."""
    roles = lexicon.role_words()
    m = _ROLE_BEFORE.search(text[max(0, start - 100):start])
    if m:
        desc = describe(m.group(1))
        words = (desc.role or "").split()
        if words and words[0].lower() in roles and not desc.name:
            return desc.role
    m = _ROLE_AFTER.match(text[end:end + 110])
    if m:
        desc = describe(m.group(1))
        words = (desc.role or "").split()
        if words and words[0].lower() in roles and not desc.name:
            return desc.role
    return None


def harvest(text: str, registry: Registry) -> None:
    """Register "Prénom Nom" names (with a role written next to them), then "M./Mme Nom" mentions."""
    first, honorifics = lexicon.first_names(), lexicon.honorifics()
    words = list(_WORD.finditer(text))
    surnames = []
    for n, m in enumerate(words):
        w = m.group()
        if w in first and n + 1 < len(words):
            k = n + 1
            parts = [w]
            while k < len(words) and len(parts) < 5 and words[k].start() - words[k - 1].end() <= 1:
                nxt = words[k].group()
                if _is_cap(nxt):
                    parts.append(nxt)
                elif nxt.lower() in lexicon.NAME_PARTICLES and k + 1 < len(words) and _is_cap(words[k + 1].group()):
                    parts.append(nxt)
                else:
                    break
                k += 1
            if len(parts) >= 2:
                end = words[k - 1].end()
                registry.add(" ".join(parts), m.start(), first.get(w), _role_near(text, m.start(), end))
        elif w.lower() in honorifics and n + 1 < len(words):
            nxt = words[n + 1]
            if _is_cap(nxt.group()) and nxt.start() - m.end() <= 2:
                surnames.append((nxt.group(), m.start(), honorifics[w.lower()]))
    for surname, position, gender in surnames:
        if surname not in first:
            registry.add(surname, position, gender)


def harvest_entities(win: Window, registry: Registry) -> None:
    """Register the PER entities of a parsed window, with the role words written before them."""
    doc = win.doc
    for ent in doc.ents:
        if ent.label_ != "PER":
            continue
        start = ent.start
        while start > 0 and ent.start - start < 8 and doc[start - 1].pos_ in ("DET", "NOUN", "ADJ", "ADP", "PROPN") \
                and doc[start - 1].text not in (",", "«", "»"):
            start -= 1
        desc = describe(doc[start:ent.end].text)
        if desc.name and len(desc.name.split()) >= 2:
            role = desc.role if desc.role and desc.role.split()[0].lower() in lexicon.role_words() else None
            registry.add(desc.name, win.base + ent.start_char, desc.gender, role)
