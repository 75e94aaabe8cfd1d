/* WSAIoctl: FIONBIO, FIONREAD, SIOCATMARK, SIO_KEEPALIVE_VALS, SIO_BASE_HANDLE and the
 * SIO_BSP_HANDLE codes, SIO_ADDRESS_LIST_QUERY, SIO_GET_INTERFACE_LIST,
 * SIO_ROUTING_INTERFACE_QUERY, SIO_UDP_CONNRESET, SIO_UDP_NETRESET, SIO_LOOPBACK_FAST_PATH,
 * SIO_GET_EXTENSION_FUNCTION_POINTER with an unknown GUID, unknown codes, NULL
 * lpcbBytesReturned, short buffers, and overlapped calls that complete at once (the call
 * returns 0 and the completion is still reported: event set, or routine run in an alertable
 * wait, with a byte count of 0 while lpcbBytesReturned gets the real count), as Wine's
 * ws2_32 tests record Windows' behaviour.
 *
 * Where Wine 8 differs from Windows the Wine build accepts Wine's result too (WIN_OR_WINE);
 * the native build asserts Windows' value. The extension GUIDs that name functions are
 * checked in test_wsaioctl_extensions.c. */
#include "testutil.h"
#include <mswsock.h>
#include <mstcpip.h>

#ifndef SIO_UDP_NETRESET
#define SIO_UDP_NETRESET _WSAIOW(IOC_VENDOR, 15)
#endif
#ifndef SIO_LOOPBACK_FAST_PATH
#define SIO_LOOPBACK_FAST_PATH _WSAIOW(IOC_VENDOR, 16)
#endif

#define T_STATUS_NOT_SUPPORTED 0xC00000BBu

/* Windows' result, or (Wine build only) what Wine 8 gives instead. */
#define WIN_OR_WINE(win, wine) ((win) || (tu_on_wine() && (wine)))

static DWORD apc_error, apc_size, apc_flags;
static OVERLAPPED *apc_ov;
static int apc_count;

static void CALLBACK routine(DWORD error, DWORD size, LPWSAOVERLAPPED ov, DWORD flags)
{
    apc_count++;
    apc_error = error;
    apc_size = size;
    apc_ov = ov;
    apc_flags = flags;
}

/* Run queued completion routines; returns SleepEx's result. */
static DWORD run_routines(void)
{
    return SleepEx(0, TRUE);
}

static SOCKET tcp_socket(void)
{
    SOCKET s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    ok(s != INVALID_SOCKET, "socket: error %d", WSAGetLastError());
    return s;
}

static SOCKET udp_socket(int af)
{
    SOCKET s = WSASocketW(af, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    ok(s != INVALID_SOCKET, "udp socket: error %d", WSAGetLastError());
    return s;
}

/* ---- common rules ---- */

static void test_common(void)
{
    SOCKET s = tcp_socket();
    OVERLAPPED ov;
    u_long one = 1;
    DWORD size;
    int r;

    /* Not a socket. */
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl((SOCKET)0x4321, FIONBIO, &one, sizeof(one), NULL, 0, &size, NULL, NULL),
                SOCKET_ERROR, WSAENOTSOCK);
    ok(size == 0xdeadbeef, "bad socket: size %lu", (unsigned long)size);

    /* NULL lpcbBytesReturned: WSAEFAULT, overlapped or not, known code or not. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl(s, FIONBIO, &one, sizeof(one), NULL, 0, NULL, NULL, NULL), SOCKET_ERROR,
                WSAEFAULT);
    init_ov(&ov, NULL);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl(s, FIONBIO, &one, sizeof(one), NULL, 0, NULL, &ov, NULL), SOCKET_ERROR,
                WSAEFAULT);
    ok(ov.Internal == 0xdeadbeef, "NULL count overlapped: Internal %#lx",
       (unsigned long)ov.Internal);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl(s, 0xdeadbeef, NULL, 0, NULL, 0, NULL, &ov, NULL), SOCKET_ERROR,
                WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl(s, 0xdeadbeef, NULL, 0, NULL, 0, NULL, NULL, NULL), SOCKET_ERROR,
                WSAEFAULT);

    /* Unknown codes: WSAEOPNOTSUPP with 0 bytes. */
    {
        static const DWORD codes[] = {0xdeadbeef, FIOASYNC, 0x667e, SIO_FLUSH};
        unsigned i;
        for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
            size = 0xdeadbeef;
            WSASetLastError(0xdeadbeef);
            r = WSAIoctl(s, codes[i], NULL, 0, NULL, 0, &size, NULL, NULL);
            ok(r == SOCKET_ERROR && WSAGetLastError() == WSAEOPNOTSUPP,
               "code %#lx: r %d err %d", (unsigned long)codes[i], r, WSAGetLastError());
            ok(size == 0, "code %#lx: size %lu", (unsigned long)codes[i], (unsigned long)size);
        }
    }
    closesocket(s);
}

/* An unknown code, overlapped: pending, then completed with STATUS_NOT_SUPPORTED (the
 * routine reads WSAEOPNOTSUPP); the count is left alone. */
