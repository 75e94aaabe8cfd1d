/* Cancelling overlapped socket operations:
 * - CancelIo cancels the calling thread's pending operations on the handle (receives and sends),
 *   not other threads' ones; it succeeds with nothing to cancel. A cancelled operation completes
 *   normally otherwise: its event is set, Internal is STATUS_CANCELLED, 0 bytes, GetOverlappedResult
 *   gives FALSE with ERROR_OPERATION_ABORTED, WSAGetOverlappedResult FALSE with
 *   WSA_OPERATION_ABORTED, and a completion routine gets WSA_OPERATION_ABORTED at the next
 *   alertable wait;
 * - CancelIoEx(h, ov) cancels exactly that operation (the other one stays pending and later gets
 *   the data), CancelIoEx(h, NULL) every operation on the handle whatever thread issued it, and
 *   with nothing to cancel (nothing pending, an operation already completed, an OVERLAPPED never
 *   used) it fails with ERROR_NOT_FOUND;
 * - a cancelled receive consumes nothing: the socket goes on working, a new receive gets the data;
 * - cancellation and closesocket from another thread wake a thread waiting in
 *   WSAWaitForMultipleEvents on the operation's event;
 * - closesocket (and CloseHandle on the socket) completes every pending operation with an error:
 *   on a connected TCP socket Windows aborts the connection, so a pending receive completes with
 *   STATUS_CONNECTION_ABORTED (ERROR_CONNECTION_ABORTED; WSAECONNABORTED for a routine), and so
 *   do pending sends (inferred, see test_close_pending_send); on a UDP socket a pending
 *   receive completes with STATUS_CANCELLED; WSAGetOverlappedResult on the closed socket fails with
 *   WSAENOTSOCK;
 * - a thread that exits cancels the operations it issued (on a socket not associated with a
 *   completion port; on one that is, nothing: the operation completes through the port) and
 *   nothing else: another thread's receive on the same socket stays pending
 *   and gets the data; a thread that issued nothing and only waited on (and so may have collected)
 *   another thread's completions cancels nothing when it exits.
 * Sources: MS docs CancelIo, CancelIoEx, closesocket, WSARecv (the note on thread exit, the
 * WSA_OPERATION_ABORTED code); Wine dlls/ws2_32/tests/sock.c (test_AcceptEx and
 * test_completion_port: close/CancelIo give ERROR_OPERATION_ABORTED and STATUS_CANCELLED;
 * iocp_async_read_closesocket: a pending WSARecv on a closed connected socket gives
 * ERROR_CONNECTION_ABORTED / STATUS_CONNECTION_ABORTED, also through CloseHandle; test_send_buffering:
 * CancelIoEx with nothing pending gives ERROR_NOT_FOUND while CancelIo succeeds;
 * test_WSAGetOverlappedResult: WSAENOTSOCK for a handle that is not a socket, STATUS_CANCELLED maps
 * to WSA_OPERATION_ABORTED), dlls/ws2_32/tests/afd.c test_recv (closing a UDP socket cancels its
 * pending receive with STATUS_CANCELLED). */
#include "testutil.h"
#include <pthread.h>

struct op {
    WSAOVERLAPPED ov;
    char buf[64];
};

static void init_op(struct op *o)
{
    memset(o, 0, sizeof(*o));
    memset(o->buf, 0xcc, sizeof(o->buf));
    o->ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
}

static void free_op(struct op *o)
{
    CloseHandle(o->ov.hEvent);
}

/* Post an overlapped WSARecv into o->buf; it must go pending. */
#define post_recv(s, o) post_recv_at(__LINE__, s, o)
static void post_recv_at(int line, SOCKET s, struct op *o)
{
    WSABUF wb;
    DWORD flags = 0;
    int ret;
    wb.buf = o->buf;
    wb.len = sizeof(o->buf);
    WSASetLastError(0xdeadbeef);
    ret = WSARecv(s, &wb, 1, NULL, &flags, &o->ov, NULL);
    tu_ok(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, __FILE__, line,
          "WSARecv: ret %d error %d, want SOCKET_ERROR/WSA_IO_PENDING", ret, WSAGetLastError());
}

/* Make `o` a send that is pending with nothing of it transferred: overlapped 256 KiB sends are
 * posted on `first` until one goes pending (the path to the peer, which does not read, is then
 * full), and `o` is posted behind it. */
#define post_blocked_sends(s, first, o) post_blocked_sends_at(__LINE__, s, first, o)
static void post_blocked_sends_at(int line, SOCKET s, struct op *first, struct op *o)
{
    static char big[262144];
    WSABUF wb;
    DWORD bytes;
    int i, ret = 0;
    wb.buf = big;
    wb.len = sizeof(big);
    for (i = 0; i < 512; i++) {
        first->ov.Internal = first->ov.InternalHigh = 0;
        WSASetLastError(0xdeadbeef);
        ret = WSASend(s, &wb, 1, &bytes, 0, &first->ov, NULL);
        if (ret != 0)
            break;
    }
    tu_ok(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, __FILE__, line,
          "filling the path with WSASend: send %d: %d error %d, want SOCKET_ERROR/WSA_IO_PENDING", i, ret,
          WSAGetLastError());
    bytes = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ret = WSASend(s, &wb, 1, &bytes, 0, &o->ov, NULL);
    tu_ok(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, __FILE__, line,
          "WSASend behind a pending send: ret %d error %d, want SOCKET_ERROR/WSA_IO_PENDING", ret, WSAGetLastError());
    tu_ok(bytes == 0xdeadbeef, __FILE__, line, "pending WSASend wrote the count (%u)", (unsigned)bytes);
}

