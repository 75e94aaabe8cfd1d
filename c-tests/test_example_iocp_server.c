/* examples/iocp_server.c (the Winsock "iocp/server" sample form: a blocking WSAAccept loop handing
 * each socket to a completion port, worker threads echoing with WSARecv/WSASend) on a thread, bound
 * to 127.0.0.1 on an ephemeral port, driven by examples/echo_client.c: six connections at once,
 * every echoed byte compared. The server serves exactly those six, then stops its workers with
 * quit packets; both must report success. */
#include "testutil.h"
#include "example_harness.h"

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
    char port[16];

    tu_startup();
    g_ready = CreateEventA(NULL, TRUE, FALSE, NULL);
    if (ex_start_server(server_thread, g_ready, &g_port, &server)) {
        snprintf(port, sizeof(port), "%u", g_port);
        ok(echo_client_run("127.0.0.1", port, CONNS, 120) == 0, "the client verified every byte");
    }
    ex_finish_server(server, 30000, "server");
    CloseHandle(g_ready);
    WSACleanup();
    return test_done();
}
