#!/usr/bin/env bash
# Signature check: every function the headers declare has, in the Rust export that implements
# it, the same number of parameters and the same size for each parameter and for the return
# value. The header side is measured by the C compiler (sizeof of each declared parameter
# type); the Rust side is read from the `extern "C" fn` definitions in src/. Complements
# exports-check.sh, which compares the names.
#
# Environment: WS2_SOURCE_DIR (repository root), WS2_WORK_DIR (scratch), CC.
set -eu
src="${WS2_SOURCE_DIR:?}"
work="${WS2_WORK_DIR:-$(mktemp -d)}"
cc="${CC:-cc}"
mkdir -p "$work"
export WS2_SRC="$src" WS2_WORK="$work" WS2_CC="$cc"
exec python3 - <<'PY'
import os, re, subprocess, sys, glob

src, work, cc = os.environ["WS2_SRC"], os.environ["WS2_WORK"], os.environ["WS2_CC"]
headers = ["winsock2.h", "ws2tcpip.h", "mswsock.h", "mstcpip.h", "ws2def.h", "ws2ipdef.h", "winsock.h", "windows.h", "strsafe.h", "tchar.h"]
inc = "".join(f"#include <{h}>\n" for h in headers)
with open(f"{work}/sig-headers.c", "w") as f:
    f.write(inc)
pre = subprocess.run([cc, "-E", "-P", "-DWINSOCK_API_LINKAGE=WS2_EXPORT_MARK_", "-DWINBASEAPI=WS2_EXPORT_MARK_",
                      "-I", f"{src}/include", f"{work}/sig-headers.c"], check=True, capture_output=True, text=True).stdout

# Header prototypes: "WS2_EXPORT_MARK_ <ret> <name>(<params>) [__asm__("link")];"
decls = {}
for line in pre.splitlines():
    if "WS2_EXPORT_MARK_" not in line:
        continue
    asm = re.search(r'__asm__\("(\w+)"\)', line)
    link = asm.group(1) if asm else None
    line = re.sub(r'__asm__\("\w+"\)', "", line)
    line = re.sub(r'__attribute__\s*\(\(.*?\)\)', "", line)
    m = re.search(r'WS2_EXPORT_MARK_\s+(.*?)\b(\w+)\s*\((.*)\)\s*;', line)
    if not m:
        sys.exit(f"signature-check: cannot parse prototype: {line}")
    ret, name, params = m.groups()
    params = params.strip()
    plist = [] if params in ("", "void") else [p.strip() for p in params.split(",")]
    types = []
    for p in plist:
        # Drop the parameter name (the last identifier), keep the type.
        t = re.sub(r'\b\w+\s*(\[\s*\])?$', lambda mm: "*" if mm.group(1) else "", p).strip()
        if not t or t in ("const", "struct"):
            t = p
        types.append(t)
    decls[link or name] = (name, ret.strip(), types)

# Measure the header types with the compiler.
prog = [inc, "#include <stdio.h>", "int main(void) {"]
for link, (name, ret, types) in sorted(decls.items()):
    r = "0" if ret == "void" else f"sizeof({ret})"
    prog.append(f'    printf("%s ret %d\\n", "{link}", (int){r});')
    for i, t in enumerate(types):
        prog.append(f'    printf("%s %d %d\\n", "{link}", {i}, (int)sizeof({t}));')
prog.append("    return 0;\n}")
with open(f"{work}/sig-sizes.c", "w") as f:
    f.write("\n".join(prog) + "\n")
r = subprocess.run([cc, "-w", "-I", f"{src}/include", f"{work}/sig-sizes.c", "-o", f"{work}/sig-sizes"],
                   capture_output=True, text=True)
if r.returncode:
    sys.exit("signature-check: measuring the header types failed:\n" + r.stderr[:3000])
hsize = {}
for line in subprocess.run([f"{work}/sig-sizes"], check=True, capture_output=True, text=True).stdout.splitlines():
    link, idx, size = line.split()
    hsize.setdefault(link, {})[idx] = int(size)

# Rust exports.
def rsize(t):
    t = t.strip()
    if t.startswith("*") or t.startswith("&") or t.startswith("Option<"):
        return 8
    t = t.split("::")[-1]
    sizes = {"i8": 1, "u8": 1, "c_char": 1, "i16": 2, "u16": 2, "i32": 4, "u32": 4, "c_int": 4, "c_uint": 4,
             "i64": 8, "u64": 8, "usize": 8, "isize": 8, "SOCKET": 8, "()": 0,
             "InAddr": 4}
    if t not in sizes:
        sys.exit(f"signature-check: unknown Rust type {t!r}")
    return sizes[t]

rust = {}
for path in glob.glob(f"{src}/src/**/*.rs", recursive=True):
    text = open(path).read()
    for m in re.finditer(r'#\[no_mangle\]\s*pub\s+(?:unsafe\s+)?extern\s+"C(?:-unwind)?"\s+fn\s+(\w+)\s*\((.*?)\)\s*(?:->\s*([^{]+?))?\s*\{', text, re.S):
        name, params, ret = m.groups()
        params = re.sub(r"\s+", " ", params).strip().rstrip(",")
        plist = [] if not params else [p.split(":", 1)[1] for p in params.split(",") if ":" in p]
        rust[name] = (rsize(ret) if ret else 0, [rsize(p) for p in plist], path)

bad = 0
checked = 0
for link, (name, ret, types) in sorted(decls.items()):
    if link not in rust:
        print(f"MISSING in Rust: {link} (declared as {name})")
        bad += 1
        continue
    rret, rparams, path = rust[link]
    h = hsize[link]
    if len(rparams) != len(types):
        print(f"{link}: header has {len(types)} parameters, {os.path.relpath(path, src)} has {len(rparams)}")
        bad += 1
        continue
    if h["ret"] != rret:
        print(f"{link}: return size header {h['ret']} vs Rust {rret}")
        bad += 1
    for i, rs in enumerate(rparams):
        if h[str(i)] != rs:
            print(f"{link}: parameter {i} ({types[i]}) size header {h[str(i)]} vs Rust {rs}")
            bad += 1
    checked += 1
if bad:
    sys.exit(f"signature-check: {bad} mismatches")
print(f"signature-check: {checked} functions agree in parameter count and sizes")
PY