/* The first, partly transferred send of post_blocked_sends completed (cancelled or aborted, with
 * `status`), whatever count it reached. */
#define check_first_send(o, status, what) check_first_send_at(__LINE__, o, status, what)
static void check_first_send_at(int line, struct op *o, ULONG_PTR status, const char *what)
{
    DWORD r = WaitForSingleObject(o->ov.hEvent, 2000);
    tu_ok(r == WAIT_OBJECT_0, __FILE__, line, "%s: event wait %u, want WAIT_OBJECT_0", what, (unsigned)r);
    tu_ok(o->ov.Internal == status, __FILE__, line, "%s: Internal %#llx, want %#llx", what,
          (unsigned long long)o->ov.Internal, (unsigned long long)status);
}

/* The operation completes as cancelled: event set, STATUS_CANCELLED, 0 bytes, ERROR_OPERATION_ABORTED
 * from GetOverlappedResult and WSA_OPERATION_ABORTED from WSAGetOverlappedResult. */
#define check_aborted(s, o, what) check_aborted_at(__LINE__, s, o, what)
static void check_aborted_at(int line, SOCKET s, struct op *o, const char *what)
{
    DWORD r, bytes, flags;
    BOOL b;
    r = WaitForSingleObject(o->ov.hEvent, 2000);
    tu_ok(r == WAIT_OBJECT_0, __FILE__, line, "%s: event wait %u, want WAIT_OBJECT_0", what, (unsigned)r);
    tu_ok(o->ov.Internal == T_STATUS_CANCELLED, __FILE__, line, "%s: Internal %#llx, want STATUS_CANCELLED", what,
          (unsigned long long)o->ov.Internal);
    tu_ok(o->ov.InternalHigh == 0, __FILE__, line, "%s: InternalHigh %llu, want 0", what,
          (unsigned long long)o->ov.InternalHigh);
    bytes = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    b = GetOverlappedResult((HANDLE)s, &o->ov, &bytes, FALSE);
    tu_ok(!b && GetLastError() == ERROR_OPERATION_ABORTED && bytes == 0, __FILE__, line,
          "%s: GetOverlappedResult %d error %d bytes %u, want 0 ERROR_OPERATION_ABORTED 0", what, b,
          (int)GetLastError(), (unsigned)bytes);
    bytes = 0xdeadbeef;
    flags = 0;
    WSASetLastError(0xdeadbeef);
    b = WSAGetOverlappedResult(s, &o->ov, &bytes, FALSE, &flags);
    tu_ok(!b && WSAGetLastError() == WSA_OPERATION_ABORTED && bytes == 0, __FILE__, line,
          "%s: WSAGetOverlappedResult %d error %d bytes %u, want 0 WSA_OPERATION_ABORTED 0", what, b,
          WSAGetLastError(), (unsigned)bytes);
}

/* The operation is still pending: the event stays clear for `ms`, Internal is STATUS_PENDING and
 * WSAGetOverlappedResult without waiting gives WSA_IO_INCOMPLETE. */
#define check_pending(s, o, ms, what) check_pending_at(__LINE__, s, o, ms, what)
static void check_pending_at(int line, SOCKET s, struct op *o, int ms, const char *what)
{
    DWORD r, bytes = 0, flags = 0;
    BOOL b;
    r = WaitForSingleObject(o->ov.hEvent, (DWORD)ms);
    tu_ok(r == WAIT_TIMEOUT, __FILE__, line, "%s: event wait %u, want WAIT_TIMEOUT (still pending)", what,
          (unsigned)r);
    tu_ok(o->ov.Internal == T_STATUS_PENDING, __FILE__, line, "%s: Internal %#llx, want STATUS_PENDING", what,
          (unsigned long long)o->ov.Internal);
    WSASetLastError(0xdeadbeef);
    b = WSAGetOverlappedResult(s, &o->ov, &bytes, FALSE, &flags);
    tu_ok(!b && WSAGetLastError() == WSA_IO_INCOMPLETE, __FILE__, line,
          "%s: WSAGetOverlappedResult %d error %d, want 0 WSA_IO_INCOMPLETE", what, b, WSAGetLastError());
}

