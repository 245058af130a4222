"""The call store: SQLAlchemy tables, migrations, sign-in, role-enforced access, retention.

Open it with :func:`open_store` (SQLite under ``$COACHING_DATA_DIR`` by
default, any SQLAlchemy URL via ``$COACHING_DB_URL``). Batch runs, the app,
the demo and ``coaching import`` analyse and store through :mod:`.ingest`, with
the one "already stored" rule of :mod:`.identity`; the app reads only through
:mod:`.access`, :mod:`.review` and :mod:`.admin`, which enforce roles.
"""

from coaching.store.calls import (
    StoredCall,
    find_by_hash,
    package_version,
    record_failure,
    save_report,
)
from coaching.store.db import Store, data_dir, database_url, managed_audio_dir, open_store
from coaching.store.identity import settings_hash

__all__ = [
    "Store",
    "StoredCall",
    "data_dir",
    "database_url",
    "find_by_hash",
    "managed_audio_dir",
    "open_store",
    "package_version",
    "record_failure",
    "save_report",
    "settings_hash",
]
