/* Completion routines of overlapped WSARecv/WSASend and the alertable waits that run them:
 * - a routine is queued to the issuing thread and runs only when that thread enters an alertable
 *   wait: not in Sleep, WaitForSingleObject, WSAWaitForMultipleEvents(..., FALSE), nor in another
 *   thread's alertable waits; Internal/InternalHigh are final before it runs;
 * - SleepEx(..., TRUE), WaitForSingleObjectEx/WaitForMultipleObjectsEx(..., TRUE) and
 *   WSAWaitForMultipleEvents(..., TRUE) run every queued routine (and QueueUserAPC functions), in
 *   the order they were queued, then return WAIT_IO_COMPLETION / WSA_WAIT_IO_COMPLETION; an
 *   alertable wait that is already waiting when the operation completes returns the same way;
 * - the routine's arguments: dwError 0, the byte count, the very lpOverlapped, dwFlags 0; on a
 *   reset dwError is WSAECONNRESET (the Winsock form of STATUS_CONNECTION_RESET, while
 *   GetOverlappedResult gives ERROR_NETNAME_DELETED); a graceful close gives 0 and 0 bytes;
 * - an operation that completes at once (data already there, a send with buffer room) returns 0
 *   and still queues its routine;
 * - hEvent is left alone when a routine is given: a manual event in it stays non-signalled, and
 *   any other value in it (user data) reaches the routine unchanged;
 * - a blocking WSARecv/recv on the issuing thread runs queued routines while it waits, and then
 *   goes on waiting for its own data; one that finds data at once runs none.
 * Sources: MS docs WSARecv (completion routine section, return value, the note on alertable waits
 * in blocking calls), WSASend; Wine dlls/ws2_32/tests/sock.c test_WSARecv (routine not run until
 * SleepEx, event left alone, blocking WSARecv runs an APC while it waits but not when it completes
 * at once), test_get_interface_list / test_address_list_query (immediate completion still queues
 * the APC, the APC's dwError is the Winsock mapping of the status), test_tcp_reset (reset
 * status), test_shutdown (graceful close completes with 0 bytes). */
#include "testutil.h"
#include <pthread.h>

/* An overlapped operation: the OVERLAPPED first, so the routine can find its tag. */
struct op {
    WSAOVERLAPPED ov;
    int tag;
};

/* One recorded call of the completion routine (or of an APC function, err = bytes = 0). */
struct call {
    int tag;
    DWORD err, bytes, flags, tid;
    LPWSAOVERLAPPED ov;
    HANDLE hevent; /* lpOverlapped->hEvent as the routine saw it */
};

#define MAX_CALLS 16
static pthread_mutex_t calls_lock = PTHREAD_MUTEX_INITIALIZER;
static struct call calls[MAX_CALLS];
static int ncalls;
static HANDLE ran_event; /* set by the routine when not NULL */

static void reset_calls(void)
{
    pthread_mutex_lock(&calls_lock);
    memset(calls, 0, sizeof(calls));
    ncalls = 0;
    pthread_mutex_unlock(&calls_lock);
}

static int calls_count(void)
{
    int n;
    pthread_mutex_lock(&calls_lock);
    n = ncalls;
    pthread_mutex_unlock(&calls_lock);
    return n;
}

static void CALLBACK routine(DWORD err, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    pthread_mutex_lock(&calls_lock);
    if (ncalls < MAX_CALLS) {
        struct call *c = &calls[ncalls];
        c->tag = ((struct op *)ov)->tag;
        c->err = err;
        c->bytes = bytes;
        c->flags = flags;
        c->tid = GetCurrentThreadId();
        c->ov = ov;
        c->hevent = ov->hEvent;
    }
    ncalls++;
    pthread_mutex_unlock(&calls_lock);
    if (ran_event)
        SetEvent(ran_event);
}

static void CALLBACK apc_func(ULONG_PTR data)
{
    pthread_mutex_lock(&calls_lock);
    if (ncalls < MAX_CALLS) {
        calls[ncalls].tag = (int)data;
        calls[ncalls].tid = GetCurrentThreadId();
    }
    ncalls++;
    pthread_mutex_unlock(&calls_lock);
}

