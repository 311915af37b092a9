"""Token embeddings remembered across documents, for the tok2vec of a loaded spaCy pipeline.

The first stage of spaCy's tok2vec (``MultiHashEmbed``) turns each token into a
vector from six of its attributes alone (norm, prefix, suffix, shape, whether a
space follows, whether it is a space): no context. News text repeats its words,
so most tokens were embedded before; this stage is about 30 % of the tagging
cost. ``remember_embeddings`` wraps it: a token whose six attributes were seen
gets the stored vector, the others are embedded by the original layers in one
batch. The vectors are the ones the original stage computes (a test compares
them bit for bit), so tags and parses do not change. Anything unexpected in the
pipeline's structure leaves it untouched.
"""
import logging
import threading

import numpy as np

log = logging.getLogger(__name__)

MAX_ROWS = 100_000  # distinct tokens kept (width 96: under 40 MB); past it, new ones are embedded each time
_EXPECTED = ("extract_features", "list2ragged", "ragged2list")


class _Remembered:
    """The stored vectors of one embedding stage, and its forward function."""

    def __init__(self, embed):
        self.original = embed
        self.extract, _, self.hash_embed, self.mix, _ = embed.layers
        self.index: dict[bytes, int] = {}
        self.table = np.empty((0, 0), dtype="float32")
        self.used = 0  # rows written (two threads may store the same token: rows, not keys, count)
        # a server's threads share the pipeline: stores one at a time (the table row is written
        # before its index entry, so a reader never meets an entry without its vector)
        self.lock = threading.Lock()

    def forward(self, model, docs, is_train: bool):
        if is_train:
            return self.original(docs, is_train)
        from thinc.types import Ragged

        features = self.extract.predict(docs)
        lengths = [len(f) for f in features]
        if not features or not sum(lengths):
            return self.original(docs, is_train)
        flat = np.ascontiguousarray(np.concatenate(features))
        # one bytes key per token: its six attribute hashes
        keys = flat.view(np.dtype((np.void, flat.dtype.itemsize * flat.shape[1]))).ravel().tolist()
        index = self.index
        rows = np.fromiter((index.get(k, -1) for k in keys), dtype=np.int64, count=len(keys))
        missing = np.flatnonzero(rows < 0)
        if not len(missing):
            return self._split(self.table[rows], lengths), _no_backprop
        missed = missing.tolist()
        fresh: dict[bytes, int] = {}  # each new token once, in order of first sight
        first = []
        for n in missed:
            if keys[n] not in fresh:
                fresh[keys[n]] = len(fresh)
                first.append(n)
        batch = Ragged(flat[first], model.ops.asarray1i([len(first)]))
        vectors = self.mix.predict(self.hash_embed.predict(batch)).data
        self._store(list(fresh), vectors)
        out = np.empty((len(keys), vectors.shape[1]), dtype=vectors.dtype)
        hits = np.flatnonzero(rows >= 0)
        if len(hits):
            out[hits] = self.table[rows[hits]]
        out[missing] = vectors[[fresh[keys[n]] for n in missed]]
        return self._split(out, lengths), _no_backprop

    def _store(self, keys: list[bytes], vectors: np.ndarray) -> None:
        """Keep ``vectors`` under ``keys`` unless the table is full."""
        with self.lock:
            start = self.used
            if start + len(keys) > MAX_ROWS:
                return
            if start + len(keys) > len(self.table):
                grown = np.empty((min(MAX_ROWS, max(4096, 2 * (start + len(keys)))), vectors.shape[1]),
                                 dtype=vectors.dtype)
                if start:
                    grown[:start] = self.table[:start]
                self.table = grown
            self.table[start:start + len(keys)] = vectors
            self.used = start + len(keys)
            for n, key in enumerate(keys):
                self.index[key] = start + n

    @staticmethod
    def _split(out: np.ndarray, lengths: list[int]) -> list[np.ndarray]:
        return np.split(out, np.cumsum(lengths)[:-1]) if len(lengths) > 1 else [out]


def _no_backprop(d_outputs):
    raise NotImplementedError("remembered embeddings are for prediction only")


def remember_embeddings(nlp) -> bool:
    """Make the tok2vec of ``nlp`` remember token embeddings; False when its structure is not the expected one."""
    from thinc.api import Model

    if "tok2vec" not in nlp.pipe_names:
        return False
    model = nlp.get_pipe("tok2vec").model
    if not model.has_ref("embed") or not model.layers or model.layers[0] is not model.get_ref("embed"):
        return False
    embed = model.get_ref("embed")
    names = [layer.name for layer in embed.layers]
    if len(names) != 5 or (names[0], names[1], names[4]) != _EXPECTED or not names[2].startswith("with_array"):
        log.info("tok2vec embedding not remembered: unexpected layers %s", names)
        return False
    remembered = _Remembered(embed)
    wrapper = Model("remembered_embed", remembered.forward, layers=[embed], dims={"nO": embed.get_dim("nO")})
    model.layers[0] = wrapper
    model.set_ref("embed", wrapper)
    return True
