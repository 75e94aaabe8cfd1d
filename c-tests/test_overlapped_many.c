/* 64 connected TCP sockets, each with a pending overlapped WSARecv and its own event, watched by one
 * WSAWaitForMultipleEvents over all 64 (WSA_MAXIMUM_WAIT_EVENTS): nothing is signalled before data;
 * data sent to the sockets in a shuffled order completes exactly the receive of the socket it went
 * to, with that socket's bytes; when several are signalled the wait reports the lowest index; the
 * loop runs until all 64 are done. */
#include "testutil.h"

#define N 64
#define WAIT_MS 3000
#define BATCH 5

static SOCKET cli[N], srv[N];
static HANDLE ev[N];
static OVERLAPPED ov[N];
static char buf[N][32];
static char msg[N][32];
static int done[N];

static int msg_len(int i)
{
    return 7 + i % 13;
}

static unsigned rnd_state = 12345;
static unsigned rnd(void)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (rnd_state >> 16) & 0x7fff;
}

/* Check that socket i's receive completed with its own message, then retire its event. */
static void check_completion(int i)
{
    DWORD n = 0xdeadbeef, fl = 0xdeadbeef;
    BOOL b = WSAGetOverlappedResult(srv[i], &ov[i], &n, FALSE, &fl);
    int len = msg_len(i);
    ok(b && n == (DWORD)len && fl == 0 && !memcmp(buf[i], msg[i], len),
       "socket %d: got %d bytes %u flags %#x '%.*s', want TRUE %d 0 '%s'", i, b, (unsigned)n, (unsigned)fl, len,
       buf[i], len, msg[i]);
    ok(!done[i], "socket %d completed twice", i);
    done[i] = 1;
    ok(WSAResetEvent(ev[i]), "WSAResetEvent %d failed", i);
}

int main(void)
{
    int perm[N], i, k, ndone = 0, setup_ok = 1;
    DWORD w;

    tu_startup();
    for (i = 0; i < N; i++) {
        WSABUF wb;
        DWORD fl = 0;
        int r;

        if (tu_tcp_pair(&cli[i], &srv[i])) {
            ok(0, "pair %d: error %d", i, WSAGetLastError());
            setup_ok = 0;
            break;
        }
        ev[i] = WSACreateEvent();
        ok(ev[i] != WSA_INVALID_EVENT, "WSACreateEvent %d failed", i);
        memset(&ov[i], 0, sizeof(ov[i]));
        ov[i].hEvent = ev[i];
        snprintf(msg[i], sizeof(msg[i]), "sock%02d-%s", i, "abcdefghijklm" + (13 - i % 13));
        ok((int)strlen(msg[i]) == msg_len(i), "message %d has length %d", i, (int)strlen(msg[i]));
        wb.buf = buf[i];
        wb.len = sizeof(buf[i]);
        WSASetLastError(0xdeadbeef);
        r = WSARecv(srv[i], &wb, 1, NULL, &fl, &ov[i], NULL);
        ok(r == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "socket %d: WSARecv got %d error %d, want "
           "pending", i, r, WSAGetLastError());
    }
    if (!setup_ok)
        return test_done();

    w = WSAWaitForMultipleEvents(N, ev, FALSE, 0, FALSE);
    ok(w == WSA_WAIT_TIMEOUT, "before any data: WSAWaitForMultipleEvents gave %u, want WSA_WAIT_TIMEOUT", (unsigned)w);
    w = WSAWaitForMultipleEvents(N, ev, FALSE, 100, FALSE);
    ok(w == WSA_WAIT_TIMEOUT, "before any data (100 ms): WSAWaitForMultipleEvents gave %u", (unsigned)w);

    for (i = 0; i < N; i++)
        perm[i] = i;
    for (i = N - 1; i > 0; i--) {
        int j = (int)(rnd() % (unsigned)(i + 1)), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }

    /* One at a time: the wait reports exactly the socket the data went to. */
    for (k = 0; k < N / 2; k++) {
        int i0 = perm[k];
        int r = send(cli[i0], msg[i0], msg_len(i0), 0);
        ok(r == msg_len(i0), "send to %d: got %d error %d", i0, r, WSAGetLastError());
        w = WSAWaitForMultipleEvents(N, ev, FALSE, WAIT_MS, FALSE);
        ok(w == WSA_WAIT_EVENT_0 + (DWORD)i0, "after sending to socket %d: WSAWaitForMultipleEvents gave %d", i0,
           (int)(w - WSA_WAIT_EVENT_0));
        if (w < WSA_WAIT_EVENT_0 + N) {
            check_completion((int)(w - WSA_WAIT_EVENT_0));
            ndone++;
        }
    }

    /* In batches: once every socket of the batch has completed, the waits report them lowest index
     * first. */
    for (k = N / 2; k < N; k += BATCH) {
        int end = k + BATCH < N ? k + BATCH : N, j, lowest, expect_count = end - k;
        HANDLE batch_ev[BATCH];
        for (j = k; j < end; j++) {
            int r = send(cli[perm[j]], msg[perm[j]], msg_len(perm[j]), 0);
            ok(r == msg_len(perm[j]), "send to %d: got %d error %d", perm[j], r, WSAGetLastError());
            batch_ev[j - k] = ev[perm[j]];
        }
        w = WSAWaitForMultipleEvents((DWORD)expect_count, batch_ev, TRUE, WAIT_MS, FALSE);
        ok(w == WSA_WAIT_EVENT_0, "batch at %d: not all completed (wait-all gave %u)", k, (unsigned)w);
        while (expect_count-- > 0) {
            lowest = N;
            for (j = k; j < end; j++)
                if (!done[perm[j]] && perm[j] < lowest)
                    lowest = perm[j];
            w = WSAWaitForMultipleEvents(N, ev, FALSE, WAIT_MS, FALSE);
            ok(w == WSA_WAIT_EVENT_0 + (DWORD)lowest, "batch at %d: WSAWaitForMultipleEvents gave %d, want the "
               "lowest signalled %d", k, (int)(w - WSA_WAIT_EVENT_0), lowest);
            if (w >= WSA_WAIT_EVENT_0 + N)
                break;
            check_completion((int)(w - WSA_WAIT_EVENT_0));
            ndone++;
        }
    }
    ok(ndone == N, "%d of %d receives completed", ndone, N);
    w = WSAWaitForMultipleEvents(N, ev, FALSE, 0, FALSE);
    ok(w == WSA_WAIT_TIMEOUT, "after all: WSAWaitForMultipleEvents gave %u, want WSA_WAIT_TIMEOUT", (unsigned)w);

    for (i = 0; i < N; i++) {
        closesocket(cli[i]);
        closesocket(srv[i]);
        WSACloseEvent(ev[i]);
    }
    tu_check_tcp_pair();
    WSACleanup();
    return test_done();
}