static void test_unknown_overlapped(void)
{
    SOCKET s = tcp_socket();
    WSAEVENT ev = WSACreateEvent();
    OVERLAPPED ov;
    DWORD size, n, fl;
    int r;

    init_ov(&ov, ev);
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    r = WSAIoctl(s, 0xdeadbeef, NULL, 0, NULL, 0, &size, &ov, NULL);
    ok(r == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "unknown ov: r %d err %d", r,
       WSAGetLastError());
    ok(size == 0xdeadbeef, "unknown ov: size %lu", (unsigned long)size);
    ok(ov_status(&ov) == T_STATUS_NOT_SUPPORTED, "unknown ov: status %#lx",
       (unsigned long)ov_status(&ov));
    ok(ov.InternalHigh == 0, "unknown ov: InternalHigh %lu", (unsigned long)ov.InternalHigh);
    /* Wine 8 leaves the event unset. */
    ok(WIN_OR_WINE(WaitForSingleObject(ev, 1000) == WAIT_OBJECT_0, 1), "unknown ov: event not set");
    n = fl = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    r = WSAGetOverlappedResult(s, &ov, &n, FALSE, &fl);
    ok(WIN_OR_WINE(!r && WSAGetLastError() == WSAEOPNOTSUPP, 1),
       "unknown ov: result r %d err %d", r, WSAGetLastError());

    apc_count = 0;
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    r = WSAIoctl(s, 0xdeadbeef, NULL, 0, NULL, 0, &size, &ov, routine);
    ok(r == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "unknown routine: r %d err %d",
       r, WSAGetLastError());
    ok(size == 0xdeadbeef, "unknown routine: size %lu", (unsigned long)size);
    ok(run_routines() == WAIT_IO_COMPLETION, "unknown routine: no routine ran");
    ok(apc_count == 1 && apc_error == WSAEOPNOTSUPP && apc_size == 0 && apc_ov == &ov,
       "unknown routine: count %d error %lu size %lu", apc_count, (unsigned long)apc_error,
       (unsigned long)apc_size);
    WSACloseEvent(ev);
    closesocket(s);
}

/* ---- FIONBIO, FIONREAD, SIOCATMARK ---- */

static void test_fionbio(void)
{
    SOCKET c, s;
    u_long one = 1, zero = 0;
    char buf[4];
    DWORD size;
    int r;

    if (tu_tcp_pair(&c, &s)) {
        ok(0, "tcp pair failed");
        return;
    }
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl(s, FIONBIO, &one, sizeof(one) - 1, NULL, 0, &size, NULL, NULL),
                SOCKET_ERROR, WSAEFAULT);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl(s, FIONBIO, NULL, sizeof(one), NULL, 0, &size, NULL, NULL),
                SOCKET_ERROR, WSAEFAULT);

    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    r = WSAIoctl(s, FIONBIO, &one, sizeof(one), NULL, 0, &size, NULL, NULL);
    ok(r == 0 && WSAGetLastError() == 0, "FIONBIO on: r %d err %d", r, WSAGetLastError());
    ok(size == 0, "FIONBIO: size %lu", (unsigned long)size);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(recv(s, buf, sizeof(buf), 0), SOCKET_ERROR, WSAEWOULDBLOCK);
    /* A longer input is accepted. */
    r = WSAIoctl(s, FIONBIO, &zero, sizeof(zero) + 1, NULL, 0, &size, NULL, NULL);
    ok(r == 0, "FIONBIO off: r %d err %d", r, WSAGetLastError());
    closesocket(c);
    closesocket(s);
}

static void test_fionread_siocatmark(void)
{
    SOCKET c, s;
    int value;
    DWORD size;
    int r;

    if (tu_tcp_pair(&c, &s)) {
        ok(0, "tcp pair failed");
        return;
    }
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl(s, FIONREAD, NULL, 0, &value, sizeof(value) - 1, &size, NULL, NULL),
                SOCKET_ERROR, WSAEFAULT);
    ok(size == 0xdeadbeef, "FIONREAD short: size %lu", (unsigned long)size);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl(s, FIONREAD, NULL, 0, NULL, sizeof(value), &size, NULL, NULL),
                SOCKET_ERROR, WSAEFAULT);
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl(s, SIOCATMARK, NULL, 0, &value, sizeof(value) - 1, &size, NULL, NULL),
                SOCKET_ERROR, WSAEFAULT);
    ok(size == 0xdeadbeef, "SIOCATMARK short: size %lu", (unsigned long)size);

    value = 0xdead;
    size = 0xdeadbeef;
    r = WSAIoctl(s, FIONREAD, NULL, 0, &value, sizeof(value), &size, NULL, NULL);
    ok(r == 0 && value == 0 && size == sizeof(value), "FIONREAD empty: r %d value %d size %lu", r,
       value, (unsigned long)size);

    ok(send(c, "data", 5, 0) == 5, "send: error %d", WSAGetLastError());
    ok(tu_wait_for(s, 'r', 2000) == 1, "not readable");
    value = 0xdead;
    r = WSAIoctl(s, FIONREAD, NULL, 0, &value, sizeof(value), &size, NULL, NULL);
    ok(r == 0 && value == 5, "FIONREAD: r %d value %d", r, value);

    value = 0xdead;
    size = 0xdeadbeef;
    r = WSAIoctl(s, SIOCATMARK, NULL, 0, &value, sizeof(value), &size, NULL, NULL);
    ok(r == 0 && value == TRUE && size == sizeof(value), "SIOCATMARK: r %d value %d size %lu", r,
       value, (unsigned long)size);
    closesocket(c);
    closesocket(s);
}