/* The receive completes successfully with exactly `data`. */
#define check_got(s, o, data, what) check_got_at(__LINE__, s, o, data, what)
static void check_got_at(int line, SOCKET s, struct op *o, const char *data, const char *what)
{
    DWORD r, bytes = 0xdeadbeef, n = (DWORD)strlen(data);
    BOOL b;
    r = WaitForSingleObject(o->ov.hEvent, 2000);
    tu_ok(r == WAIT_OBJECT_0, __FILE__, line, "%s: event wait %u, want WAIT_OBJECT_0", what, (unsigned)r);
    b = GetOverlappedResult((HANDLE)s, &o->ov, &bytes, FALSE);
    tu_ok(b && bytes == n, __FILE__, line, "%s: GetOverlappedResult %d (error %d) bytes %u, want 1 and %u", what, b,
          (int)GetLastError(), (unsigned)bytes, (unsigned)n);
    tu_ok(!memcmp(o->buf, data, n), __FILE__, line, "%s: received bytes differ", what);
}

/* The buffer of a receive that got nothing is untouched. */
static int untouched(const struct op *o)
{
    size_t i;
    for (i = 0; i < sizeof(o->buf); i++)
        if ((unsigned char)o->buf[i] != 0xcc)
            return 0;
    return 1;
}

#define check_not_found(r, what)                                                                   \
    ok(!(r) && GetLastError() == ERROR_NOT_FOUND, "%s: %d error %d, want 0 ERROR_NOT_FOUND", what, (int)(r), \
       (int)GetLastError())

/* A helper thread that issues a receive, then runs commands from the main thread. */
struct worker {
    SOCKET s;
    struct op o;
    HANDLE cmd, done; /* auto-reset */
    volatile int action; /* 0 exit, 1 CancelIo(s) */
    BOOL cancel_ret;
    pthread_t th;
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    post_recv(w->s, &w->o);
    SetEvent(w->done);
    for (;;) {
        if (WaitForSingleObject(w->cmd, 5000) != WAIT_OBJECT_0 || w->action == 0)
            break;
        w->cancel_ret = CancelIo((HANDLE)w->s);
        SetEvent(w->done);
    }
    return NULL;
}

static void worker_start(struct worker *w, SOCKET s)
{
    memset(w, 0, sizeof(*w));
    w->s = s;
    init_op(&w->o);
    w->cmd = CreateEventA(NULL, FALSE, FALSE, NULL);
    w->done = CreateEventA(NULL, FALSE, FALSE, NULL);
    pthread_create(&w->th, NULL, worker_main, w);
    ok(WaitForSingleObject(w->done, 3000) == WAIT_OBJECT_0, "worker did not post its receive");
}

static void worker_stop(struct worker *w)
{
    w->action = 0;
    SetEvent(w->cmd);
    pthread_join(w->th, NULL);
    CloseHandle(w->cmd);
    CloseHandle(w->done);
    free_op(&w->o);
}

/* CancelIo cancels this thread's receives and send on the handle; the socket keeps working. */
static void test_cancelio_own(void)
{
    SOCKET c, s;
    struct op a, b, first, snd, n;
    BOOL r;

    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: %d", WSAGetLastError());
    init_op(&a);
    init_op(&b);
    init_op(&first);
    init_op(&snd);
    init_op(&n);
    post_recv(s, &a);
    post_recv(s, &b);
    post_blocked_sends(s, &first, &snd);

    SetLastError(0xdeadbeef);
    r = CancelIo((HANDLE)s);
    ok(r, "CancelIo: error %d", (int)GetLastError());
    check_aborted(s, &a, "receive 1");
    check_aborted(s, &b, "receive 2");
    check_aborted(s, &snd, "send");
    check_first_send(&first, T_STATUS_CANCELLED, "partly sent send");
    ok(untouched(&a) && untouched(&b), "a cancelled receive wrote its buffer");

    /* Nothing left: CancelIo still succeeds, CancelIoEx finds nothing. */
    r = CancelIo((HANDLE)s);
    ok(r, "CancelIo with nothing pending: error %d", (int)GetLastError());
#ifdef WS2_URING
    /* Wine 8.0 returns TRUE here; Windows fails with ERROR_NOT_FOUND (MS docs CancelIoEx, and
     * Wine's current sock.c test_send_buffering, not todo_wine). */
    SetLastError(0xdeadbeef);
    r = CancelIoEx((HANDLE)s, NULL);
    check_not_found(r, "CancelIoEx(NULL) after CancelIo");
#endif

    /* The cancelled receives consumed nothing: a new one gets the data. */
    post_recv(s, &n);
    ok(send(c, "data", 4, 0) == 4, "send: %d", WSAGetLastError());
    check_got(s, &n, "data", "receive after CancelIo");

    closesocket(c);
    closesocket(s);
    free_op(&a);
    free_op(&b);
    free_op(&first);
    free_op(&snd);
    free_op(&n);
}

