"""Results of slow statistics, remembered per version of the store.

``analysis.change`` runs a noise test per value and ``analysis.describe`` a good deal more; for a
76-year series that is too slow to repeat on every click. ``per_store`` remembers a function's
results for a given store file version (inode, modification time, size) and arguments, so a
rebuilt or newly ingested store is never answered from an old one.
"""
from __future__ import annotations

import functools
import threading
from collections import OrderedDict

MAX_ENTRIES = 512


def store_version(store) -> tuple:
    """What identifies the contents of a store on disk: its file, inode, mtime and size."""
    try:
        st = store.file.stat()
    except FileNotFoundError:
        return (str(store.file), None)
    return (str(store.file), st.st_ino, st.st_mtime_ns, st.st_size)


def per_store(fn):
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
            while len(entries) > MAX_ENTRIES:
                entries.popitem(last=False)
        return value

    wrapper.cache_clear = entries.clear
    return wrapper
