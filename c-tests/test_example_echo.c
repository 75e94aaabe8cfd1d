/* The README demo, in one process: examples/echo_server.c (an I/O completion port server with
 * AcceptEx, worker threads, WSARecv/WSASend, quit packets and WaitForMultipleObjects) on a thread,
 * bound to 127.0.0.1 on an ephemeral port, and examples/echo_client.c (one thread per connection,
 * every echoed byte compared) against it, twice: the server serves both client runs' connections
 * and then shuts down by itself. Both must report every byte verified. Then a second server is
 * stopped from the console before any client came: its own console control handler is called
 * with CTRL_C_EVENT (as the system would on Ctrl-C), and it must shut down cleanly and return 0. */
#include "testutil.h"
#include "example_harness.h"

#define ECHO_SERVER_NO_MAIN
#define ECHO_CLIENT_NO_MAIN
#include "../examples/echo_server.c"
#include "../examples/echo_client.c"

#define CONNS 4
#define RUNS 2

static unsigned short g_port;
static HANDLE g_ready;

static DWORD WINAPI server_thread(LPVOID arg)
{
    (void)arg;
    return (DWORD)echo_server_run("0", "127.0.0.1", CONNS * RUNS, 2, &g_port, g_ready);
}

static DWORD WINAPI stopped_server_thread(LPVOID arg)
{
    (void)arg;
    return (DWORD)echo_server_run("0", "127.0.0.1", 3, 2, &g_port, g_ready);
}

int main(void)
{
    HANDLE server;
    char port[16];
    int run;

    tu_startup();
    g_ready = CreateEventA(NULL, TRUE, FALSE, NULL);
    ok(g_ready != NULL, "CreateEvent: %lu", (unsigned long)GetLastError());
    if (ex_start_server(server_thread, g_ready, &g_port, &server)) {
        snprintf(port, sizeof(port), "%u", g_port);
        for (run = 0; run < RUNS; run++)
            ok(echo_client_run("127.0.0.1", port, CONNS, 150 + 50 * run) == 0,
               "client run %d verified every byte", run);
    }
    ex_finish_server(server, 30000, "server");

    /* A console-control stop. */
    ResetEvent(g_ready);
    g_port = 0;
    if (ex_start_server(stopped_server_thread, g_ready, &g_port, &server)) {
        ok(srv_console_handler(CTRL_C_EVENT), "the handler takes CTRL_C_EVENT");
        ok(!srv_console_handler(CTRL_LOGOFF_EVENT), "the handler leaves CTRL_LOGOFF_EVENT alone");
    }
    ex_finish_server(server, 10000, "stopped server");
    CloseHandle(g_ready);
    WSACleanup();
    return test_done();
}
