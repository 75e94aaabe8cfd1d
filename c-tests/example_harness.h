/* Shared by the c-tests/test_example_*.c tests: run an example's server entry function on a
 * thread until it reports ready (it sets an event once it listens), then check how it ended.
 * Include after testutil.h. */
#ifndef WS2_EXAMPLE_HARNESS_H
#define WS2_EXAMPLE_HARNESS_H

/* Start `fn` on a thread and wait up to 10 s for `ready`. *server gets the thread (NULL when it
 * could not be created). Returns 1 when the server is ready and reported a port. */
static int ex_start_server(LPTHREAD_START_ROUTINE fn, HANDLE ready, const unsigned short *port,
                           HANDLE *server)
{
    DWORD w;

    *server = CreateThread(NULL, 0, fn, NULL, 0, NULL);
    ok(*server != NULL, "CreateThread(server): error %lu", (unsigned long)GetLastError());
    if (*server == NULL)
        return 0;
    w = WaitForSingleObject(ready, 10000);
    ok(w == WAIT_OBJECT_0 && *port != 0, "server ready (wait %lu, port %u)", (unsigned long)w, *port);
    return w == WAIT_OBJECT_0 && *port != 0;
}

/* Wait up to `ms` for the server thread to end; it must have returned 0. Closes the handle. */
static void ex_finish_server(HANDLE server, DWORD ms, const char *what)
{
    DWORD w, code = 99;

    if (server == NULL)
        return;
    w = WaitForSingleObject(server, ms);
    ok(w == WAIT_OBJECT_0, "%s finished (wait %lu)", what, (unsigned long)w);
    ok(GetExitCodeThread(server, &code), "GetExitCodeThread(%s)", what);
    ok(code == 0, "%s exit code %lu", what, (unsigned long)code);
    CloseHandle(server);
}

#endif /* WS2_EXAMPLE_HARNESS_H */