/* ---- overlapped calls that complete at once ---- */

static void test_overlapped_event(void)
{
    SOCKET s = tcp_socket();
    WSAEVENT ev = WSACreateEvent();
    OVERLAPPED ov;
    int value = 0xdead;
    DWORD size, n, fl;
    int r;

    init_ov(&ov, ev);
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    r = WSAIoctl(s, FIONREAD, NULL, 0, &value, sizeof(value), &size, &ov, NULL);
    ok(r == 0 && WSAGetLastError() == 0, "FIONREAD ov: r %d err %d", r, WSAGetLastError());
    ok(value == 0 && size == sizeof(value), "FIONREAD ov: value %d size %lu", value,
       (unsigned long)size);
    ok(ov_status(&ov) == T_STATUS_SUCCESS && ov.InternalHigh == 0,
       "FIONREAD ov: status %#lx InternalHigh %lu", (unsigned long)ov_status(&ov),
       (unsigned long)ov.InternalHigh);
    ok(WaitForSingleObject(ev, 1000) == WAIT_OBJECT_0, "FIONREAD ov: event not set");
    n = fl = 0xdeadbeef;
    r = WSAGetOverlappedResult(s, &ov, &n, FALSE, &fl);
    /* Wine 8 leaves the count alone. */
    ok(r && WIN_OR_WINE(n == 0, n == 0xdeadbeef), "FIONREAD ov: result r %d n %lu err %d", r,
       (unsigned long)n, WSAGetLastError());

    /* SIO_KEEPALIVE_VALS overlapped: Windows leaves the count alone (Wine writes 0). */
    {
        struct tcp_keepalive ka = {1, 2000, 1000};
        WSAResetEvent(ev);
        init_ov(&ov, ev);
        size = 0xdeadbeef;
        r = WSAIoctl(s, SIO_KEEPALIVE_VALS, &ka, sizeof(ka), NULL, 0, &size, &ov, NULL);
        ok(r == 0, "keepalive ov: r %d err %d", r, WSAGetLastError());
        ok(WIN_OR_WINE(size == 0xdeadbeef, size == 0), "keepalive ov: size %lu",
           (unsigned long)size);
        ok(WaitForSingleObject(ev, 1000) == WAIT_OBJECT_0, "keepalive ov: event not set");
        ok(ov_status(&ov) == T_STATUS_SUCCESS && ov.InternalHigh == 0,
           "keepalive ov: status %#lx", (unsigned long)ov_status(&ov));
        /* Too short, overlapped: fails at once, count untouched. */
        init_ov(&ov, ev);
        size = 0xdeadbeef;
        WSASetLastError(0xdeadbeef);
        ok_wsa_fail(WSAIoctl(s, SIO_KEEPALIVE_VALS, &ka, sizeof(ka) - 1, NULL, 0, &size, &ov, NULL),
                    SOCKET_ERROR, WSAEFAULT);
        ok(size == 0xdeadbeef, "keepalive short ov: size %lu", (unsigned long)size);
        ok(ov.InternalHigh == 0xdeadbeef, "keepalive short ov: InternalHigh changed");
    }
    WSACloseEvent(ev);
    closesocket(s);
}

static void test_overlapped_routine(void)
{
    SOCKET s = tcp_socket();
    OVERLAPPED ov;
    int value = 0xdead;
    u_long one = 1;
    DWORD size;
    int r;

    /* NULL count with a routine: WSAEFAULT, nothing queued. */
    init_ov(&ov, NULL);
    apc_count = 0;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl(s, FIONREAD, NULL, 0, &value, sizeof(value), NULL, &ov, routine),
                SOCKET_ERROR, WSAEFAULT);
    ok(run_routines() == 0 && apc_count == 0, "NULL count: a routine ran");

    size = 0xdeadbeef;
    r = WSAIoctl(s, FIONREAD, NULL, 0, &value, sizeof(value), &size, &ov, routine);
    ok(r == 0 && size == sizeof(value), "FIONREAD routine: r %d size %lu", r, (unsigned long)size);
    ok(apc_count == 0, "routine ran before an alertable wait");
    ok(run_routines() == WAIT_IO_COMPLETION, "FIONREAD routine: no routine ran");
    ok(apc_count == 1 && apc_error == 0 && apc_size == 0 && apc_ov == &ov && apc_flags == 0,
       "FIONREAD routine: count %d error %lu size %lu flags %lu", apc_count,
       (unsigned long)apc_error, (unsigned long)apc_size, (unsigned long)apc_flags);

    apc_count = 0;
    size = 0xdeadbeef;
    r = WSAIoctl(s, FIONBIO, &one, sizeof(one), NULL, 0, &size, &ov, routine);
    ok(r == 0 && size == 0, "FIONBIO routine: r %d size %lu", r, (unsigned long)size);
    ok(run_routines() == WAIT_IO_COMPLETION && apc_count == 1 && apc_error == 0 && apc_size == 0,
       "FIONBIO routine: count %d error %lu", apc_count, (unsigned long)apc_error);
    closesocket(s);
}