/* CancelIo leaves another thread's operations alone, and that thread's CancelIo leaves ours. */
static void test_cancelio_other_thread(void)
{
    SOCKET c, s;
    struct worker w;
    struct op b, b2;

    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: %d", WSAGetLastError());
    init_op(&b);
    init_op(&b2);
    worker_start(&w, s);
    post_recv(s, &b);

    ok(CancelIo((HANDLE)s), "CancelIo: error %d", (int)GetLastError());
    check_aborted(s, &b, "own receive");
    check_pending(s, &w.o, 200, "other thread's receive after CancelIo");

    post_recv(s, &b2);
    w.action = 1;
    SetEvent(w.cmd);
    ok(WaitForSingleObject(w.done, 3000) == WAIT_OBJECT_0, "worker did not run CancelIo");
    ok(w.cancel_ret, "worker's CancelIo failed");
    check_aborted(s, &w.o, "worker's receive after its CancelIo");
    check_pending(s, &b2, 200, "own receive after the worker's CancelIo");

    ok(send(c, "data", 4, 0) == 4, "send: %d", WSAGetLastError());
    check_got(s, &b2, "data", "own receive");

    worker_stop(&w);
    closesocket(c);
    closesocket(s);
    free_op(&b);
    free_op(&b2);
}

/* CancelIoEx(h, ov) cancels that one operation only; nothing to cancel gives ERROR_NOT_FOUND. */
static void test_cancelioex_one(void)
{
    SOCKET c, s;
    struct op a, b;
    OVERLAPPED never;
    BOOL r;

    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: %d", WSAGetLastError());
    init_op(&a);
    init_op(&b);
    memset(&never, 0, sizeof(never));

#ifdef WS2_URING
    /* Wine 8.0 returns TRUE here (see test_cancelio_own). */
    SetLastError(0xdeadbeef);
    r = CancelIoEx((HANDLE)s, NULL);
    check_not_found(r, "CancelIoEx(NULL) with nothing pending");
#endif
    SetLastError(0xdeadbeef);
    r = CancelIoEx((HANDLE)s, &never);
    check_not_found(r, "CancelIoEx(unused OVERLAPPED) with nothing pending");

    post_recv(s, &a);
    post_recv(s, &b);
    SetLastError(0xdeadbeef);
    r = CancelIoEx((HANDLE)s, &never);
    check_not_found(r, "CancelIoEx(unused OVERLAPPED)");
    check_pending(s, &a, 0, "receive 1 after a CancelIoEx that found nothing");

    r = CancelIoEx((HANDLE)s, &a.ov);
    ok(r, "CancelIoEx(receive 1): error %d", (int)GetLastError());
    check_aborted(s, &a, "receive 1");
    check_pending(s, &b, 200, "receive 2");
    ok(untouched(&a), "the cancelled receive wrote its buffer");

    ok(send(c, "data", 4, 0) == 4, "send: %d", WSAGetLastError());
    check_got(s, &b, "data", "receive 2");
    ok(untouched(&a), "the cancelled receive's buffer was written later");

    SetLastError(0xdeadbeef);
    r = CancelIoEx((HANDLE)s, &a.ov);
    check_not_found(r, "CancelIoEx(cancelled operation)");
    SetLastError(0xdeadbeef);
    r = CancelIoEx((HANDLE)s, &b.ov);
    check_not_found(r, "CancelIoEx(completed operation)");
    ok(b.ov.Internal == 0 && b.ov.InternalHigh == 4, "completed operation changed: Internal %#llx InternalHigh %llu",
       (unsigned long long)b.ov.Internal, (unsigned long long)b.ov.InternalHigh);

    closesocket(c);
    closesocket(s);
    free_op(&a);
    free_op(&b);
}

/* CancelIoEx(h, NULL) cancels every operation on that handle, whichever thread issued it, and
 * nothing on another handle. */
static void test_cancelioex_all(void)
{
    SOCKET c, s, c2, s2;
    struct worker w;
    struct op b, first, snd, other;

    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: %d", WSAGetLastError());
    ok(tu_tcp_pair(&c2, &s2) == 0, "tcp pair 2: %d", WSAGetLastError());
    init_op(&b);
    init_op(&first);
    init_op(&snd);
    init_op(&other);
    worker_start(&w, s);
    post_recv(s, &b);
    post_blocked_sends(s, &first, &snd);
    post_recv(s2, &other);

    ok(CancelIoEx((HANDLE)s, NULL), "CancelIoEx(NULL): error %d", (int)GetLastError());
    check_aborted(s, &w.o, "other thread's receive");
    check_aborted(s, &b, "own receive");
    check_aborted(s, &snd, "own send");
    check_first_send(&first, T_STATUS_CANCELLED, "partly sent send");
    check_pending(s2, &other, 100, "receive on another socket");

    ok(send(c2, "more", 4, 0) == 4, "send: %d", WSAGetLastError());
    check_got(s2, &other, "more", "receive on another socket");

    worker_stop(&w);
    closesocket(c);
    closesocket(s);
    closesocket(c2);
    closesocket(s2);
    free_op(&b);
    free_op(&first);
    free_op(&snd);
    free_op(&other);
}

struct remote {
    SOCKET s;
    OVERLAPPED *ov;
    int how; /* 0 CancelIoEx(ov), 1 CancelIoEx(NULL), 2 closesocket */
    int ret;
    int err;
};

static void *remote_thread(void *arg)
{
    struct remote *r = arg;
    tu_sleep_ms(100);
    SetLastError(0xdeadbeef);
    if (r->how == 2) {
        r->ret = closesocket(r->s);
        r->err = WSAGetLastError();
    } else {
        r->ret = CancelIoEx((HANDLE)r->s, r->how == 0 ? r->ov : NULL);
        r->err = (int)GetLastError();
    }
    return NULL;
}

