#!/usr/bin/env python3
"""Give every exported function of the library its trace line (see src/trace.rs).

Each `pub [unsafe] extern "C" fn NAME(args) [-> R] {` in the given Rust files or directories gets
`let _t = crate::trace_call!("NAME", arg, ...);` as the first statement of its body (the `ws2_`
prefix of names that glibc also defines is dropped, so the trace shows the Windows name). A body
that does not go through the boundary (`ffi::ws`/`win`/`code`, which record the result) is
wrapped as `crate::trace::ret(|| { body })`, so its return value is shown too. Running
it again changes nothing. With --check nothing is written: it lists the exports that lack the line
and exits 1 if there are any (c-tests/scripts/trace.sh runs it over src/ so a new export cannot
go untraced).

    python3 scripts/trace-shims.py [--check] PATH...
"""
import os
import re
import sys

SIG = re.compile(r'pub (?:unsafe )?extern "C(?:-unwind)?" fn (\w+)\s*\(')
MARK = "crate::trace_call!("


def split_params(text):
    """Split a parameter list at top-level commas."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch in "(<[":
            depth += 1
        elif ch in ")>]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


def body_end(src, brace):
    """Index of the `}` closing the block opened at `brace` (skips strings, chars, comments)."""
    i, depth, n = brace, 0, len(src)
    while i < n:
        c = src[i]
        if c == "/" and src.startswith("//", i):
            i = src.index("\n", i)
            continue
        if c == '"':
            i += 1
            while src[i] != '"':
                i += 2 if src[i] == "\\" else 1
        elif c == "'" and re.match(r"'(\\.|[^\\'])'", src[i:i + 4]):
            i = src.index("'", i + 1)
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError("unbalanced braces")


TRACED = re.compile(r"\s*\{?\s*(?://[^\n]*\n\s*)*let _t =\s*crate::trace_call!\((?:[^;]*)\);")


def process(path, check):
    src = open(path).read()
    missing = []
    pos = 0
    while True:
        m = SIG.search(src, pos)
        if not m:
            break
        name = m.group(1)
        i, depth = m.end(), 1
        while depth:
            c = src[i]
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
            i += 1
        params = src[m.end():i - 1]
        brace = src.index("{", i)
        ret_ty = src[i:brace]
        end = body_end(src, brace)
        body = src[brace + 1:end]
        pos = brace + 1
        t = TRACED.match(body)
        needs_line = t is None
        wrap = (not re.search(r"ffi::(ws|win|code)\(", body) and "crate::trace::ret(" not in body
                and not re.search(r"->\s*!", ret_ty))
        if not (needs_line or wrap):
            continue
        missing.append(name)
        if check:
            continue
        if needs_line:
            args = []
            for p in split_params(params):
                n = p.split(":", 1)[0].strip()
                n = n[4:].strip() if n.startswith("mut ") else n
                if n != "_":
                    args.append(n)
            shown = name[4:] if name.startswith("ws2_") else name
            line = "\n    let _t = %s%s);" % (MARK, ", ".join(['"%s"' % shown] + args))
        else:
            line = t.group(0)
            body = body[t.end():]
        if wrap:
            body = "\n    crate::trace::ret(|| {%s})\n" % body
        new = line + body
        src = src[:brace + 1] + new + src[end:]
    if not check and missing:
        open(path, "w").write(src)
    return missing


def main():
    args = sys.argv[1:]
    check = "--check" in args
    paths = [a for a in args if a != "--check"]
    files = []
    for p in paths:
        if os.path.isdir(p):
            for root, _, names in os.walk(p):
                files += [os.path.join(root, n) for n in sorted(names) if n.endswith(".rs")]
        else:
            files.append(p)
    total = []
    for f in sorted(files):
        for name in process(f, check):
            total.append("%s: %s" % (f, name))
    if check:
        for t in total:
            print("untraced export: " + t)
        sys.exit(1 if total else 0)
    print("trace-shims: %d exports given a trace line" % len(total))


if __name__ == "__main__":
    main()