/* Check the one recorded call `i` at the caller's line. */
#define check_call(i, tag_, err_, bytes_, ov_)                                                     \
    do {                                                                                           \
        const struct call *c_ = &calls[i];                                                         \
        ok(c_->tag == (tag_), "call %d: tag %d, want %d", (i), c_->tag, (tag_));                   \
        ok(c_->err == (DWORD)(err_), "call %d: dwError %u, want %u", (i), (unsigned)c_->err,       \
           (unsigned)(err_));                                                                      \
        ok(c_->bytes == (DWORD)(bytes_), "call %d: cbTransferred %u, want %u", (i),                \
           (unsigned)c_->bytes, (unsigned)(bytes_));                                               \
        ok(c_->ov == (ov_), "call %d: lpOverlapped %p, want %p", (i), (void *)c_->ov, (void *)(ov_)); \
        ok(c_->flags == 0, "call %d: dwFlags %#x, want 0", (i), (unsigned)c_->flags);              \
    } while (0)

/* Post an overlapped WSARecv with the routine; it must go pending. */
#define post_recv(s, o, buf, len) post_recv_at(__LINE__, s, o, buf, len)
static void post_recv_at(int line, SOCKET s, struct op *o, char *buf, u_long len)
{
    WSABUF wb;
    DWORD flags = 0, bytes = 0xdeadbeef;
    int ret;
    wb.len = len;
    wb.buf = buf;
    WSASetLastError(0xdeadbeef);
    ret = WSARecv(s, &wb, 1, &bytes, &flags, &o->ov, routine);
    tu_ok(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, __FILE__, line,
          "WSARecv with a routine: ret %d error %d, want SOCKET_ERROR/WSA_IO_PENDING", ret,
          WSAGetLastError());
    /* A pending call leaves the count alone. */
    tu_ok(bytes == 0xdeadbeef, __FILE__, line, "pending WSARecv wrote the count (%u)", (unsigned)bytes);
    tu_ok(o->ov.Internal == T_STATUS_PENDING, __FILE__, line, "Internal %#llx while pending",
          (unsigned long long)o->ov.Internal);
}

static void init_op(struct op *o, int tag, HANDLE hevent)
{
    memset(o, 0, sizeof(*o));
    o->tag = tag;
    o->ov.hEvent = hevent;
}

/* Nothing is queued for this thread: a zero alertable sleep returns 0 and runs nothing. */
#define check_nothing_queued() check_nothing_queued_at(__LINE__)
static void check_nothing_queued_at(int line)
{
    int before = calls_count();
    DWORD r = SleepEx(0, TRUE);
    tu_ok(r == 0, __FILE__, line, "SleepEx(0, TRUE) with nothing queued: %u, want 0", (unsigned)r);
    tu_ok(calls_count() == before, __FILE__, line, "SleepEx(0, TRUE) ran %d routines",
          calls_count() - before);
}

/* The routine is not run until the issuing thread waits alertably; then it runs once, with the
 * Windows arguments, and the event in hEvent is never touched. */
static void test_not_run_until_alertable(void)
{
    SOCKET c, s;
    struct op o;
    char buf[16];
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    DWORD r, bytes, flags;
    unsigned long long t0;
    BOOL b;

    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: %d", WSAGetLastError());
    reset_calls();
    init_op(&o, 1, ev);
    memset(buf, 0, sizeof(buf));
    post_recv(s, &o, buf, sizeof(buf));
    check_nothing_queued();

    ok(send(c, "hello", 5, 0) == 5, "send: %d", WSAGetLastError());
    Sleep(200); /* not alertable: the data arrives, the routine waits */
    ok(calls_count() == 0, "routine ran in a non-alertable Sleep (%d calls)", calls_count());
    /* The result is in the OVERLAPPED before the routine runs. */
    ok(o.ov.Internal == 0, "Internal %#llx after completion, want 0", (unsigned long long)o.ov.Internal);
    ok(o.ov.InternalHigh == 5, "InternalHigh %llu, want 5", (unsigned long long)o.ov.InternalHigh);
    ok(HasOverlappedIoCompleted(&o.ov), "HasOverlappedIoCompleted false after completion");

    r = WaitForSingleObject(ev, 100); /* non-alertable wait: runs nothing */
    ok(r == WAIT_TIMEOUT, "event in hEvent: wait %u, want WAIT_TIMEOUT", (unsigned)r);
    ok(calls_count() == 0, "routine ran in WaitForSingleObject (%d calls)", calls_count());
    r = WSAWaitForMultipleEvents(1, &ev, FALSE, 100, FALSE);
    ok(r == WSA_WAIT_TIMEOUT, "non-alertable WSAWaitForMultipleEvents: %u, want WSA_WAIT_TIMEOUT", (unsigned)r);
    ok(calls_count() == 0, "routine ran in a non-alertable WSAWaitForMultipleEvents (%d calls)", calls_count());

    t0 = tu_now_ms();
    r = SleepEx(2000, TRUE);
    ok(r == WAIT_IO_COMPLETION, "SleepEx(2000, TRUE): %u, want WAIT_IO_COMPLETION", (unsigned)r);
    ok(tu_now_ms() - t0 < 1500, "SleepEx waited %llu ms with a routine queued", tu_now_ms() - t0);
    ok(calls_count() == 1, "routine ran %d times, want 1", calls_count());
    check_call(0, 1, 0, 5, &o.ov);
    ok(calls[0].tid == GetCurrentThreadId(), "routine ran on thread %u, want %u", (unsigned)calls[0].tid,
       (unsigned)GetCurrentThreadId());
    ok(calls[0].hevent == ev, "routine saw hEvent %p, want %p", calls[0].hevent, ev);
    ok(!memcmp(buf, "hello", 5), "received bytes differ");
    ok(o.ov.hEvent == ev, "hEvent changed to %p", o.ov.hEvent);
    r = WaitForSingleObject(ev, 0);
    ok(r == WAIT_TIMEOUT, "event in hEvent signalled by a routine completion (%u)", (unsigned)r);
    check_nothing_queued(); /* it runs once */

    bytes = 0xdeadbeef;
    flags = 0xdeadbeef;
    b = WSAGetOverlappedResult(s, &o.ov, &bytes, FALSE, &flags);
    ok(b == TRUE && bytes == 5 && flags == 0, "WSAGetOverlappedResult: %d bytes %u flags %#x, want 1 5 0",
       b, (unsigned)bytes, (unsigned)flags);

    closesocket(c);
    closesocket(s);
    CloseHandle(ev);
}