/* Another thread cancels (or closes) while this one waits in WSAWaitForMultipleEvents: the wait
 * returns with the operation's event signalled and the operation aborted. */
static void test_cancel_while_waiting(void)
{
    SOCKET c, s;
    struct op a;
    struct remote rm;
    pthread_t th;
    DWORD r, bytes;
    BOOL b;
    unsigned long long t0, el;
    int how;

    for (how = 0; how < 3; how++) {
        ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: %d", WSAGetLastError());
        init_op(&a);
        post_recv(s, &a);
        rm.s = s;
        rm.ov = &a.ov;
        rm.how = how;
        rm.ret = -2;
        rm.err = 0;
        pthread_create(&th, NULL, remote_thread, &rm);
        t0 = tu_now_ms();
        r = WSAWaitForMultipleEvents(1, &a.ov.hEvent, FALSE, 3000, FALSE);
        el = tu_now_ms() - t0;
        pthread_join(th, NULL);
        ok(r == WSA_WAIT_EVENT_0, "how %d: WSAWaitForMultipleEvents %u, want WSA_WAIT_EVENT_0", how, (unsigned)r);
        ok(el >= 80, "how %d: the wait returned after %llu ms, before the other thread acted", how, el);
        if (how < 2) {
            ok(rm.ret == TRUE, "how %d: the other thread's CancelIoEx: %d error %d", how, rm.ret, rm.err);
            check_aborted(s, &a, how == 0 ? "receive cancelled by CancelIoEx(ov)" : "receive cancelled by CancelIoEx(NULL)");
            closesocket(s);
        } else {
            ok(rm.ret == 0, "the other thread's closesocket: %d error %d", rm.ret, rm.err);
            bytes = 0xdeadbeef;
            SetLastError(0xdeadbeef);
            b = GetOverlappedResult((HANDLE)s, &a.ov, &bytes, FALSE);
            ok(!b && bytes == 0, "receive on a socket closed by another thread: %d bytes %u, want 0 and 0", b,
               (unsigned)bytes);
#ifdef WS2_URING
            /* Windows: STATUS_CONNECTION_ABORTED (sock.c iocp_async_read_thread_closesocket, todo_wine
             * there; Wine 8.0 gives STATUS_HANDLES_CLOSED). */
            ok(GetLastError() == ERROR_CONNECTION_ABORTED, "closed by another thread: error %d, want ERROR_CONNECTION_ABORTED",
               (int)GetLastError());
            ok(a.ov.Internal == T_STATUS_CONNECTION_ABORTED, "closed by another thread: Internal %#llx, want STATUS_CONNECTION_ABORTED",
               (unsigned long long)a.ov.Internal);
#endif
        }
        closesocket(c);
        free_op(&a);
    }
}

static SOCKET udp_bound(void)
{
    struct sockaddr_in a;
    return tu_udp_socket(&a);
}

static int routine_calls;
static DWORD routine_err, routine_bytes;
static LPWSAOVERLAPPED routine_ov;

static void CALLBACK routine(DWORD err, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)flags;
    routine_calls++;
    routine_err = err;
    routine_bytes = bytes;
    routine_ov = ov;
}

/* closesocket / CloseHandle with receives pending: each completes with an error (the event is
 * set, the routine runs), nothing is transferred. The OVERLAPPEDs are static so that a late
 * completion can never write into a dead stack frame. */
