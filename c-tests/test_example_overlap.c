/* examples/overlap_server.c (the Winsock "overlap" sample form: AcceptEx and WSARecv/WSASend with
 * event objects, WSAWaitForMultipleEvents, WSAGetOverlappedResult) on a thread, bound to 127.0.0.1
 * on an ephemeral port, driven by four examples/simple_client.c TCP clients at once (so several
 * connections sit in its event array together), each checking every echoed byte. The server must
 * serve exactly the four connections and report no error. */
#include "testutil.h"
#include "example_harness.h"

#define OVERLAP_SERVER_NO_MAIN
#define SIMPLE_CLIENT_NO_MAIN
#include "../examples/overlap_server.c"
#include "../examples/simple_client.c"

#define NCLIENTS 4

static unsigned short g_port;
static HANDLE g_ready;
static char g_portstr[16];

static DWORD WINAPI server_thread(LPVOID arg)
{
    (void)arg;
    return (DWORD)overlap_server_run("127.0.0.1", "0", NCLIENTS, &g_port, g_ready);
}

static DWORD WINAPI client_thread(LPVOID arg)
{
    int i = (int)(INT_PTR)arg;
    return (DWORD)simple_client_run(SOCK_STREAM, AF_INET, "127.0.0.1", g_portstr, 40,
                                    1 + 1000 * i);
}

int main(void)
{
    HANDLE server, clients[NCLIENTS];
    DWORD w, code;
    int i;

    tu_startup();
    g_ready = CreateEventA(NULL, TRUE, FALSE, NULL);
    if (ex_start_server(server_thread, g_ready, &g_port, &server)) {
        snprintf(g_portstr, sizeof(g_portstr), "%u", g_port);
        for (i = 0; i < NCLIENTS; i++) {
            clients[i] = CreateThread(NULL, 0, client_thread, (LPVOID)(INT_PTR)i, 0, NULL);
            ok(clients[i] != NULL, "client %d: CreateThread", i);
        }
        w = WaitForMultipleObjects(NCLIENTS, clients, TRUE, 30000);
        ok(w == WAIT_OBJECT_0, "clients finished (wait %lu)", (unsigned long)w);
        for (i = 0; i < NCLIENTS; i++) {
            BOOL got;
            code = 99;
            got = GetExitCodeThread(clients[i], &code);
            ok(got && code == 0, "client %d verified every echo (exit %lu)", i,
               (unsigned long)code);
            CloseHandle(clients[i]);
        }
    }
    ex_finish_server(server, 20000, "server");
    CloseHandle(g_ready);
    WSACleanup();
    return test_done();
}
