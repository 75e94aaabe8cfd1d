/* examples/iocp_server.c (the Winsock "iocp/server" sample form: a blocking WSAAccept loop handing
 * each socket to a completion port, worker threads echoing with WSARecv/WSASend) on a thread, bound
 * to 127.0.0.1 on an ephemeral port, driven by examples/echo_client.c: six connections at once,
 * every echoed byte compared. The server serves exactly those six, then stops its workers with
 * quit packets; both must report success. */
#include "testutil.h"

#define IOCP_SERVER_NO_MAIN
#define ECHO_CLIENT_NO_MAIN
#include "../examples/iocp_server.c"
#include "../examples/echo_client.c"

#define CONNS 6

static unsigned short g_port;
static HANDLE g_ready;

static DWORD WINAPI server_thread(LPVOID arg)
{
    (void)arg;
    return (DWORD)iocp_server_run("127.0.0.1", "0", CONNS, 4, &g_port, g_ready);
}

int main(void)
{
    HANDLE server;
    DWORD w, code = 99;
    char port[16];

    tu_startup();
    g_ready = CreateEventA(NULL, TRUE, FALSE, NULL);
    server = CreateThread(NULL, 0, server_thread, NULL, 0, NULL);
    ok(server != NULL, "CreateThread %lu", (unsigned long)GetLastError());
    if (server == NULL)
        return test_done();
    w = WaitForSingleObject(g_ready, 10000);
    ok(w == WAIT_OBJECT_0 && g_port != 0, "server ready (wait %lu, port %u)", (unsigned long)w,
       g_port);
    if (w == WAIT_OBJECT_0) {
        snprintf(port, sizeof(port), "%u", g_port);
        ok(echo_client_run("127.0.0.1", port, CONNS, 120) == 0, "the client verified every byte");
    }
    w = WaitForSingleObject(server, 30000);
    ok(w == WAIT_OBJECT_0, "server finished (wait %lu)", (unsigned long)w);
    ok(GetExitCodeThread(server, &code), "GetExitCodeThread(server)");
    ok(code == 0, "server exit code %lu", (unsigned long)code);
    CloseHandle(server);
    CloseHandle(g_ready);
    WSACleanup();
    return test_done();
}
