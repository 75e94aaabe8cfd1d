#!/usr/bin/env bash
# No libc interposition, seen from an ordinary Linux program: python3 doing TCP and UDP round
# trips over loopback, name lookups and select() must behave exactly the same with
# libws2_32.so in LD_PRELOAD as without it. The library exports no name glibc defines, so
# preloading it must change nothing.
#
# Environment (set by c-tests/CMakeLists.txt): WS2_LIB_DIR (holds libws2_32.so), WS2_WORK_DIR.
set -euo pipefail

LIB="${WS2_LIB_DIR:?WS2_LIB_DIR not set}/libws2_32.so"
WORK="${WS2_WORK_DIR:-$(mktemp -d)}"
mkdir -p "$WORK"
[ -f "$LIB" ] || { echo "preload-python: $LIB not found" >&2; exit 1; }

# Run the interpreter itself, not a wrapper script (pyenv shims, for instance), so the preload
# reaches the process under test and nothing else.
PY="$(python3 -c 'import sys; print(sys.executable)')"

cat >"$WORK/roundtrip.py" <<'EOF'
import errno, select, socket, sys, threading

out = []
def log(*a):
    out.append(" ".join(str(x) for x in a))

# TCP: a server thread echoes the message reversed, the client checks it.
msg = bytes((i * 7 + 3) & 0xff for i in range(100000))
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(4)
port = srv.getsockname()[1]
log("tcp listen", srv.getsockname()[0], srv.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR) != 0,
    srv.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE) == socket.SOCK_STREAM)

def serve():
    c, peer = srv.accept()
    data = b""
    while len(data) < len(msg):
        chunk = c.recv(65536)
        if not chunk:
            break
        data += chunk
    c.sendall(data[::-1])
    c.shutdown(socket.SHUT_WR)
    c.close()

t = threading.Thread(target=serve)
t.start()
cl = socket.create_connection(("127.0.0.1", port), timeout=10)
cl.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
log("tcp peer", cl.getpeername() == ("127.0.0.1", port), "nodelay",
    cl.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0)
cl.sendall(msg)
reply = b""
while True:
    chunk = cl.recv(65536)
    if not chunk:
        break
    reply += chunk
t.join()
cl.close()
log("tcp roundtrip", len(reply), reply == msg[::-1])

# A refused connection reports ECONNREFUSED.
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0))
dead = s.getsockname()[1]
s.close()
try:
    socket.create_connection(("127.0.0.1", dead), timeout=5).close()
    log("refused: connected?!")
except OSError as e:
    log("refused", errno.errorcode.get(e.errno, e.errno))

# UDP round trip with select() deciding readability.
u1 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u2 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u1.bind(("127.0.0.1", 0))
u2.bind(("127.0.0.1", 0))
r, w, x = select.select([u1], [u2], [], 0)
log("select before", len(r), len(w), len(x))
u2.sendto(b"ping over udp", u1.getsockname())
r, w, x = select.select([u1], [], [], 5)
log("select after", len(r), r == [u1])
data, addr = u1.recvfrom(2048)
log("udp recvfrom", data, addr == u2.getsockname())
u1.sendto(data.upper(), addr)
data, addr = u2.recvfrom(2048)
log("udp reply", data, addr == u1.getsockname())
u2.settimeout(0.05)
try:
    u2.recvfrom(16)
    log("udp timeout: got data?!")
except socket.timeout:
    log("udp timeout ok")
u1.close()
u2.close()

# poll() too.
p = select.poll()
a, b = socket.socketpair()
p.register(a, select.POLLIN)
log("poll empty", p.poll(0))
b.send(b"x")
log("poll ready", [(fd == a.fileno(), ev & select.POLLIN != 0) for fd, ev in p.poll(1000)])
a.close()
b.close()

# Names: getaddrinfo, getnameinfo, gethostbyname, gethostname, inet_pton/ntop.
ai = socket.getaddrinfo("localhost", 80)
log("getaddrinfo localhost", sorted({(int(f), int(t), int(pr), sa[:2]) for f, t, pr, _, sa in ai}))
log("getaddrinfo numeric", socket.getaddrinfo("127.0.0.1", 80, socket.AF_INET, socket.SOCK_STREAM))
log("getnameinfo", socket.getnameinfo(("127.0.0.1", 80), socket.NI_NUMERICHOST | socket.NI_NUMERICSERV))
log("gethostbyname", socket.gethostbyname("127.0.0.1"))
log("gethostname", socket.gethostname())
log("inet_pton", socket.inet_pton(socket.AF_INET6, "fe80::1:2").hex(),
    socket.inet_ntop(socket.AF_INET6, bytes(15) + b"\x01"))
log("inet_aton", socket.inet_aton("10.1.2.3").hex(), socket.inet_ntoa(b"\x7f\x00\x00\x01"))
log("htons", socket.htons(0x1234), socket.ntohl(0x01020304))

sys.stdout.write("\n".join(out) + "\n")
# Whether the library is really mapped into this process (checked by the script, not compared).
with open(sys.argv[1], "w") as f:
    f.write("mapped\n" if "libws2_32.so" in open("/proc/self/maps").read() else "absent\n")
EOF

run() { # run NAME [env...]: run the program, keep its transcript and exit status
    local name="$1" rc=0
    shift
    env "$@" timeout 30 "$PY" "$WORK/roundtrip.py" "$WORK/$name.mapped" \
        >"$WORK/$name.out" 2>"$WORK/$name.err" || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "preload-python: the $name run exited with status $rc" >&2
        cat "$WORK/$name.err" >&2
        exit 1
    fi
}

run plain
run preload "LD_PRELOAD=$LIB"

echo "--- transcript without the preload:"
cat "$WORK/plain.out"
if [ "$(cat "$WORK/plain.mapped")" != "absent" ] || [ "$(cat "$WORK/preload.mapped")" != "mapped" ]; then
    echo "preload-python: the preload did not take effect (plain: $(cat "$WORK/plain.mapped"), " \
         "preload: $(cat "$WORK/preload.mapped"))" >&2
    exit 1
fi
if ! diff -u "$WORK/plain.out" "$WORK/preload.out"; then
    echo "preload-python: FAILED: python3 behaves differently with LD_PRELOAD=$LIB" >&2
    exit 1
fi
if ! diff -u "$WORK/plain.err" "$WORK/preload.err" >&2; then
    echo "preload-python: FAILED: python3 writes different diagnostics with LD_PRELOAD=$LIB" >&2
    exit 1
fi
echo "preload-python: ok (identical transcripts with and without LD_PRELOAD=$LIB)"