/* ---- SIO_KEEPALIVE_VALS ---- */

static void test_keepalive(void)
{
    SOCKET s = tcp_socket(), u = udp_socket(AF_INET);
    struct tcp_keepalive ka = {0, 0, 0};
    DWORD size;
    int on, len;

    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl(s, SIO_KEEPALIVE_VALS, &ka, 0, NULL, 0, &size, NULL, NULL), SOCKET_ERROR,
                WSAEFAULT);
    ok(size == 0, "keepalive empty: size %lu", (unsigned long)size);
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl(s, SIO_KEEPALIVE_VALS, NULL, sizeof(ka), NULL, 0, &size, NULL, NULL),
                SOCKET_ERROR, WSAEFAULT);
    ok(size == 0, "keepalive NULL: size %lu", (unsigned long)size);

    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ok(WSAIoctl(s, SIO_KEEPALIVE_VALS, &ka, sizeof(ka), NULL, 0, &size, NULL, NULL) == 0,
       "keepalive off: err %d", WSAGetLastError());
    ok(WSAGetLastError() == 0 && size == 0, "keepalive off: err %d size %lu", WSAGetLastError(),
       (unsigned long)size);
    on = tu_get_int(s, SOL_SOCKET, SO_KEEPALIVE, 0x55, &len);
    ok(on == 0, "SO_KEEPALIVE after off: %d", on);

    ka.onoff = 1;
    ka.keepalivetime = 1500;
    ka.keepaliveinterval = 100;
    ok(WSAIoctl(s, SIO_KEEPALIVE_VALS, &ka, sizeof(ka), NULL, 0, &size, NULL, NULL) == 0,
       "keepalive on: err %d", WSAGetLastError());
    on = tu_get_int(s, SOL_SOCKET, SO_KEEPALIVE, 0x55, &len);
    ok(on != 0 && on != 0x55, "SO_KEEPALIVE after on: %d", on);
#ifdef TCP_KEEPIDLE
    /* Linux holds whole seconds: 1500 ms rounds up to 2, 100 ms to the minimum of 1. */
    if (!tu_on_wine()) {
        int idle = tu_get_int(s, IPPROTO_TCP, TCP_KEEPIDLE, -1, &len);
        int intvl = tu_get_int(s, IPPROTO_TCP, TCP_KEEPINTVL, -1, &len);
        ok(idle == 2 && intvl == 1, "keepalive seconds: idle %d interval %d", idle, intvl);
    }
#endif
    ka.keepalivetime = 10000;
    ka.keepaliveinterval = 10000;
    ok(WSAIoctl(s, SIO_KEEPALIVE_VALS, &ka, sizeof(ka), NULL, 0, &size, NULL, NULL) == 0,
       "keepalive 10 s: err %d", WSAGetLastError());

    /* Not a TCP socket. */
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl(u, SIO_KEEPALIVE_VALS, &ka, sizeof(ka), NULL, 0, &size, NULL, NULL),
                SOCKET_ERROR, WSAEINVAL);
    closesocket(s);
    closesocket(u);
}

/* ---- SIO_BASE_HANDLE, SIO_BSP_HANDLE* ---- */

