# A short script that touches the standard library, run by scripts/cpython.sh on every tier.
# expected.txt is what CPython prints natively (python3 check.py > expected.txt).
import json, hashlib, zlib, re, sqlite3, os
data = {"name": "wedge", "n": [1, 2, 3], "pi": 3.14159}
s = json.dumps(data, sort_keys=True)
assert json.loads(s) == data
print("json", s)
print("sha256", hashlib.sha256(s.encode()).hexdigest())
z = zlib.compress(s.encode() * 10)
assert zlib.decompress(z) == s.encode() * 10
print("zlib", len(z), zlib.crc32(z))
print("re", re.findall(r"\d+", "a1b22c333"))
db = sqlite3.connect(":memory:")
db.execute("create table t (k integer primary key, v text)")
db.executemany("insert into t (v) values (?)", [(str(i * i),) for i in range(100)])
print("sqlite", db.execute("select count(*), sum(length(v)) from t").fetchone())
with open("scratch.txt", "w") as f:
    f.write("hello from python\n" * 3)
with open("scratch.txt") as f:
    print("file", f.read().count("hello"))
os.remove("scratch.txt")
print("sum", sum(i * i for i in range(100000)))