struct sender {
    SOCKET s;
    int delay_ms;
    const char *data;
    int len;
    int sent;
};

static void *sender_thread(void *arg)
{
    struct sender *d = arg;
    tu_sleep_ms(d->delay_ms);
    d->sent = send(d->s, d->data, d->len, 0);
    return NULL;
}

/* Each alertable wait returns WAIT_IO_COMPLETION (WSA_WAIT_IO_COMPLETION) after running the
 * routines; the object it waited on stays unsignalled. Also when the operation completes while
 * the thread is already in the wait. */
static void test_alertable_waits(void)
{
    SOCKET c, s;
    struct op o;
    char buf[16];
    HANDLE other = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE two[2];
    DWORD r;
    int k;
    unsigned long long t0, el;

    two[0] = other;
    two[1] = CreateEventA(NULL, FALSE, FALSE, NULL);
    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: %d", WSAGetLastError());

    for (k = 0; k < 4; k++) {
        reset_calls();
        init_op(&o, 10 + k, NULL);
        post_recv(s, &o, buf, sizeof(buf));
        ok(send(c, "abc", 3, 0) == 3, "send: %d", WSAGetLastError());
        Sleep(100);
        ok(calls_count() == 0, "wait %d: routine ran before the alertable wait", k);
        switch (k) {
        case 0:
            r = WSAWaitForMultipleEvents(1, &other, FALSE, 2000, TRUE);
            ok(r == WSA_WAIT_IO_COMPLETION, "WSAWaitForMultipleEvents alertable: %u, want WSA_WAIT_IO_COMPLETION",
               (unsigned)r);
            break;
        case 1:
            r = WaitForSingleObjectEx(other, 2000, TRUE);
            ok(r == WAIT_IO_COMPLETION, "WaitForSingleObjectEx alertable: %u, want WAIT_IO_COMPLETION", (unsigned)r);
            break;
        case 2:
            r = WaitForMultipleObjectsEx(2, two, FALSE, 2000, TRUE);
            ok(r == WAIT_IO_COMPLETION, "WaitForMultipleObjectsEx alertable: %u, want WAIT_IO_COMPLETION",
               (unsigned)r);
            break;
        default:
            r = WSAWaitForMultipleEvents(2, two, TRUE, 2000, TRUE);
            ok(r == WSA_WAIT_IO_COMPLETION, "WSAWaitForMultipleEvents(fWaitAll) alertable: %u", (unsigned)r);
            break;
        }
        ok(calls_count() == 1, "wait %d: %d routine calls, want 1", k, calls_count());
        check_call(0, 10 + k, 0, 3, &o.ov);
        ok(WaitForSingleObject(other, 0) == WAIT_TIMEOUT, "wait %d: the waited event became signalled", k);
    }

    /* Already waiting when the data comes: the wait returns as soon as the routine has run. */
    {
        struct sender d;
        pthread_t th;
        reset_calls();
        init_op(&o, 20, NULL);
        post_recv(s, &o, buf, sizeof(buf));
        d.s = c;
        d.delay_ms = 150;
        d.data = "wxyz";
        d.len = 4;
        d.sent = -2;
        pthread_create(&th, NULL, sender_thread, &d);
        t0 = tu_now_ms();
        r = WSAWaitForMultipleEvents(1, &other, FALSE, 3000, TRUE);
        el = tu_now_ms() - t0;
        pthread_join(th, NULL);
        ok(d.sent == 4, "sender thread: send %d", d.sent);
        ok(r == WSA_WAIT_IO_COMPLETION, "WSAWaitForMultipleEvents waiting at completion: %u", (unsigned)r);
        ok(el >= 100 && el < 2500, "WSAWaitForMultipleEvents returned after %llu ms, want ~150", el);
        ok(calls_count() == 1, "%d routine calls, want 1", calls_count());
        check_call(0, 20, 0, 4, &o.ov);
        ok(!memcmp(buf, "wxyz", 4), "received bytes differ");

        reset_calls();
        init_op(&o, 21, NULL);
        post_recv(s, &o, buf, sizeof(buf));
        d.delay_ms = 150;
        d.data = "12345";
        d.len = 5;
        d.sent = -2;
        pthread_create(&th, NULL, sender_thread, &d);
        t0 = tu_now_ms();
        r = SleepEx(3000, TRUE);
        el = tu_now_ms() - t0;
        pthread_join(th, NULL);
        ok(r == WAIT_IO_COMPLETION, "SleepEx waiting at completion: %u", (unsigned)r);
        ok(el >= 100 && el < 2500, "SleepEx returned after %llu ms, want ~150", el);
        ok(calls_count() == 1, "%d routine calls, want 1", calls_count());
        check_call(0, 21, 0, 5, &o.ov);
    }

    /* Nothing queued: the alertable waits time out normally. */
    r = WSAWaitForMultipleEvents(1, &other, FALSE, 50, TRUE);
    ok(r == WSA_WAIT_TIMEOUT, "alertable WSAWaitForMultipleEvents with nothing queued: %u", (unsigned)r);
    r = SleepEx(50, TRUE);
    ok(r == 0, "SleepEx(50, TRUE) with nothing queued: %u", (unsigned)r);

    closesocket(c);
    closesocket(s);
    CloseHandle(other);
    CloseHandle(two[1]);
}

