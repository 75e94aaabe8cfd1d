/* WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) with the GUIDs of the Microsoft extension
 * functions (AcceptEx, ConnectEx, DisconnectEx, GetAcceptExSockaddrs, TransmitFile,
 * TransmitPackets, WSARecvMsg, WSASendMsg): each gives a non-NULL function pointer and 8 bytes,
 * on TCP and UDP sockets, overlapped too (0 returned, the count written, the completion with 0
 * bytes). An 8-byte output buffer is needed: a shorter one is WSAEFAULT. */
#include "testutil.h"
#include <mswsock.h>

static const struct {
    const char *name;
    GUID guid;
} funcs[] = {
    {"AcceptEx", WSAID_ACCEPTEX},
    {"ConnectEx", WSAID_CONNECTEX},
    {"DisconnectEx", WSAID_DISCONNECTEX},
    {"GetAcceptExSockaddrs", WSAID_GETACCEPTEXSOCKADDRS},
    {"TransmitFile", WSAID_TRANSMITFILE},
    {"TransmitPackets", WSAID_TRANSMITPACKETS},
    {"WSARecvMsg", WSAID_WSARECVMSG},
    {"WSASendMsg", WSAID_WSASENDMSG},
};

static void check_socket(SOCKET s, const char *what)
{
    unsigned i;
    for (i = 0; i < sizeof(funcs) / sizeof(funcs[0]); i++) {
        GUID g = funcs[i].guid;
        void *f = NULL;
        DWORD size = 0xdeadbeef;
        OVERLAPPED ov;
        int r;

        WSASetLastError(0xdeadbeef);
        r = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &g, sizeof(g), &f, sizeof(f), &size,
                     NULL, NULL);
        /* Wine 8 has no TransmitPackets. */
        if (tu_on_wine() && !strcmp(funcs[i].name, "TransmitPackets") && r == SOCKET_ERROR &&
            WSAGetLastError() == WSAEINVAL)
            continue;
        ok(r == 0 && WSAGetLastError() == 0, "%s %s: r %d err %d", what, funcs[i].name, r,
           WSAGetLastError());
        ok(f != NULL && size == sizeof(f), "%s %s: f %p size %lu", what, funcs[i].name, f,
           (unsigned long)size);

        init_ov(&ov, NULL);
        f = NULL;
        size = 0xdeadbeef;
        r = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &g, sizeof(g), &f, sizeof(f), &size,
                     &ov, NULL);
        ok(r == 0 && f != NULL && size == sizeof(f), "%s %s overlapped: r %d err %d size %lu",
           what, funcs[i].name, r, WSAGetLastError(), (unsigned long)size);
        ok(ov_status(&ov) == T_STATUS_SUCCESS && ov.InternalHigh == 0,
           "%s %s overlapped: status %#lx", what, funcs[i].name, (unsigned long)ov_status(&ov));

        if (!tu_on_wine()) {
            /* Wine 8 writes 8 bytes whatever the output size. */
            WSASetLastError(0xdeadbeef);
            ok_wsa_fail(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &g, sizeof(g), &f,
                                 sizeof(f) - 1, &size, NULL, NULL),
                        SOCKET_ERROR, WSAEFAULT);
        }
    }
}

int main(void)
{
    SOCKET t, u;
    tu_startup();
    t = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    u = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    ok(t != INVALID_SOCKET && u != INVALID_SOCKET, "socket: error %d", WSAGetLastError());
    check_socket(t, "tcp");
    check_socket(u, "udp");
    closesocket(t);
    closesocket(u);
    WSACleanup();
    return test_done();
}