static void test_close_pending(void)
{
    static struct op a, ro, uo;
    SOCKET c, s, u;
    WSABUF wb;
    DWORD r, bytes, flags = 0;
    BOOL b;
    int ret, how;

    for (how = 0; how < 2; how++) {
        const char *name = how ? "CloseHandle" : "closesocket";
        ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: %d", WSAGetLastError());
        init_op(&a);
        memset(&ro, 0, sizeof(ro));
        post_recv(s, &a);
        wb.buf = ro.buf;
        wb.len = sizeof(ro.buf);
        ret = WSARecv(s, &wb, 1, NULL, &flags, &ro.ov, routine);
        ok(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "WSARecv with a routine: %d error %d", ret,
           WSAGetLastError());
        routine_calls = 0;

        if (how == 0)
            ok(closesocket(s) == 0, "closesocket: %d", WSAGetLastError());
        else
            ok(CloseHandle((HANDLE)s), "CloseHandle(socket): error %d", (int)GetLastError());

        r = WaitForSingleObject(a.ov.hEvent, 2000);
        ok(r == WAIT_OBJECT_0, "%s: receive event wait %u", name, (unsigned)r);
        bytes = 0xdeadbeef;
        SetLastError(0xdeadbeef);
        b = GetOverlappedResult((HANDLE)s, &a.ov, &bytes, FALSE);
        ok(!b && bytes == 0, "%s: pending receive completed with %d, %u bytes; want an error and 0", name, b,
           (unsigned)bytes);
        ok(a.ov.InternalHigh == 0, "%s: receive InternalHigh %llu", name, (unsigned long long)a.ov.InternalHigh);
        ok(untouched(&a), "%s: the aborted receive wrote its buffer", name);
#ifdef WS2_URING
        /* Windows aborts the connection: STATUS_CONNECTION_ABORTED (sock.c iocp_async_read_closesocket,
         * closesocket and CloseHandle alike, todo_wine there: Wine 8.0 gives STATUS_HANDLES_CLOSED). */
        ok(GetLastError() == ERROR_CONNECTION_ABORTED, "%s: receive error %d, want ERROR_CONNECTION_ABORTED", name,
           (int)GetLastError());
        ok(a.ov.Internal == T_STATUS_CONNECTION_ABORTED, "%s: receive Internal %#llx, want STATUS_CONNECTION_ABORTED",
           name, (unsigned long long)a.ov.Internal);
#endif

        r = SleepEx(2000, TRUE);
        ok(r == WAIT_IO_COMPLETION, "%s: SleepEx for the routine: %u, want WAIT_IO_COMPLETION", name, (unsigned)r);
        ok(routine_calls == 1, "%s: routine ran %d times, want 1", name, routine_calls);
        ok(routine_ov == &ro.ov && routine_bytes == 0 && routine_err != 0,
           "%s: routine got ov %p bytes %u error %u, want %p, 0 and an error", name, (void *)routine_ov,
           (unsigned)routine_bytes, (unsigned)routine_err, (void *)&ro.ov);
#ifdef WS2_URING
        /* The routine gets the Winsock form of the status. */
        ok(routine_err == WSAECONNABORTED, "%s: routine dwError %u, want WSAECONNABORTED", name,
           (unsigned)routine_err);
#endif

        if (how == 0) {
            /* The socket is gone: WSAGetOverlappedResult rejects the handle. */
            bytes = 0xdeadbeef;
            WSASetLastError(0xdeadbeef);
            b = WSAGetOverlappedResult(s, &a.ov, &bytes, FALSE, &flags);
            ok(!b && WSAGetLastError() == WSAENOTSOCK,
               "WSAGetOverlappedResult on the closed socket: %d error %d, want 0 WSAENOTSOCK", b, WSAGetLastError());
        }
        closesocket(c);
        free_op(&a);
    }

    /* UDP: closing cancels the pending receive (STATUS_CANCELLED). */
    u = udp_bound();
    init_op(&uo);
    post_recv(u, &uo);
    ok(closesocket(u) == 0, "closesocket(udp): %d", WSAGetLastError());
    r = WaitForSingleObject(uo.ov.hEvent, 2000);
    ok(r == WAIT_OBJECT_0, "udp: receive event wait %u", (unsigned)r);
    bytes = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    b = GetOverlappedResult((HANDLE)u, &uo.ov, &bytes, FALSE);
    ok(!b && bytes == 0, "udp: pending receive completed with %d, %u bytes; want an error and 0", b, (unsigned)bytes);
#ifdef WS2_URING
    /* afd.c test_recv: todo_wine ok(io.Status == STATUS_CANCELLED) on closing a UDP socket (Wine 8.0
     * gives STATUS_HANDLES_CLOSED). */
    ok(GetLastError() == ERROR_OPERATION_ABORTED, "udp: error %d, want ERROR_OPERATION_ABORTED", (int)GetLastError());
    ok(uo.ov.Internal == T_STATUS_CANCELLED, "udp: Internal %#llx, want STATUS_CANCELLED",
       (unsigned long long)uo.ov.Internal);
#endif
    free_op(&uo);
}

/* closesocket with sends pending (the path to the peer full) and a receive: they all complete with
 * an error, the send queued behind with 0 bytes. MS docs closesocket: pending sends are cancelled
 * like receives; the status is the connection abort that sock.c pins for the receive. */