/* Several queued routines (and a QueueUserAPC function) all run in one alertable wait, in the
 * order they were queued, i.e. the order the operations completed. */
static void test_order(void)
{
    SOCKET c[3], s[3];
    struct op o[4];
    char buf[3][16];
    WSABUF wb;
    DWORD r, bytes;
    int i, ret;

    reset_calls();
    for (i = 0; i < 3; i++) {
        ok(tu_tcp_pair(&c[i], &s[i]) == 0, "tcp pair %d: %d", i, WSAGetLastError());
        init_op(&o[i], i, NULL);
        post_recv(s[i], &o[i], buf[i], sizeof(buf[i]));
    }
    /* Completion order: recv 2, the APC, send 3 (completes at once), recv 0, recv 1. */
    ok(send(c[2], "22", 2, 0) == 2, "send 2: %d", WSAGetLastError());
    Sleep(100);
    ok(QueueUserAPC(apc_func, GetCurrentThread(), 100) != 0, "QueueUserAPC failed: %d", (int)GetLastError());
    init_op(&o[3], 3, NULL);
    wb.buf = (char *)"333";
    wb.len = 3;
    bytes = 0xdeadbeef;
    ret = WSASend(s[0], &wb, 1, &bytes, 0, &o[3].ov, routine);
    ok(ret == 0, "WSASend with buffer room: %d (error %d), want 0", ret, WSAGetLastError());
    ok(bytes == 3, "WSASend count %u, want 3", (unsigned)bytes);
    Sleep(50);
    ok(send(c[0], "0000", 4, 0) == 4, "send 0: %d", WSAGetLastError());
    Sleep(100);
    ok(send(c[1], "1", 1, 0) == 1, "send 1: %d", WSAGetLastError());
    Sleep(100);
    ok(calls_count() == 0, "routines ran before the alertable wait (%d)", calls_count());

    r = SleepEx(0, TRUE);
    ok(r == WAIT_IO_COMPLETION, "SleepEx(0, TRUE): %u, want WAIT_IO_COMPLETION", (unsigned)r);
    ok(calls_count() == 5, "one alertable wait ran %d of 5 queued routines", calls_count());
    if (calls_count() == 5) {
        check_call(0, 2, 0, 2, &o[2].ov);
        ok(calls[1].tag == 100, "second call: tag %d, want the APC (100)", calls[1].tag);
        check_call(2, 3, 0, 3, &o[3].ov);
        check_call(3, 0, 0, 4, &o[0].ov);
        check_call(4, 1, 0, 1, &o[1].ov);
    }
    check_nothing_queued();
    ok(recv(c[0], buf[0], sizeof(buf[0]), 0) == 3 && !memcmp(buf[0], "333", 3), "WSASend data not received");

    for (i = 0; i < 3; i++) {
        closesocket(c[i]);
        closesocket(s[i]);
    }
}

