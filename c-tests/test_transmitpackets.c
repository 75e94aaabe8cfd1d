/* ws2-test: native-only */
/* TransmitPackets with memory elements only (TP_ELEMENT_MEMORY), through
 * SIO_GET_EXTENSION_FUNCTION_POINTER:
 * - synchronous (no OVERLAPPED): TRUE; the peer receives the elements' bytes concatenated, in
 *   array order;
 * - overlapped with an event: FALSE/ERROR_IO_PENDING (or TRUE), then WSAGetOverlappedResult gives
 *   the total byte count; a 64 KiB element among small ones arrives intact;
 * - through a completion port: one packet with the total;
 * - an invalid socket is WSAENOTSOCK, an unconnected one WSAENOTCONN.
 * Native-only: Wine 8.0 has no TransmitPackets (WSAIoctl(WSAID_TRANSMITPACKETS) fails with
 * WSAEINVAL).
 * Sources: MS docs LPFN_TRANSMITPACKETS, TRANSMIT_PACKETS_ELEMENT. */
#include "testutil.h"
#include <mswsock.h>

#define WAIT_MS 3000
#define BIG 65536

static LPFN_TRANSMITPACKETS pTransmitPackets;
static char big[BIG];

#define expect_bytes(s, want, len) expect_bytes_at(__LINE__, s, want, len)
static void expect_bytes_at(int line, SOCKET s, const char *want, int len)
{
    char *buf = malloc(len);
    int got = tu_recv_all(s, buf, len);
    tu_ok(got == len && !memcmp(buf, want, len), __FILE__, line, "received %d bytes%s, want %d", got,
          got == len ? " that differ" : "", len);
    free(buf);
}

static void set_mem(TRANSMIT_PACKETS_ELEMENT *e, const void *p, ULONG len)
{
    memset(e, 0, sizeof(*e));
    e->dwElFlags = TP_ELEMENT_MEMORY;
    e->cLength = len;
    e->pBuffer = (PVOID)p;
}

int main(void)
{
    GUID g = WSAID_TRANSMITPACKETS;
    TRANSMIT_PACKETS_ELEMENT el[4];
    SOCKET c, s, u;
    OVERLAPPED ov, *o;
    HANDLE port;
    ULONG_PTR k;
    DWORD n = 0, fl;
    BOOL b;
    int r, i;

    tu_startup();
    for (i = 0; i < BIG; i++)
        big[i] = (char)(i ^ (i >> 8));
    u = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    r = WSAIoctl(u, SIO_GET_EXTENSION_FUNCTION_POINTER, &g, sizeof(g), &pTransmitPackets, sizeof(pTransmitPackets),
                 &n, NULL, NULL);
    ok(r == 0 && pTransmitPackets, "WSAID_TRANSMITPACKETS: got %d error %d", r, WSAGetLastError());
    if (!pTransmitPackets)
        return test_done();

    set_mem(&el[0], "one,", 4);
    set_mem(&el[1], "two,", 4);
    set_mem(&el[2], "three", 5);
    WSASetLastError(0xdeadbeef);
    b = pTransmitPackets(INVALID_SOCKET, el, 3, 0, NULL, 0);
    ok(!b && WSAGetLastError() == WSAENOTSOCK, "INVALID_SOCKET: got %d error %d, want WSAENOTSOCK", b,
       WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    b = pTransmitPackets(u, el, 3, 0, NULL, 0);
    ok(!b && WSAGetLastError() == WSAENOTCONN, "unconnected: got %d error %d, want WSAENOTCONN", b,
       WSAGetLastError());
    closesocket(u);

    if (tu_tcp_pair(&c, &s)) {
        ok(0, "tcp pair: error %d", WSAGetLastError());
        return test_done();
    }

    /* synchronous */
    ok(pTransmitPackets(c, el, 3, 0, NULL, 0), "TransmitPackets: error %d", WSAGetLastError());
    expect_bytes(s, "one,two,three", 13);

    /* overlapped with an event, a big element in the middle */
    set_mem(&el[1], big, BIG);
    set_mem(&el[3], "!", 1);
    init_ov(&ov, CreateEventA(NULL, TRUE, FALSE, NULL));
    WSASetLastError(0xdeadbeef);
    b = pTransmitPackets(c, el, 4, 0, &ov, 0);
    ok(b || WSAGetLastError() == ERROR_IO_PENDING, "overlapped TransmitPackets: got %d error %d", b,
       WSAGetLastError());
    expect_bytes(s, "one,", 4);
    expect_bytes(s, big, BIG);
    expect_bytes(s, "three!", 6);
    ok(WaitForSingleObject(ov.hEvent, WAIT_MS) == WAIT_OBJECT_0, "overlapped TransmitPackets did not complete");
    n = 0xdeadbeef;
    b = WSAGetOverlappedResult(c, &ov, &n, FALSE, &fl);
    ok(b && n == 4 + BIG + 5 + 1, "WSAGetOverlappedResult: got %d bytes %u error %d, want %u", b, (unsigned)n,
       WSAGetLastError(), (unsigned)(4 + BIG + 5 + 1));
    CloseHandle(ov.hEvent);

    /* through a completion port */
    port = CreateIoCompletionPort((HANDLE)c, NULL, 9, 0);
    init_ov(&ov, NULL);
    WSASetLastError(0xdeadbeef);
    b = pTransmitPackets(c, el, 1, 0, &ov, 0);
    ok(b || WSAGetLastError() == ERROR_IO_PENDING, "TransmitPackets with a port: got %d error %d", b,
       WSAGetLastError());
    n = 0xdeadbeef;
    o = NULL;
    b = GetQueuedCompletionStatus(port, &n, &k, &o, WAIT_MS);
    ok(b && n == 4 && k == 9 && o == &ov, "packet: got %d bytes %u key %llu ov %p error %u", b, (unsigned)n,
       (unsigned long long)k, (void *)o, (unsigned)GetLastError());
    expect_bytes(s, "one,", 4);
    CloseHandle(port);

    closesocket(c);
    closesocket(s);
    WSACleanup();
    return test_done();
}