static void test_base_handle(void)
{
    static const DWORD codes[] = {SIO_BASE_HANDLE, SIO_BSP_HANDLE, SIO_BSP_HANDLE_SELECT,
                                  SIO_BSP_HANDLE_POLL};
    SOCKET s = tcp_socket(), base;
    OVERLAPPED ov;
    DWORD size;
    unsigned i;
    int r;

    for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        base = (SOCKET)0xdeadbeef;
        size = 0xdeadbeef;
        WSASetLastError(0xdeadbeef);
        r = WSAIoctl(s, codes[i], NULL, 0, &base, sizeof(base), &size, NULL, NULL);
        /* Wine 8 knows only SIO_BASE_HANDLE. */
        if (tu_on_wine() && codes[i] != SIO_BASE_HANDLE && r == SOCKET_ERROR &&
            WSAGetLastError() == WSAEOPNOTSUPP)
            continue;
        ok(r == 0 && WSAGetLastError() == 0, "code %#lx: r %d err %d", (unsigned long)codes[i], r,
           WSAGetLastError());
        ok(base == s && size == sizeof(base), "code %#lx: base %#llx size %lu",
           (unsigned long)codes[i], (unsigned long long)base, (unsigned long)size);
        if (!tu_on_wine()) {
            /* Wine 8 does not check the output size. */
            WSASetLastError(0xdeadbeef);
            ok_wsa_fail(WSAIoctl(s, codes[i], NULL, 0, &base, sizeof(base) - 1, &size, NULL, NULL),
                        SOCKET_ERROR, WSAEFAULT);
            WSASetLastError(0xdeadbeef);
            ok_wsa_fail(WSAIoctl(s, codes[i], NULL, 0, NULL, sizeof(base), &size, NULL, NULL),
                        SOCKET_ERROR, WSAEFAULT);
        }
    }

    /* Overlapped SIO_BASE_HANDLE reaches the transport, which refuses it. */
    init_ov(&ov, NULL);
    base = (SOCKET)0xdeadbeef;
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    r = WSAIoctl(s, SIO_BASE_HANDLE, NULL, 0, &base, sizeof(base), &size, &ov, NULL);
    ok(r == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "base ov: r %d err %d", r,
       WSAGetLastError());
    ok(size == 0xdeadbeef && base == (SOCKET)0xdeadbeef, "base ov: size %lu",
       (unsigned long)size);
    ok(ov_status(&ov) == T_STATUS_NOT_SUPPORTED && ov.InternalHigh == 0,
       "base ov: status %#lx", (unsigned long)ov_status(&ov));

    apc_count = 0;
    r = WSAIoctl(s, SIO_BASE_HANDLE, NULL, 0, &base, sizeof(base), &size, &ov, routine);
    ok(r == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "base routine: r %d err %d", r,
       WSAGetLastError());
    ok(run_routines() == WAIT_IO_COMPLETION && apc_count == 1 && apc_error == WSAEOPNOTSUPP &&
           apc_size == 0,
       "base routine: count %d error %lu", apc_count, (unsigned long)apc_error);
    closesocket(s);
}

/* ---- SIO_GET_EXTENSION_FUNCTION_POINTER, failures ---- */

static void test_extension_errors(void)
{
    SOCKET s = tcp_socket();
    GUID bogus = {0xdeadbeef, 0, 0, {0, 0, 0, 0, 0, 0, 0, 0}};
    OVERLAPPED ov;
    void *func = NULL;
    DWORD size;

    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &bogus, sizeof(bogus), &func,
                         sizeof(func), &size, NULL, NULL),
                SOCKET_ERROR, WSAEINVAL);
    ok(size == 0xdeadbeef, "bogus GUID: size %lu", (unsigned long)size);

    /* Overlapped: the same failure, the OVERLAPPED untouched, no routine. */
    init_ov(&ov, NULL);
    apc_count = 0;
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &bogus, sizeof(bogus), &func,
                         sizeof(func), &size, &ov, routine),
                SOCKET_ERROR, WSAEINVAL);
    ok(size == 0xdeadbeef && ov.Internal == 0xdeadbeef && ov.InternalHigh == 0xdeadbeef,
       "bogus GUID ov: size %lu Internal %#lx", (unsigned long)size, (unsigned long)ov.Internal);
    ok(run_routines() == 0 && apc_count == 0, "bogus GUID ov: a routine ran");

    if (!tu_on_wine()) {
        /* Wine 8 reads the GUID without checking the input size. */
        WSASetLastError(0xdeadbeef);
        ok_wsa_fail(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &bogus, sizeof(bogus) - 1,
                             &func, sizeof(func), &size, NULL, NULL),
                    SOCKET_ERROR, WSAEFAULT);
        WSASetLastError(0xdeadbeef);
        ok_wsa_fail(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, NULL, sizeof(bogus), &func,
                             sizeof(func), &size, NULL, NULL),
                    SOCKET_ERROR, WSAEFAULT);
    }
    closesocket(s);
}

/* ---- SIO_ADDRESS_LIST_QUERY ---- */

