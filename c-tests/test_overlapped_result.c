/* WSAGetOverlappedResult and GetOverlappedResult on overlapped socket receives: with fWait FALSE
 * a pending operation gives FALSE and WSA_IO_INCOMPLETE (ERROR_IO_INCOMPLETE); with fWait TRUE the
 * call waits on hEvent, or on the socket handle itself when hEvent is NULL; lpdwFlags receives the
 * receive flags; the result is read from Internal/InternalHigh, so each NTSTATUS maps to its
 * Windows error (WSAGetOverlappedResult: Winsock codes, GetOverlappedResult: Win32 codes, as in
 * Wine's test_WSAGetOverlappedResult, validated on Windows 10 1809 and later); a handle that is
 * not a socket gives WSAENOTSOCK; HasOverlappedIoCompleted follows Internal. */
#include "testutil.h"
#include <pthread.h>

#define WAIT_MS 3000
#define DELAY_MS 200

/* ---- a send made by another thread after a delay ---- */
struct delayed_send {
    SOCKET s;
    const char *data;
    int len;
    pthread_t thread;
};

static void *delayed_send_main(void *arg)
{
    struct delayed_send *d = arg;
    tu_sleep_ms(DELAY_MS);
    send(d->s, d->data, d->len, 0);
    return NULL;
}

static void start_delayed_send(struct delayed_send *d, SOCKET s, const char *data, int len)
{
    d->s = s;
    d->data = data;
    d->len = len;
    ok(pthread_create(&d->thread, NULL, delayed_send_main, d) == 0, "pthread_create failed");
}

/* ---- a waiting *GetOverlappedResult call run on another thread, so a hang is a failed check ---- */
struct wait_call {
    SOCKET s;
    OVERLAPPED *ov;
    int use_win32; /* GetOverlappedResult instead of WSAGetOverlappedResult */
    BOOL ret;
    DWORD n, fl;
    int err;
    volatile int done;
    pthread_t thread;
};

static void *wait_call_main(void *arg)
{
    struct wait_call *w = arg;
    w->n = 0xdeadbeef;
    w->fl = 0xdeadbeef;
    if (w->use_win32) {
        SetLastError(0xdeadbeef);
        w->ret = GetOverlappedResult((HANDLE)w->s, w->ov, &w->n, TRUE);
        w->err = (int)GetLastError();
    } else {
        WSASetLastError(0xdeadbeef);
        w->ret = WSAGetOverlappedResult(w->s, w->ov, &w->n, TRUE, &w->fl);
        w->err = WSAGetLastError();
    }
    w->done = 1;
    return NULL;
}

/* Run the waiting call; 1 when it returned within `ms` (then w holds its results). */
static int run_wait_call(struct wait_call *w, int ms)
{
    unsigned long long t0 = tu_now_ms();
    w->done = 0;
    if (pthread_create(&w->thread, NULL, wait_call_main, w)) {
        ok(0, "pthread_create failed");
        return 0;
    }
    while (!w->done && tu_now_ms() - t0 < (unsigned long long)ms)
        tu_sleep_ms(5);
    if (!w->done) {
        pthread_detach(w->thread);
        return 0;
    }
    pthread_join(w->thread, NULL);
    return 1;
}

static int post_recv(SOCKET s, char *buf, int len, OVERLAPPED *ov)
{
    WSABUF wb;
    DWORD fl = 0;
    int r;
    wb.buf = buf;
    wb.len = len;
    WSASetLastError(0xdeadbeef);
    r = WSARecv(s, &wb, 1, NULL, &fl, ov, NULL);
    ok(r == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "WSARecv: got %d error %d, want pending", r,
       WSAGetLastError());
    return r;
}

