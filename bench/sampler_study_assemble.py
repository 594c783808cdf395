#!/usr/bin/env python3
"""How docs/validation.md's 2 000-shower sampler study was assembled from split runs (2026-12-08): the
samples of ref.h5 rows 0..499 (--seed 7), 500..999 (--seed 8) and 1000..1999 (--seed 8 from a 1 500-row run, or
--seed 9) were written by `caloforge sample --energies-from <rows> ... --batch-size 100 --threads 1` into
gen-500-X.h5, gen-mid-X.h5 / gen-tail-X.h5 and gen-last-X.h5, then concatenated in energy order here (h5py).
bench/sampler_study.sh does the whole study in one go with one seed instead."""
import h5py, json, os, sys
names = ["ddpm-98","ddim-10","ddim-25","ddim-50","heun-9","heun-25","heun-49","dpmpp2m-10","dpmpp2m-25","dpmpp2m-50"]
def rows(path, n):
    with h5py.File(path) as f:
        return f["incident_energies"][:n], f["showers"][:n]
def write(path, e, s, attrs):
    with h5py.File(path, "w") as g:
        g.create_dataset("incident_energies", data=e, compression="gzip")
        g.create_dataset("showers", data=s, compression="gzip")
        for k, v in attrs.items(): g.attrs[k] = v
        g.attrs["events"] = str(len(e)).encode()
import numpy as np
with h5py.File("ref.h5") as f: attrs = dict(f.attrs)
for ref, out in [("ref.h5", "ref-1000.h5"), ("ref2.h5", "ref2-1000.h5")]:
    e, s = rows(ref, 1000); write(out, e, s, attrs)
for name in names:
    head = f"gen-500-{name}.h5"
    second = next((p for p in [f"gen-mid-{name}.h5", f"gen-tail-{name}.h5", f"gen-tail-{name}.h5.partial"] if os.path.exists(p)), None)
    if not os.path.exists(head) or second is None: print("missing", name); continue
    e1, s1 = rows(head, 500); e2, s2 = rows(second, 500)
    if len(e2) < 500: print("short", name, len(e2)); continue
    ref_e, _ = rows("ref.h5", 1000)
    assert np.allclose(np.concatenate([e1, e2]), ref_e), name
    write(f"gen-1000-{name}.h5", np.concatenate([e1, e2]), np.concatenate([s1, s2]), attrs)
    record = json.load(open(head + ".json")); record["count"] = "1000"; record["note"] = "rows 0..499 seed 7, rows 500..999 seed 8"
    json.dump(record, open(f"gen-1000-{name}.h5.json", "w"), indent=1)
    print("wrote", name, "from", second)

# step 2: 2 000 rows

import numpy as np
names = ["ddpm-98","ddim-10","ddim-25","ddim-50","heun-9","heun-25","heun-49","dpmpp2m-10","dpmpp2m-25","dpmpp2m-50"]
def read(path, lo, hi):
    with h5py.File(path) as f:
        return f["incident_energies"][lo:hi], f["showers"][lo:hi]
with h5py.File("ref.h5") as f:
    attrs = dict(f.attrs); ref_e = f["incident_energies"][:2000]
def write(path, e, s):
    with h5py.File(path, "w") as g:
        g.create_dataset("incident_energies", data=e, compression="gzip")
        g.create_dataset("showers", data=s, compression="gzip")
        for k, v in attrs.items(): g.attrs[k] = v
        g.attrs["events"] = str(len(e)).encode()
for ref, out in [("ref.h5", "ref-2000.h5"), ("ref2.h5", "ref2-2000.h5")]:
    e, s = read(ref, 0, 2000); write(out, e, s)
for name in names:
    e1, s1 = read(f"gen-1000-{name}.h5", 0, 1000)
    if os.path.exists(f"gen-last-{name}.h5"):
        e2, s2 = read(f"gen-last-{name}.h5", 0, 1000); src = "last (seed 9)"
    elif os.path.exists(f"gen-tail-{name}.h5"):
        e2, s2 = read(f"gen-tail-{name}.h5", 500, 1500); src = "tail (seed 8)"
    else:
        print("missing", name); continue
    e = np.concatenate([e1, e2]); s = np.concatenate([s1, s2])
    assert len(e) == 2000 and np.allclose(e, ref_e), name
    write(f"gen-2000-{name}.h5", e, s)
    record = json.load(open(f"gen-500-{name}.h5.json")); record["count"] = "2000"
    json.dump(record, open(f"gen-2000-{name}.h5.json", "w"), indent=1)
    print("wrote", name, "rows 1000..1999 from", src)