/* Data already there: WSARecv returns 0 with the count, and the routine is still queued (not
 * run by the call itself). A send with buffer room the same. */
static void test_immediate(void)
{
    SOCKET c, s;
    struct op o;
    char buf[16];
    WSABUF wb;
    DWORD bytes, flags, r;
    int ret;

    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: %d", WSAGetLastError());
    reset_calls();
    ok(send(c, "xyz", 3, 0) == 3, "send: %d", WSAGetLastError());
    ok(tu_wait_for(s, 'r', 2000) == 1, "data did not arrive");

    init_op(&o, 7, NULL);
    wb.buf = buf;
    wb.len = sizeof(buf);
    bytes = 0xdeadbeef;
    flags = 0;
    WSASetLastError(0xdeadbeef);
    ret = WSARecv(s, &wb, 1, &bytes, &flags, &o.ov, routine);
#ifdef WS2_URING
    ok(ret == 0, "WSARecv with data present: %d (error %d), want 0", ret, WSAGetLastError());
#else
    /* Windows usually completes at once here but may report pending (Wine's
     * test_nonblocking_async_recv notes it is not reliable); the routine is queued either way. */
    ok(ret == 0 || WSAGetLastError() == WSA_IO_PENDING, "WSARecv with data present: %d (error %d)", ret,
       WSAGetLastError());
#endif
    if (ret == 0) {
        ok(bytes == 3, "count %u, want 3", (unsigned)bytes);
        ok(flags == 0, "flags %#x, want 0", (unsigned)flags);
        ok(o.ov.Internal == 0 && o.ov.InternalHigh == 3, "Internal %#llx InternalHigh %llu, want 0 3",
           (unsigned long long)o.ov.Internal, (unsigned long long)o.ov.InternalHigh);
        ok(calls_count() == 0, "routine ran inside WSARecv");
    }
    r = SleepEx(1000, TRUE);
    ok(r == WAIT_IO_COMPLETION, "SleepEx after immediate completion: %u, want WAIT_IO_COMPLETION", (unsigned)r);
    ok(calls_count() == 1, "%d routine calls, want 1", calls_count());
    check_call(0, 7, 0, 3, &o.ov);
    ok(!memcmp(buf, "xyz", 3), "received bytes differ");
    check_nothing_queued();

    /* A send with room completes at once and queues its routine too. */
    reset_calls();
    init_op(&o, 8, NULL);
    wb.buf = (char *)"0123456789";
    wb.len = 10;
    bytes = 0xdeadbeef;
    ret = WSASend(s, &wb, 1, &bytes, 0, &o.ov, routine);
    ok(ret == 0, "WSASend: %d (error %d), want 0", ret, WSAGetLastError());
    ok(bytes == 10, "WSASend count %u, want 10", (unsigned)bytes);
    ok(calls_count() == 0, "routine ran inside WSASend");
    r = SleepEx(1000, TRUE);
    ok(r == WAIT_IO_COMPLETION, "SleepEx after WSASend: %u, want WAIT_IO_COMPLETION", (unsigned)r);
    ok(calls_count() == 1, "%d routine calls, want 1", calls_count());
    check_call(0, 8, 0, 10, &o.ov);
    ok(tu_recv_all(c, buf, 10) == 10 && !memcmp(buf, "0123456789", 10), "WSASend data not received");

    closesocket(c);
    closesocket(s);
}