/* fWait FALSE while pending, for both functions; then TRUE after completion. */
static void test_poll(void)
{
    SOCKET c, s;
    HANDLE ev = WSACreateEvent();
    OVERLAPPED ov;
    char buf[16];
    DWORD n, fl;
    BOOL b;

    if (tu_tcp_pair(&c, &s)) {
        ok(0, "tcp pair: error %d", WSAGetLastError());
        return;
    }
    init_ov(&ov, ev);
    post_recv(s, buf, sizeof(buf), &ov);
    ok(!HasOverlappedIoCompleted(&ov), "HasOverlappedIoCompleted true while pending");

    n = 0xdeadbeef;
    fl = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    b = WSAGetOverlappedResult(s, &ov, &n, FALSE, &fl);
    ok(!b && WSAGetLastError() == WSA_IO_INCOMPLETE, "WSAGetOverlappedResult pending: got %d error %d, want FALSE "
       "WSA_IO_INCOMPLETE", b, WSAGetLastError());
    n = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    b = GetOverlappedResult((HANDLE)s, &ov, &n, FALSE);
    ok(!b && GetLastError() == ERROR_IO_INCOMPLETE, "GetOverlappedResult pending: got %d error %d, want FALSE "
       "ERROR_IO_INCOMPLETE", b, (int)GetLastError());
    ok(ov_status(&ov) == T_STATUS_PENDING, "polling changed Internal: %#x", (unsigned)ov_status(&ov));

    send(c, "12345", 5, 0);
    ok(WaitForSingleObject(ev, WAIT_MS) == WAIT_OBJECT_0, "receive not completed");
    ok(HasOverlappedIoCompleted(&ov), "HasOverlappedIoCompleted false after completion");
    n = 0xdeadbeef;
    fl = 0xdeadbeef;
    b = WSAGetOverlappedResult(s, &ov, &n, FALSE, &fl);
    ok(b && n == 5 && fl == 0, "WSAGetOverlappedResult: got %d bytes %u flags %#x error %d, want TRUE 5 0", b,
       (unsigned)n, (unsigned)fl, WSAGetLastError());
    n = 0xdeadbeef;
    b = GetOverlappedResult((HANDLE)s, &ov, &n, FALSE);
    ok(b && n == 5, "GetOverlappedResult: got %d bytes %u error %d, want TRUE 5", b, (unsigned)n, (int)GetLastError());

    closesocket(c);
    closesocket(s);
    WSACloseEvent(ev);
}

/* fWait TRUE: the call returns when the operation completes (data sent 200 ms later). With an
 * event it waits on the event; with hEvent NULL on the socket handle. */
static void test_wait(int use_event, int use_win32)
{
    SOCKET c, s;
    HANDLE ev = use_event ? WSACreateEvent() : NULL;
    OVERLAPPED ov;
    char buf[16];
    struct delayed_send d;
    struct wait_call w;
    unsigned long long t0;
    const char *what = use_win32 ? "GetOverlappedResult" : "WSAGetOverlappedResult";
    const char *how = use_event ? "event" : "NULL hEvent";

    if (tu_tcp_pair(&c, &s)) {
        ok(0, "tcp pair: error %d", WSAGetLastError());
        return;
    }
    init_ov(&ov, ev);
    memset(buf, 0, sizeof(buf));
    post_recv(s, buf, sizeof(buf), &ov);
    if (!use_event)
        ok(WaitForSingleObject((HANDLE)s, 0) == WAIT_TIMEOUT, "%s: socket handle signalled while pending", how);

    t0 = tu_now_ms();
    start_delayed_send(&d, c, "waited", 6);
    w.s = s;
    w.ov = &ov;
    w.use_win32 = use_win32;
    if (run_wait_call(&w, WAIT_MS)) {
        unsigned long long el = tu_now_ms() - t0;
        if (use_win32)
            ok(w.ret && w.n == 6, "%s (%s, fWait): got %d bytes %u error %d, want TRUE 6", what, how, w.ret,
               (unsigned)w.n, w.err);
        else
            ok(w.ret && w.n == 6 && w.fl == 0, "%s (%s, fWait): got %d bytes %u flags %#x error %d, want TRUE 6 0",
               what, how, w.ret, (unsigned)w.n, (unsigned)w.fl, w.err);
        ok(el >= DELAY_MS - 20, "%s (%s, fWait) returned after %llu ms, before the data was sent", what, how, el);
        ok(!memcmp(buf, "waited", 6), "%s (%s): wrong data '%.6s'", what, how, buf);
        ok(ov_status(&ov) == T_STATUS_SUCCESS && ov.InternalHigh == 6, "%s (%s): Internal %#x InternalHigh %u", what,
           how, (unsigned)ov_status(&ov), (unsigned)ov.InternalHigh);
        if (!use_event)
            ok(WaitForSingleObject((HANDLE)s, 0) == WAIT_OBJECT_0,
               "%s: socket handle not signalled after the completion", how);
    } else {
        ok(0, "%s (%s, fWait TRUE) did not return within %d ms", what, how, WAIT_MS);
    }
    pthread_join(d.thread, NULL);
    closesocket(c);
    closesocket(s);
    if (ev)
        WSACloseEvent(ev);
}

/* fWait TRUE waits on hEvent, not on the operation: with Internal still STATUS_PENDING and the
 * event already signalled it returns TRUE at once (Wine's test_WSAGetOverlappedResult). */
static void test_wait_is_on_event(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    OVERLAPPED ov;
    struct wait_call w;

    memset(&ov, 0, sizeof(ov));
    ov.Internal = T_STATUS_PENDING;
    ov.hEvent = CreateEventA(NULL, TRUE, TRUE, NULL);
    w.s = s;
    w.ov = &ov;
    w.use_win32 = 0;
    if (run_wait_call(&w, WAIT_MS))
        ok(w.ret, "WSAGetOverlappedResult(fWait) on a signalled event: got %d error %d, want TRUE", w.ret, w.err);
    else
        ok(0, "WSAGetOverlappedResult(fWait) did not return although hEvent is signalled");
    CloseHandle(ov.hEvent);
    closesocket(s);
}

