"""Results remembered per version of the store.

``analysis.change`` runs a noise test per value and ``analysis.describe`` a good deal more; for a
76-year series that is too slow to repeat on every click. ``per_store`` remembers a function's
results for a given store file version (inode, modification time, size) and arguments, so a
rebuilt or newly ingested store is never answered from an old one. Each function keeps at most
``MAX_ENTRIES`` results, the least recently used going first.

``per_view`` is the same for what is made of one view (its data, its chart and panels): those
caches can be emptied together (``clear_views``), e.g. to time drawing a view not drawn before
while the statistics behind it stay remembered.
"""
from __future__ import annotations

import functools
import threading
from collections import OrderedDict

MAX_ENTRIES = 512
_VIEW_CACHES: list = []


def store_version(store) -> tuple:
    """What identifies the contents of a store on disk: its file, inode, mtime and size."""
    try:
        st = store.file.stat()
    except FileNotFoundError:
        return (str(store.file), None)
    return (str(store.file), st.st_ino, st.st_mtime_ns, st.st_size)


def per_store(fn, max_entries: int = MAX_ENTRIES):
    """Memoize ``fn(store, *args)`` on the store's version and the (hashable) arguments."""
    entries: OrderedDict = OrderedDict()
    lock = threading.Lock()

    @functools.wraps(fn)
    def wrapper(store, *args):
        key = (store_version(store), args)
        with lock:
            if key in entries:
                entries.move_to_end(key)
                return entries[key]
        value = fn(store, *args)
        with lock:
            entries[key] = value
            while len(entries) > max_entries:
                entries.popitem(last=False)
        return value

    wrapper.cache_clear = entries.clear
    return wrapper


def per_view(fn, max_entries: int = 256):
    """``per_store`` for what is made of one view; emptied by ``clear_views``."""
    wrapper = per_store(fn, max_entries)
    _VIEW_CACHES.append(wrapper)
    return wrapper


def clear_views() -> None:
    """Forget every view drawn (``per_view``), keeping the statistics (``per_store``)."""
    for cached in _VIEW_CACHES:
        cached.cache_clear()