/* hEvent may carry anything when a routine is given: it is passed through untouched. */
static void test_hevent_user_data(void)
{
    SOCKET c, s;
    struct op o;
    char buf[8];
    static int context;
    DWORD r;

    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: %d", WSAGetLastError());
    reset_calls();
    init_op(&o, 30, (HANDLE)&context);
    post_recv(s, &o, buf, sizeof(buf));
    ok(send(c, "q", 1, 0) == 1, "send: %d", WSAGetLastError());
    r = SleepEx(2000, TRUE);
    ok(r == WAIT_IO_COMPLETION, "SleepEx: %u, want WAIT_IO_COMPLETION", (unsigned)r);
    ok(calls_count() == 1, "%d routine calls, want 1", calls_count());
    check_call(0, 30, 0, 1, &o.ov);
    ok(calls[0].hevent == (HANDLE)&context, "routine saw hEvent %p, want the user pointer %p", calls[0].hevent,
       (void *)&context);
    ok(o.ov.hEvent == (HANDLE)&context, "hEvent changed to %p", o.ov.hEvent);
    closesocket(c);
    closesocket(s);
}

struct waiter {
    HANDLE ev;
    DWORD sleep_ret, wait_ret;
    DWORD tid;
};

static void *alertable_waiter(void *arg)
{
    struct waiter *w = arg;
    w->tid = GetCurrentThreadId();
    w->sleep_ret = SleepEx(200, TRUE);
    w->wait_ret = WSAWaitForMultipleEvents(1, &w->ev, FALSE, 100, TRUE);
    return NULL;
}

struct issuer {
    SOCKET s;
    struct op o;
    char buf[16];
    HANDLE posted, go;
    DWORD tid, sleep_ret, go_ret;
    int recv_ret, recv_err;
};

static void *issuing_thread(void *arg)
{
    struct issuer *d = arg;
    WSABUF wb;
    DWORD flags = 0;
    d->tid = GetCurrentThreadId();
    wb.buf = d->buf;
    wb.len = sizeof(d->buf);
    d->recv_ret = WSARecv(d->s, &wb, 1, NULL, &flags, &d->o.ov, routine);
    d->recv_err = WSAGetLastError();
    SetEvent(d->posted);
    d->go_ret = WaitForSingleObject(d->go, 5000);
    d->sleep_ret = SleepEx(3000, TRUE);
    return NULL;
}

/* A routine runs only on the thread that issued the operation. */
static void test_issuing_thread_only(void)
{
    SOCKET c, s;
    struct op o;
    char buf[16];
    struct waiter w;
    struct issuer d;
    pthread_t th;
    DWORD r;

    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: %d", WSAGetLastError());

    /* Issued here, completed, then another thread waits alertably: not run there. */
    reset_calls();
    init_op(&o, 40, NULL);
    post_recv(s, &o, buf, sizeof(buf));
    ok(send(c, "abcd", 4, 0) == 4, "send: %d", WSAGetLastError());
    Sleep(100);
    w.ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    pthread_create(&th, NULL, alertable_waiter, &w);
    pthread_join(th, NULL);
    ok(w.sleep_ret == 0, "other thread's SleepEx(200, TRUE): %u, want 0", (unsigned)w.sleep_ret);
    ok(w.wait_ret == WSA_WAIT_TIMEOUT, "other thread's alertable WSAWaitForMultipleEvents: %u, want WSA_WAIT_TIMEOUT",
       (unsigned)w.wait_ret);
    ok(calls_count() == 0, "routine ran on another thread (%d calls)", calls_count());
    r = SleepEx(1000, TRUE);
    ok(r == WAIT_IO_COMPLETION, "issuing thread's SleepEx: %u, want WAIT_IO_COMPLETION", (unsigned)r);
    ok(calls_count() == 1, "%d routine calls, want 1", calls_count());
    check_call(0, 40, 0, 4, &o.ov);
    ok(calls[0].tid == GetCurrentThreadId() && calls[0].tid != w.tid, "routine ran on thread %u, want %u",
       (unsigned)calls[0].tid, (unsigned)GetCurrentThreadId());
    CloseHandle(w.ev);

    /* Issued by another thread: this thread's alertable wait does not run it; that thread's does. */
    reset_calls();
    memset(&d, 0, sizeof(d));
    d.s = s;
    init_op(&d.o, 41, NULL);
    d.posted = CreateEventA(NULL, TRUE, FALSE, NULL);
    d.go = CreateEventA(NULL, TRUE, FALSE, NULL);
    pthread_create(&th, NULL, issuing_thread, &d);
    r = WaitForSingleObject(d.posted, 3000);
    ok(r == WAIT_OBJECT_0, "issuing thread did not post (%u)", (unsigned)r);
    ok(d.recv_ret == SOCKET_ERROR && d.recv_err == WSA_IO_PENDING, "thread's WSARecv: %d error %d", d.recv_ret,
       d.recv_err);
    ok(send(c, "efg", 3, 0) == 3, "send: %d", WSAGetLastError());
    Sleep(100);
    r = SleepEx(200, TRUE);
    ok(r == 0, "SleepEx(200, TRUE) on a thread that issued nothing: %u, want 0", (unsigned)r);
    ok(calls_count() == 0, "another thread's routine ran here (%d calls)", calls_count());
    SetEvent(d.go);
    pthread_join(th, NULL);
    ok(d.go_ret == WAIT_OBJECT_0, "issuing thread's go wait: %u", (unsigned)d.go_ret);
    ok(d.sleep_ret == WAIT_IO_COMPLETION, "issuing thread's SleepEx: %u, want WAIT_IO_COMPLETION",
       (unsigned)d.sleep_ret);
    ok(calls_count() == 1, "%d routine calls, want 1", calls_count());
    check_call(0, 41, 0, 3, &d.o.ov);
    ok(calls[0].tid == d.tid, "routine ran on thread %u, want the issuing thread %u", (unsigned)calls[0].tid,
       (unsigned)d.tid);
    ok(!memcmp(d.buf, "efg", 3), "received bytes differ");
    CloseHandle(d.posted);
    CloseHandle(d.go);

    closesocket(c);
    closesocket(s);
}