/* The result comes from Internal/InternalHigh: each status maps to the Windows error codes. */
static void test_status_mapping(void)
{
    static const struct {
        DWORD status;
        BOOL ok;
        int wsa_error;
        int win32_error;
    } map[] = {
        {T_STATUS_SUCCESS, TRUE, 0, 0},
        {T_STATUS_PENDING, FALSE, WSA_IO_INCOMPLETE, ERROR_IO_INCOMPLETE},
        {T_STATUS_BUFFER_OVERFLOW, FALSE, WSAEMSGSIZE, ERROR_MORE_DATA},
        {T_STATUS_CONNECTION_RESET, FALSE, WSAECONNRESET, ERROR_NETNAME_DELETED},
        {T_STATUS_REMOTE_DISCONNECT, FALSE, WSAECONNRESET, ERROR_NETNAME_DELETED},
        {T_STATUS_LOCAL_DISCONNECT, FALSE, WSAECONNABORTED, ERROR_NETNAME_DELETED},
        {T_STATUS_CONNECTION_ABORTED, FALSE, WSAECONNABORTED, ERROR_CONNECTION_ABORTED},
        {T_STATUS_CANCELLED, FALSE, WSA_OPERATION_ABORTED, ERROR_OPERATION_ABORTED},
        {T_STATUS_IO_TIMEOUT, FALSE, WSAETIMEDOUT, ERROR_SEM_TIMEOUT},
        {T_STATUS_INVALID_CONNECTION, FALSE, WSAENOTCONN, ERROR_UNEXP_NET_ERR},
    };
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    OVERLAPPED ov;
    unsigned i;

    for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        DWORD n = 0xdeadbeef, fl = 0xdeadbeef;
        BOOL b;
        int err;

        memset(&ov, 0, sizeof(ov));
        ov.Internal = map[i].status;
        ov.InternalHigh = 7;
        WSASetLastError(0xdeadbeef);
        b = WSAGetOverlappedResult(s, &ov, &n, FALSE, &fl);
        err = WSAGetLastError();
        if (map[i].ok)
            ok(b && n == 7 && fl == 0, "status %#x: WSAGetOverlappedResult got %d bytes %u flags %#x error %d, want "
               "TRUE 7 0", (unsigned)map[i].status, b, (unsigned)n, (unsigned)fl, err);
        else
            ok(!b && err == map[i].wsa_error, "status %#x: WSAGetOverlappedResult got %d error %d, want FALSE %d",
               (unsigned)map[i].status, b, err, map[i].wsa_error);

        n = 0xdeadbeef;
        SetLastError(0xdeadbeef);
        b = GetOverlappedResult((HANDLE)s, &ov, &n, FALSE);
        err = (int)GetLastError();
        if (map[i].ok)
            ok(b && n == 7, "status %#x: GetOverlappedResult got %d bytes %u error %d, want TRUE 7",
               (unsigned)map[i].status, b, (unsigned)n, err);
        else
            ok(!b && err == map[i].win32_error, "status %#x: GetOverlappedResult got %d error %d, want FALSE %d",
               (unsigned)map[i].status, b, err, map[i].win32_error);
        ok(HasOverlappedIoCompleted(&ov) == (map[i].status != T_STATUS_PENDING),
           "status %#x: HasOverlappedIoCompleted %d", (unsigned)map[i].status, (int)HasOverlappedIoCompleted(&ov));
    }
    closesocket(s);
}

/* A value that is not a socket: WSAENOTSOCK (Wine's test_WSAGetOverlappedResult). */
static void test_not_socket(void)
{
    OVERLAPPED ov;
    DWORD n = 0xdeadbeef, fl = 0xdeadbeef;
    BOOL b;

    memset(&ov, 0, sizeof(ov));
    WSASetLastError(0xdeadbeef);
    b = WSAGetOverlappedResult((SOCKET)0xdeadbeef, &ov, &n, FALSE, &fl);
    ok(!b && WSAGetLastError() == WSAENOTSOCK, "WSAGetOverlappedResult(not a socket): got %d error %d, want FALSE "
       "WSAENOTSOCK", b, WSAGetLastError());
}

int main(void)
{
    tu_startup();
    test_poll();
    test_wait(1, 0);
    test_wait(0, 0);
    test_wait(1, 1);
    test_wait(0, 1);
    test_wait_is_on_event();
    test_status_mapping();
    test_not_socket();
    tu_check_tcp_pair();
    WSACleanup();
    return test_done();
}