static void test_close_pending_send(void)
{
    static struct op first, snd, a;
    SOCKET c, s;
    DWORD r, bytes;
    BOOL b;

    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: %d", WSAGetLastError());
    init_op(&first);
    init_op(&snd);
    init_op(&a);
    post_recv(s, &a);
    post_blocked_sends(s, &first, &snd);
    ok(closesocket(s) == 0, "closesocket: %d", WSAGetLastError());

    r = WaitForSingleObject(snd.ov.hEvent, 2000);
    ok(r == WAIT_OBJECT_0, "send event wait %u", (unsigned)r);
    bytes = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    b = GetOverlappedResult((HANDLE)s, &snd.ov, &bytes, FALSE);
    ok(!b && bytes == 0 && snd.ov.InternalHigh == 0,
       "pending send at closesocket: %d bytes %u InternalHigh %llu, want an error and 0", b, (unsigned)bytes,
       (unsigned long long)snd.ov.InternalHigh);
    r = WaitForSingleObject(first.ov.hEvent, 2000);
    ok(r == WAIT_OBJECT_0, "partly sent send: event wait %u", (unsigned)r);
    ok(first.ov.Internal != T_STATUS_PENDING && first.ov.Internal != 0, "partly sent send: Internal %#llx",
       (unsigned long long)first.ov.Internal);
    r = WaitForSingleObject(a.ov.hEvent, 2000);
    ok(r == WAIT_OBJECT_0, "receive event wait %u", (unsigned)r);
    ok(a.ov.Internal != T_STATUS_PENDING && a.ov.Internal != 0 && a.ov.InternalHigh == 0,
       "pending receive beside the sends: Internal %#llx InternalHigh %llu, want an error and 0",
       (unsigned long long)a.ov.Internal, (unsigned long long)a.ov.InternalHigh);
#ifdef WS2_URING
    /* Wine 8.0 completes the sends with STATUS_OBJECT_TYPE_MISMATCH and the receive with
     * STATUS_HANDLES_CLOSED. */
    ok(GetLastError() == ERROR_CONNECTION_ABORTED, "pending send at closesocket: error %d, want ERROR_CONNECTION_ABORTED",
       (int)GetLastError());
    ok(snd.ov.Internal == T_STATUS_CONNECTION_ABORTED, "pending send at closesocket: Internal %#llx, want STATUS_CONNECTION_ABORTED",
       (unsigned long long)snd.ov.Internal);
    ok(first.ov.Internal == T_STATUS_CONNECTION_ABORTED, "partly sent send at closesocket: Internal %#llx, want STATUS_CONNECTION_ABORTED",
       (unsigned long long)first.ov.Internal);
    ok(a.ov.Internal == T_STATUS_CONNECTION_ABORTED, "receive beside the sends: Internal %#llx, want STATUS_CONNECTION_ABORTED",
       (unsigned long long)a.ov.Internal);
#endif

    closesocket(c);
    free_op(&first);
    free_op(&snd);
    free_op(&a);
}

struct exiter {
    SOCKET s;
    struct op o;
    int ret, err;
};

static void *exiting_thread(void *arg)
{
    struct exiter *e = arg;
    WSABUF wb;
    DWORD flags = 0;
    wb.buf = e->o.buf;
    wb.len = sizeof(e->o.buf);
    e->ret = WSARecv(e->s, &wb, 1, NULL, &flags, &e->o.ov, NULL);
    e->err = WSAGetLastError();
    return NULL; /* the thread exits with its receive pending */
}

/* A thread that exits cancels the operations it issued (the socket has no completion port) and
 * nothing else: this thread's receive on the same socket stays pending and gets the data. */
static void test_thread_exit(void)
{
    SOCKET c, s;
    struct exiter e;
    struct op b;
    pthread_t th;

    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: %d", WSAGetLastError());
    init_op(&b);
    post_recv(s, &b);
    memset(&e, 0, sizeof(e));
    e.s = s;
    init_op(&e.o);
    pthread_create(&th, NULL, exiting_thread, &e);
    pthread_join(th, NULL);
    ok(e.ret == SOCKET_ERROR && e.err == WSA_IO_PENDING, "exiting thread's WSARecv: %d error %d", e.ret, e.err);

    /* MS docs WSARecv: "All I/O initiated by a given thread is canceled when that thread exits."
     * (Since Vista an operation on a handle associated with a completion port is not: sock.c
     * iocp_async_read_thread; this socket has none.) */
    check_aborted(s, &e.o, "receive of the exited thread");
    check_pending(s, &b, 200, "receive of this thread after the other thread exited");

    ok(send(c, "data", 4, 0) == 4, "send: %d", WSAGetLastError());
    check_got(s, &b, "data", "receive of this thread");
    ok(untouched(&e.o), "the exited thread's receive took data");

    closesocket(c);
    closesocket(s);
    free_op(&b);
    free_op(&e.o);
}

/* On a socket associated with a completion port a thread's exit cancels nothing (Windows since
 * Vista; sock.c iocp_async_read_thread): the exited thread's receive stays pending and its packet
 * comes through the port when data arrives. */
static void test_thread_exit_port(void)
{
    SOCKET c, s;
    struct exiter e;
    pthread_t th;
    HANDLE port;
    DWORD bytes = 0xdeadbeef;
    ULONG_PTR key = 0;
    OVERLAPPED *ov = (OVERLAPPED *)1;
    BOOL b;

    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: %d", WSAGetLastError());
    port = CreateIoCompletionPort((HANDLE)s, NULL, 0x1234, 0);
    ok(port != NULL, "CreateIoCompletionPort: %lu", (unsigned long)GetLastError());
    memset(&e, 0, sizeof(e));
    e.s = s;
    init_op(&e.o);
    pthread_create(&th, NULL, exiting_thread, &e);
    pthread_join(th, NULL);
    ok(e.ret == SOCKET_ERROR && e.err == WSA_IO_PENDING, "exiting thread's WSARecv: %d error %d", e.ret, e.err);

    if (tu_on_wine()) {
        /* Wine 8.0 still cancels it at the thread's exit (Windows XP's behaviour). */
        CloseHandle(port);
        closesocket(c);
        closesocket(s);
        free_op(&e.o);
        return;
    }
    SetLastError(0xdeadbeef);
    b = GetQueuedCompletionStatus(port, &bytes, &key, &ov, 200);
    ok(!b && GetLastError() == WAIT_TIMEOUT && ov == NULL,
       "port after the thread exited: %d error %lu ov %p, want FALSE WAIT_TIMEOUT NULL", b,
       (unsigned long)GetLastError(), (void *)ov);
    ok(e.o.ov.Internal == T_STATUS_PENDING, "Internal %#llx, want STATUS_PENDING",
       (unsigned long long)e.o.ov.Internal);

    ok(send(c, "data", 4, 0) == 4, "send: %d", WSAGetLastError());
    b = GetQueuedCompletionStatus(port, &bytes, &key, &ov, 2000);
    ok(b && bytes == 4 && key == 0x1234 && ov == &e.o.ov,
       "exited thread's receive: %d error %lu bytes %lu key %#lx ov %p, want TRUE 4 0x1234 %p", b,
       (unsigned long)GetLastError(), (unsigned long)bytes, (unsigned long)key, (void *)ov, (void *)&e.o.ov);
    ok(!memcmp(e.o.buf, "data", 4), "received bytes differ");

    closesocket(c);
    closesocket(s);
    CloseHandle(port);
    free_op(&e.o);
}