/* A reset completes the receive with an error: the routine gets WSAECONNRESET and 0 bytes;
 * a graceful close completes it successfully with 0 bytes. */
static void test_error_arguments(void)
{
    SOCKET c, s;
    struct op o;
    char buf[16];
    DWORD r, bytes, flags;
    BOOL b;

    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: %d", WSAGetLastError());
    reset_calls();
    init_op(&o, 50, NULL);
    post_recv(s, &o, buf, sizeof(buf));
    tu_reset_close(c);
    r = SleepEx(2000, TRUE);
    ok(r == WAIT_IO_COMPLETION, "SleepEx after reset: %u, want WAIT_IO_COMPLETION", (unsigned)r);
    ok(calls_count() == 1, "%d routine calls, want 1", calls_count());
    check_call(0, 50, WSAECONNRESET, 0, &o.ov);
    ok(o.ov.Internal == T_STATUS_CONNECTION_RESET, "Internal %#llx, want STATUS_CONNECTION_RESET",
       (unsigned long long)o.ov.Internal);
    ok(o.ov.InternalHigh == 0, "InternalHigh %llu, want 0", (unsigned long long)o.ov.InternalHigh);
    bytes = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    b = GetOverlappedResult((HANDLE)s, &o.ov, &bytes, FALSE);
    ok(!b && GetLastError() == ERROR_NETNAME_DELETED && bytes == 0,
       "GetOverlappedResult after reset: %d error %d bytes %u, want 0 ERROR_NETNAME_DELETED 0", b,
       (int)GetLastError(), (unsigned)bytes);
    bytes = 0xdeadbeef;
    flags = 0;
    WSASetLastError(0xdeadbeef);
    b = WSAGetOverlappedResult(s, &o.ov, &bytes, FALSE, &flags);
    ok(!b && WSAGetLastError() == WSAECONNRESET && bytes == 0,
       "WSAGetOverlappedResult after reset: %d error %d bytes %u, want 0 WSAECONNRESET 0", b, WSAGetLastError(),
       (unsigned)bytes);
    closesocket(s);

    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: %d", WSAGetLastError());
    reset_calls();
    init_op(&o, 51, NULL);
    post_recv(s, &o, buf, sizeof(buf));
    closesocket(c);
    r = SleepEx(2000, TRUE);
    ok(r == WAIT_IO_COMPLETION, "SleepEx after graceful close: %u, want WAIT_IO_COMPLETION", (unsigned)r);
    ok(calls_count() == 1, "%d routine calls, want 1", calls_count());
    check_call(0, 51, 0, 0, &o.ov);
    ok(o.ov.Internal == 0 && o.ov.InternalHigh == 0, "Internal %#llx InternalHigh %llu, want 0 0",
       (unsigned long long)o.ov.Internal, (unsigned long long)o.ov.InternalHigh);
    closesocket(s);
}

struct late_sender {
    SOCKET s; /* peer of the socket the main thread blocks on */
    HANDLE ran;
    DWORD ran_wait;
    int sent;
};

/* Sends only once the routine has run (or after 2 s, so the blocking call ends anyway). */
static void *late_sender_thread(void *arg)
{
    struct late_sender *d = arg;
    d->ran_wait = WaitForSingleObject(d->ran, 2000);
    d->sent = send(d->s, "late", 4, 0);
    return NULL;
}

/* A blocking receive on the issuing thread runs the queued routines while it waits (the data it
 * waits for is sent only after the routine has run), then returns its own data. A blocking
 * receive that finds data at once runs none. */