static void check_address_list(int af)
{
    SOCKET s = udp_socket(af);
    union {
        char bytes[8192];
        SOCKET_ADDRESS_LIST list;
    } buf;
    DWORD size, need;
    int i, alen = af == AF_INET ? (int)sizeof(struct sockaddr_in) : (int)sizeof(struct sockaddr_in6);
    int r;

    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, NULL, 0, &size, NULL, NULL),
                SOCKET_ERROR, WSAEFAULT);
    need = size;
    ok(need >= FIELD_OFFSET(SOCKET_ADDRESS_LIST, Address) && need < sizeof(buf),
       "af %d: needed size %lu", af, (unsigned long)need);

    size = 0xdeadbeef;
    memset(&buf, 0xcc, sizeof(buf));
    r = WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, &buf, sizeof(buf), &size, NULL, NULL);
    ok(r == 0 && WSAGetLastError() == 0, "af %d: r %d err %d", af, r, WSAGetLastError());
    ok(size == need, "af %d: size %lu, needed %lu", af, (unsigned long)size, (unsigned long)need);
    ok(buf.list.iAddressCount >= 0 && buf.list.iAddressCount < 100, "af %d: count %d", af,
       buf.list.iAddressCount);
    /* Wine 8 lists IPv4 addresses on IPv6 sockets too. */
    if (!(tu_on_wine() && af == AF_INET6)) {
        ok(size == (DWORD)(FIELD_OFFSET(SOCKET_ADDRESS_LIST, Address) +
                           buf.list.iAddressCount * (sizeof(SOCKET_ADDRESS) + alen)),
           "af %d: size %lu for %d addresses", af, (unsigned long)size, buf.list.iAddressCount);
        for (i = 0; i < buf.list.iAddressCount && i < 100; i++) {
            SOCKET_ADDRESS *a = &buf.list.Address[i];
            char *p = (char *)a->lpSockaddr;
            ok(p >= (char *)&buf.list.Address[buf.list.iAddressCount] &&
                   p + a->iSockaddrLength <= buf.bytes + size,
               "af %d: address %d outside the buffer", af, i);
            ok(a->iSockaddrLength == alen && a->lpSockaddr->sa_family == af,
               "af %d: address %d length %d family %d", af, i, a->iSockaddrLength,
               a->lpSockaddr->sa_family);
        }
    }

    if (need > FIELD_OFFSET(SOCKET_ADDRESS_LIST, Address)) {
        /* Room for the header only: WSAEFAULT with the needed size. */
        size = 0xdeadbeef;
        WSASetLastError(0xdeadbeef);
        ok_wsa_fail(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, &buf, need - 1, &size, NULL, NULL),
                    SOCKET_ERROR, WSAEFAULT);
        ok(size == need, "af %d: short: size %lu", af, (unsigned long)size);
    }
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, NULL, sizeof(buf), &size, NULL, NULL),
                SOCKET_ERROR, WSAEFAULT);
    ok(size == need, "af %d: NULL buffer: size %lu", af, (unsigned long)size);
    /* Smaller than the count field: WSAEINVAL with 0 bytes. */
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, &buf, 1, &size, NULL, NULL),
                SOCKET_ERROR, WSAEINVAL);
    ok(size == 0, "af %d: 1-byte buffer: size %lu", af, (unsigned long)size);

    /* Overlapped: completes at once. */
    {
        WSAEVENT ev = WSACreateEvent();
        OVERLAPPED ov;
        init_ov(&ov, ev);
        size = 0xdeadbeef;
        r = WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, &buf, sizeof(buf), &size, &ov, NULL);
        ok(r == 0 && size == need, "af %d: ov: r %d err %d size %lu", af, r, WSAGetLastError(),
           (unsigned long)size);
        ok(WaitForSingleObject(ev, 1000) == WAIT_OBJECT_0 && ov_status(&ov) == 0 &&
               ov.InternalHigh == 0,
           "af %d: ov: status %#lx", af, (unsigned long)ov_status(&ov));
        WSACloseEvent(ev);
    }
    closesocket(s);
}

static void test_address_list_query(void)
{
    check_address_list(AF_INET);
    check_address_list(AF_INET6);
}

/* ---- SIO_GET_INTERFACE_LIST ---- */

static void test_interface_list(void)
{
    SOCKET s = tcp_socket();
    INTERFACE_INFO info[64];
    DWORD size;
    int i, n, loopback = 0;
    int r;

    memset(info, 0xcc, sizeof(info));
    size = 0xdeadbeef;
    r = WSAIoctl(s, SIO_GET_INTERFACE_LIST, NULL, 0, info, sizeof(info), &size, NULL, NULL);
    ok(r == 0 && WSAGetLastError() == 0, "interface list: r %d err %d", r, WSAGetLastError());
    ok(size > 0 && size % sizeof(INTERFACE_INFO) == 0, "interface list: size %lu",
       (unsigned long)size);
    n = (int)(size / sizeof(INTERFACE_INFO));
    for (i = 0; i < n && i < 64; i++) {
        ULONG f = info[i].iiFlags;
        ok((f & ~(ULONG)(IFF_UP | IFF_BROADCAST | IFF_LOOPBACK | IFF_POINTTOPOINT | IFF_MULTICAST)) == 0,
           "interface %d: flags %#lx", i, (unsigned long)f);
        ok(info[i].iiAddress.AddressIn.sin_family == AF_INET, "interface %d: family %d", i,
           info[i].iiAddress.AddressIn.sin_family);
        ok(info[i].iiNetmask.AddressIn.sin_family == AF_INET, "interface %d: mask family %d", i,
           info[i].iiNetmask.AddressIn.sin_family);
        if (info[i].iiAddress.AddressIn.sin_addr.s_addr == htonl(INADDR_LOOPBACK)) {
            loopback = 1;
            ok((f & (IFF_UP | IFF_LOOPBACK)) == (IFF_UP | IFF_LOOPBACK), "loopback flags %#lx",
               (unsigned long)f);
            ok(info[i].iiNetmask.AddressIn.sin_addr.s_addr == htonl(0xff000000),
               "loopback mask %#lx", (unsigned long)ntohl(info[i].iiNetmask.AddressIn.sin_addr.s_addr));
        }
    }
    ok(loopback, "127.0.0.1 not listed");

    /* Too small: WSAEFAULT with 0 bytes. */
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl(s, SIO_GET_INTERFACE_LIST, NULL, 0, info, 10, &size, NULL, NULL),
                SOCKET_ERROR, WSAEFAULT);
    ok(size == 0, "interface list short: size %lu", (unsigned long)size);
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl(s, SIO_GET_INTERFACE_LIST, NULL, 0, NULL, sizeof(info), &size, NULL, NULL),
                SOCKET_ERROR, WSAEFAULT);
    ok(size == 0, "interface list NULL: size %lu", (unsigned long)size);
    closesocket(s);
}

