"""Argon2id PHC strings made by an independent implementation (argon2-cffi, the Python binding
of the reference C implementation), for oncourse-store's password-verification test.

Run: python3 make_argon2_vectors.py > argon2_vectors.json
"""
import json

from importlib.metadata import version
from argon2.low_level import Type, hash_secret

# Fixed salts so the file is reproducible; parameters: argon2-cffi's defaults (RFC 9106 low-memory
# profile: m=64 MiB, t=3, p=4) and the Rust `argon2` crate's defaults (m=19 MiB, t=2, p=1).
cases = []
for password, salt, t, m, p in [
    ("correct horse battery staple", b"oncourse-salt-01", 3, 65536, 4),
    ("Pässwörd mit Umlaut", b"oncourse-salt-02", 2, 19456, 1),
]:
    phc = hash_secret(password.encode(), salt, time_cost=t, memory_cost=m, parallelism=p,
                      hash_len=32, type=Type.ID).decode()
    cases.append({"password": password, "phc": phc})

print(json.dumps({"tool": f"argon2-cffi {version('argon2-cffi')}", "cases": cases}, indent=2,
                 ensure_ascii=False))