static void test_blocking_call_runs_routines(void)
{
    SOCKET ca, sa, cb, sb;
    struct op o;
    char buf[16], bbuf[16];
    WSABUF wb;
    DWORD bytes, flags, r;
    int k, ret;

    ok(tu_tcp_pair(&ca, &sa) == 0, "tcp pair A: %d", WSAGetLastError());
    ok(tu_tcp_pair(&cb, &sb) == 0, "tcp pair B: %d", WSAGetLastError());
    ran_event = CreateEventA(NULL, FALSE, FALSE, NULL);

    for (k = 0; k < 2; k++) {
        struct late_sender d;
        pthread_t th;

        reset_calls();
        ResetEvent(ran_event);
        init_op(&o, 60 + k, NULL);
        post_recv(sa, &o, buf, sizeof(buf));
        ok(send(ca, "A", 1, 0) == 1, "send A: %d", WSAGetLastError());
        Sleep(100); /* the routine is queued, not run */
        ok(calls_count() == 0, "routine ran before the blocking call");

        d.s = cb;
        d.ran = ran_event;
        d.ran_wait = 0xdeadbeef;
        d.sent = -2;
        pthread_create(&th, NULL, late_sender_thread, &d);
        memset(bbuf, 0, sizeof(bbuf));
        if (k == 0) {
            wb.buf = bbuf;
            wb.len = sizeof(bbuf);
            bytes = 0xdeadbeef;
            flags = 0;
            ret = WSARecv(sb, &wb, 1, &bytes, &flags, NULL, NULL);
            ok(ret == 0 && bytes == 4, "blocking WSARecv: %d (error %d) bytes %u, want 0 and 4", ret,
               WSAGetLastError(), (unsigned)bytes);
        } else {
            ret = recv(sb, bbuf, sizeof(bbuf), 0);
            ok(ret == 4, "blocking recv: %d (error %d), want 4", ret, WSAGetLastError());
        }
        pthread_join(th, NULL);
        ok(d.ran_wait == WAIT_OBJECT_0, "%s did not run the queued routine while it waited (wait %u)",
           k ? "recv" : "WSARecv", (unsigned)d.ran_wait);
        ok(d.sent == 4, "late send: %d", d.sent);
        ok(!memcmp(bbuf, "late", 4), "blocking call got other bytes");
        ok(calls_count() == 1, "%d routine calls, want 1", calls_count());
        check_call(0, 60 + k, 0, 1, &o.ov);
        ok(calls[0].tid == GetCurrentThreadId(), "routine ran on thread %u, want %u", (unsigned)calls[0].tid,
           (unsigned)GetCurrentThreadId());
        check_nothing_queued();
    }

    /* Data already there: the blocking call does not wait and runs nothing. */
    reset_calls();
    init_op(&o, 62, NULL);
    post_recv(sa, &o, buf, sizeof(buf));
    ok(send(ca, "B", 1, 0) == 1, "send A: %d", WSAGetLastError());
    ok(send(cb, "now", 3, 0) == 3, "send B: %d", WSAGetLastError());
    Sleep(100);
    ok(tu_wait_for(sb, 'r', 2000) == 1, "data did not arrive");
    wb.buf = bbuf;
    wb.len = sizeof(bbuf);
    bytes = 0xdeadbeef;
    flags = 0;
    ret = WSARecv(sb, &wb, 1, &bytes, &flags, NULL, NULL);
    ok(ret == 0 && bytes == 3, "WSARecv with data present: %d bytes %u, want 0 and 3", ret, (unsigned)bytes);
    ok(calls_count() == 0, "a blocking call that did not wait ran %d routines", calls_count());
    r = SleepEx(0, TRUE);
    ok(r == WAIT_IO_COMPLETION, "SleepEx(0, TRUE): %u, want WAIT_IO_COMPLETION", (unsigned)r);
    ok(calls_count() == 1, "%d routine calls, want 1", calls_count());
    check_call(0, 62, 0, 1, &o.ov);

    CloseHandle(ran_event);
    ran_event = NULL;
    closesocket(ca);
    closesocket(sa);
    closesocket(cb);
    closesocket(sb);
}

int main(void)
{
    tu_startup();
    test_not_run_until_alertable();
    test_alertable_waits();
    test_order();
    test_immediate();
    test_hevent_user_data();
    test_issuing_thread_only();
    test_error_arguments();
    test_blocking_call_runs_routines();
    tu_check_tcp_pair();
    WSACleanup();
    return test_done();
}