/* ---- SIO_ROUTING_INTERFACE_QUERY ---- */

static void test_routing_query(void)
{
    SOCKET s = udp_socket(AF_INET);
    struct sockaddr_in in, out;
    struct sockaddr_in6 in6, out6;
    OVERLAPPED ov;
    DWORD size;
    int r;

    memset(&in, 0, sizeof(in));
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    r = WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &in, sizeof(in) - 1, &out, sizeof(out), &size,
                 NULL, NULL);
    ok(r == SOCKET_ERROR && WIN_OR_WINE(WSAGetLastError() == WSAEINVAL, 1), "short input: r %d err %d",
       r, WSAGetLastError());
    ok(size == 0xdeadbeef, "short input: size %lu", (unsigned long)size);
    WSASetLastError(0xdeadbeef);
    r = WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, NULL, sizeof(in), &out, sizeof(out), &size, NULL,
                 NULL);
    ok(r == SOCKET_ERROR && WIN_OR_WINE(WSAGetLastError() == WSAEINVAL, 1), "NULL input: r %d err %d",
       r, WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &in, sizeof(in), &out, sizeof(out), &size,
                         NULL, NULL),
                SOCKET_ERROR, WSAEAFNOSUPPORT);
    ok(size == 0xdeadbeef, "family 0: size %lu", (unsigned long)size);
    /* The unspecified address: Windows refuses it (Wine 8 answers). */
    in.sin_family = AF_INET;
    WSASetLastError(0xdeadbeef);
    r = WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &in, sizeof(in), &out, sizeof(out), &size, NULL,
                 NULL);
    ok(WIN_OR_WINE(r == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, r == 0), "any: r %d err %d", r,
       WSAGetLastError());

    in = tu_addr4(INADDR_LOOPBACK, 80);
    memset(&out, 0xcc, sizeof(out));
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    r = WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &in, sizeof(in), &out, sizeof(out), &size, NULL,
                 NULL);
    ok(r == 0 && WSAGetLastError() == 0 && size == sizeof(out), "loopback: r %d err %d size %lu", r,
       WSAGetLastError(), (unsigned long)size);
    ok(out.sin_family == AF_INET && out.sin_port == 0, "loopback: family %d port %d",
       out.sin_family, out.sin_port);
    if (!tu_on_wine())
        ok(out.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "loopback: source %#lx",
           (unsigned long)ntohl(out.sin_addr.s_addr));

    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &in, sizeof(in), &out, sizeof(out) - 1,
                         &size, NULL, NULL),
                SOCKET_ERROR, WSAEFAULT);
    ok(WIN_OR_WINE(size == sizeof(out), size == 0xdeadbeef), "short output: size %lu",
       (unsigned long)size);
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &in, sizeof(in), NULL, sizeof(out), &size,
                         NULL, NULL),
                SOCKET_ERROR, WSAEFAULT);
    ok(size == 0xdeadbeef, "NULL output: size %lu", (unsigned long)size);

    /* Overlapped: 0, the count written, the completion with 0 bytes. */
    init_ov(&ov, NULL);
    size = 0xdeadbeef;
    r = WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &in, sizeof(in), &out, sizeof(out), &size, &ov,
                 NULL);
    ok(r == 0 && size == sizeof(out), "ov: r %d size %lu", r, (unsigned long)size);
    ok(ov_status(&ov) == 0 && ov.InternalHigh == 0, "ov: status %#lx high %lu",
       (unsigned long)ov_status(&ov), (unsigned long)ov.InternalHigh);
    closesocket(s);

    /* IPv6. */
    s = udp_socket(AF_INET6);
    {
        static const unsigned char lo6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        in6 = tu_addr6(lo6, htons(80));
        memset(&out6, 0xcc, sizeof(out6));
        size = 0xdeadbeef;
        r = WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &in6, sizeof(in6), &out6, sizeof(out6), &size,
                     NULL, NULL);
        /* Wine 8 cannot route IPv6. */
        if (!(tu_on_wine() && r == SOCKET_ERROR)) {
            ok(r == 0 && size == sizeof(out6), "v6: r %d err %d size %lu", r, WSAGetLastError(),
               (unsigned long)size);
            ok(out6.sin6_family == AF_INET6 && out6.sin6_port == 0 &&
                   !memcmp(out6.sin6_addr.s6_addr, lo6, 16),
               "v6: family %d", out6.sin6_family);
        }
    }
    closesocket(s);
}

/* ---- SIO_UDP_CONNRESET, SIO_UDP_NETRESET, SIO_LOOPBACK_FAST_PATH ---- */