/* A thread that issued nothing only waits on the first of two receives this thread issued on
 * one socket, then exits. Its exit cancels nothing: the second receive, which the library may
 * have started in the kernel while the waiting thread collected the first one's completion,
 * stays pending and gets the next data. */
struct bystander {
    HANDLE ev;
    DWORD r;
};

static void *bystander_thread(void *arg)
{
    struct bystander *b = arg;
    b->r = WaitForSingleObject(b->ev, 3000);
    return NULL;
}

static void test_thread_exit_bystander(void)
{
    SOCKET c, s;
    struct op first, second;
    struct bystander by;
    pthread_t th;
    int round;

    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: %d", WSAGetLastError());
    for (round = 0; round < 3; round++) {
        init_op(&first);
        init_op(&second);
        post_recv(s, &first);
        post_recv(s, &second);
        by.ev = first.ov.hEvent;
        by.r = 0xdeadbeef;
        pthread_create(&th, NULL, bystander_thread, &by);
        tu_sleep_ms(50);
        ok(send(c, "a", 1, 0) == 1, "send: %d", WSAGetLastError());
        pthread_join(th, NULL);
        ok(by.r == WAIT_OBJECT_0, "round %d: the waiting thread saw %u", round, (unsigned)by.r);
        check_got(s, &first, "a", "first receive");
        tu_sleep_ms(50);
        check_pending(s, &second, 50, "second receive after the waiting thread exited");
        ok(send(c, "bc", 2, 0) == 2, "send: %d", WSAGetLastError());
        check_got(s, &second, "bc", "second receive after the waiting thread exited");
        free_op(&first);
        free_op(&second);
    }
    closesocket(c);
    closesocket(s);
}

/* A cancelled operation with a completion routine: the routine runs at the next alertable wait
 * with WSA_OPERATION_ABORTED and 0 bytes. */
static void test_cancel_routine(void)
{
    SOCKET c, s;
    struct op o;
    WSABUF wb;
    DWORD flags = 0, r;
    int ret;

    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: %d", WSAGetLastError());
    memset(&o, 0, sizeof(o));
    wb.buf = o.buf;
    wb.len = sizeof(o.buf);
    ret = WSARecv(s, &wb, 1, NULL, &flags, &o.ov, routine);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "WSARecv with a routine: %d error %d", ret,
       WSAGetLastError());
    routine_calls = 0;
    ok(CancelIo((HANDLE)s), "CancelIo: error %d", (int)GetLastError());
    ok(routine_calls == 0, "the routine ran inside CancelIo");
    r = SleepEx(2000, TRUE);
    ok(r == WAIT_IO_COMPLETION, "SleepEx: %u, want WAIT_IO_COMPLETION", (unsigned)r);
    ok(routine_calls == 1, "routine ran %d times, want 1", routine_calls);
    ok(routine_err == WSA_OPERATION_ABORTED && routine_bytes == 0 && routine_ov == &o.ov,
       "routine got error %u bytes %u ov %p, want WSA_OPERATION_ABORTED 0 %p", (unsigned)routine_err,
       (unsigned)routine_bytes, (void *)routine_ov, (void *)&o.ov);
    ok(o.ov.Internal == T_STATUS_CANCELLED && o.ov.InternalHigh == 0, "Internal %#llx InternalHigh %llu, want STATUS_CANCELLED 0",
       (unsigned long long)o.ov.Internal, (unsigned long long)o.ov.InternalHigh);
    closesocket(c);
    closesocket(s);
}

int main(void)
{
    tu_startup();
    test_cancelio_own();
    test_cancelio_other_thread();
    test_cancelioex_one();
    test_cancelioex_all();
    test_cancel_while_waiting();
    test_close_pending();
    test_close_pending_send();
    test_thread_exit();
    test_thread_exit_port();
    test_thread_exit_bystander();
    test_cancel_routine();
    tu_check_tcp_pair();
    WSACleanup();
    return test_done();
}
