/* examples/simple_server.c and examples/simple_client.c (the Winsock "simple" sample form) in one
 * process: for TCP and UDP, over IPv4 (127.0.0.1) and IPv6 (::1), the server runs on a thread on
 * an ephemeral port and the client sends its buffers to it; every echo is compared byte for byte
 * by the client and both must report success (TCP: two clients in turn; UDP: one datagram per
 * buffer, the server echoing exactly that many). */
#include "testutil.h"

#define SIMPLE_SERVER_NO_MAIN
#define SIMPLE_CLIENT_NO_MAIN
#include "../examples/simple_server.c"
#include "../examples/simple_client.c"

#define LOOPS 6

struct server_args {
    int type, family, count;
    const char *iface;
    unsigned short port;
    HANDLE ready;
};

static DWORD WINAPI server_thread(LPVOID arg)
{
    struct server_args *a = (struct server_args *)arg;
    return (DWORD)simple_server_run(a->type, a->family, a->iface, "0", a->count, &a->port, a->ready);
}

static void scenario(int type, int family, const char *addr)
{
    struct server_args a;
    HANDLE t;
    DWORD w, code = 99;
    char port[16];
    const char *what = type == SOCK_STREAM ? "TCP" : "UDP";
    int clients = type == SOCK_STREAM ? 2 : 1, i;

    memset(&a, 0, sizeof(a));
    a.type = type;
    a.family = family;
    a.iface = addr;
    a.count = type == SOCK_STREAM ? clients : LOOPS * clients;
    a.ready = CreateEventA(NULL, TRUE, FALSE, NULL);
    t = CreateThread(NULL, 0, server_thread, &a, 0, NULL);
    ok(t != NULL, "%s %s: CreateThread %lu", what, addr, (unsigned long)GetLastError());
    if (t == NULL)
        return;
    w = WaitForSingleObject(a.ready, 10000);
    ok(w == WAIT_OBJECT_0 && a.port != 0, "%s %s: server ready (wait %lu, port %u)", what, addr,
       (unsigned long)w, a.port);
    if (w == WAIT_OBJECT_0) {
        snprintf(port, sizeof(port), "%u", a.port);
        for (i = 0; i < clients; i++)
            ok(simple_client_run(type, family, addr, port, LOOPS, 100 + 1000 * i) == 0,
               "%s %s: client %d verified every echo", what, addr, i);
    }
    w = WaitForSingleObject(t, 20000);
    ok(w == WAIT_OBJECT_0, "%s %s: server finished (wait %lu)", what, addr, (unsigned long)w);
    ok(GetExitCodeThread(t, &code), "%s %s: GetExitCodeThread", what, addr);
    ok(code == 0, "%s %s: server exit code %lu", what, addr, (unsigned long)code);
    CloseHandle(t);
    CloseHandle(a.ready);
}

int main(void)
{
    tu_startup();
    scenario(SOCK_STREAM, AF_INET, "127.0.0.1");
    scenario(SOCK_STREAM, AF_INET6, "::1");
    scenario(SOCK_DGRAM, AF_INET, "127.0.0.1");
    scenario(SOCK_DGRAM, AF_INET6, "::1");
    WSACleanup();
    return test_done();
}