static void test_udp_reset_codes(void)
{
    static const DWORD codes[] = {SIO_UDP_CONNRESET, SIO_UDP_NETRESET};
    SOCKET u = udp_socket(AF_INET), t = tcp_socket();
    BOOL b = FALSE;
    DWORD size;
    unsigned i;
    int r;

    for (i = 0; i < 2; i++) {
        size = 0xdeadbeef;
        WSASetLastError(0xdeadbeef);
        r = WSAIoctl(u, codes[i], &b, sizeof(b), NULL, 0, &size, NULL, NULL);
        /* Wine 8 does not know SIO_UDP_NETRESET. */
        if (tu_on_wine() && codes[i] == SIO_UDP_NETRESET && r == SOCKET_ERROR &&
            WSAGetLastError() == WSAEOPNOTSUPP)
            continue;
        ok(r == 0 && WSAGetLastError() == 0 && size == 0, "code %#lx: r %d err %d size %lu",
           (unsigned long)codes[i], r, WSAGetLastError(), (unsigned long)size);
        b = TRUE;
        ok(WSAIoctl(u, codes[i], &b, sizeof(b), NULL, 0, &size, NULL, NULL) == 0,
           "code %#lx on: err %d", (unsigned long)codes[i], WSAGetLastError());
        if (!tu_on_wine()) {
            /* Wine 8 accepts these too. */
            WSASetLastError(0xdeadbeef);
            ok_wsa_fail(WSAIoctl(u, codes[i], &b, 2, NULL, 0, &size, NULL, NULL), SOCKET_ERROR,
                        WSAEFAULT);
            WSASetLastError(0xdeadbeef);
            ok_wsa_fail(WSAIoctl(t, codes[i], &b, sizeof(b), NULL, 0, &size, NULL, NULL),
                        SOCKET_ERROR, WSAEINVAL);
        }
    }

    /* Still a working datagram socket. */
    {
        struct sockaddr_in a;
        SOCKET r2 = tu_udp_socket(&a);
        char buf[8];
        ok(sendto(u, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)) == 1, "sendto: error %d",
           WSAGetLastError());
        ok(tu_wait_for(r2, 'r', 2000) == 1 && recv(r2, buf, sizeof(buf), 0) == 1, "datagram lost");
        closesocket(r2);
    }
    closesocket(u);
    closesocket(t);
}

static void test_loopback_fast_path(void)
{
    SOCKET t = tcp_socket(), u = udp_socket(AF_INET);
    BOOL b = TRUE;
    DWORD size = 0xdeadbeef;
    int r;

    WSASetLastError(0xdeadbeef);
    r = WSAIoctl(t, SIO_LOOPBACK_FAST_PATH, &b, sizeof(b), NULL, 0, &size, NULL, NULL);
    /* Wine 8 does not know the code. */
    if (!(tu_on_wine() && r == SOCKET_ERROR && WSAGetLastError() == WSAEOPNOTSUPP)) {
        ok(r == 0 && WSAGetLastError() == 0 && size == 0, "TCP: r %d err %d size %lu", r,
           WSAGetLastError(), (unsigned long)size);
        WSASetLastError(0xdeadbeef);
        ok_wsa_fail(WSAIoctl(t, SIO_LOOPBACK_FAST_PATH, &b, 2, NULL, 0, &size, NULL, NULL),
                    SOCKET_ERROR, WSAEFAULT);
    }
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl(u, SIO_LOOPBACK_FAST_PATH, &b, sizeof(b), NULL, 0, &size, NULL, NULL),
                SOCKET_ERROR, WSAEOPNOTSUPP);
    closesocket(t);
    closesocket(u);
    tu_check_tcp_pair();
}

/* ---- change notifications: not provided here ---- */

static void test_change_codes(void)
{
    SOCKET s;
    OVERLAPPED ov;
    DWORD size;

    /* Wine (as Windows) leaves these pending until an address changes; ws2-uring refuses them
     * (docs/compat.md). */
    if (tu_on_wine())
        return;
    s = tcp_socket();
    init_ov(&ov, NULL);
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl(s, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &size, &ov, NULL),
                SOCKET_ERROR, WSAEOPNOTSUPP);
    ok(ov.Internal == 0xdeadbeef, "address list change: OVERLAPPED touched");
    WSASetLastError(0xdeadbeef);
    ok_wsa_fail(WSAIoctl(s, SIO_ROUTING_INTERFACE_CHANGE, NULL, 0, NULL, 0, &size, NULL, NULL),
                SOCKET_ERROR, WSAEOPNOTSUPP);
    closesocket(s);
}

int main(void)
{
    tu_startup();
    test_common();
    test_unknown_overlapped();
    test_fionbio();
    test_fionread_siocatmark();
    test_overlapped_event();
    test_overlapped_routine();
    test_keepalive();
    test_base_handle();
    test_extension_errors();
    test_address_list_query();
    test_interface_list();
    test_routing_query();
    test_udp_reset_codes();
    test_loopback_fast_path();
    test_change_codes();
    WSACleanup();
    return test_done();
}
