/* Threads: CreateThread, ExitThread, GetExitCodeThread, ResumeThread, SuspendThread,
 * GetThreadId, thread handles in waits and CloseHandle, QueueUserAPC to another thread.
 * - CreateThread returns a handle and writes the new thread's id, the value GetCurrentThreadId
 *   gives inside the thread (MS docs CreateThread, GetCurrentThreadId); lpThreadId may be NULL.
 * - The thread object is signalled when the thread ends and stays signalled; GetExitCodeThread
 *   gives STILL_ACTIVE (259) before, then the start routine's return value or ExitThread's code
 *   (MS docs GetExitCodeThread, ExitThread).
 * - CREATE_SUSPENDED: the thread runs nothing until ResumeThread brings the suspend count to 0.
 *   SuspendThread and ResumeThread return the previous count: a created-suspended thread gives 1
 *   to SuspendThread, then 2 and 1 to two ResumeThread calls; an exited thread gives 0 to
 *   ResumeThread and (DWORD)-1 to SuspendThread (Wine's Windows-validated test_CreateThread_suspended
 *   and test_SuspendThread, dlls/kernel32/tests/thread.c).
 * - Thread handles mix with event handles in WaitForMultipleObjects, wait-any and wait-all; a
 *   wait-all that is not satisfied consumes nothing (MS docs WaitForMultipleObjects).
 * - CloseHandle on a running thread's handle does not end the thread (MS docs CloseHandle).
 * - A bogus handle gives ERROR_INVALID_HANDLE; an event handle is no thread handle for
 *   GetExitCodeThread (STATUS_OBJECT_TYPE_MISMATCH, ERROR_INVALID_HANDLE).
 * - QueueUserAPC to another thread's handle runs in that thread's alertable wait, on that
 *   thread, and the wait returns WAIT_IO_COMPLETION; an APC queued to a thread before it starts
 *   runs before the start routine (MS docs QueueUserAPC).
 * - A stack size larger than the default is honoured (MS docs CreateThread, dwStackSize).
 * - A thread that exits cancels the overlapped operations it issued (MS docs WSARecv). */
#define TU_WATCHDOG_MS 20000
#include "testutil.h"
#include <pthread.h>

#define BOGUS_HANDLE ((HANDLE)(ULONG_PTR)0xdeadbeef)


/* ---- a worker that waits for a go event, records itself and returns a code ---- */
struct worker {
    HANDLE go;      /* NULL: do not wait */
    HANDLE done;    /* NULL: signal nothing */
    DWORD code;
    volatile DWORD tid;
    volatile LONG ran;
    void *param_seen;
};

static DWORD WINAPI worker_proc(LPVOID p)
{
    struct worker *w = p;
    w->param_seen = p;
    w->tid = GetCurrentThreadId();
    if (w->go)
        WaitForSingleObject(w->go, INFINITE);
    w->ran = 1;
    if (w->done)
        SetEvent(w->done);
    return w->code;
}

static void init_worker(struct worker *w, BOOL with_go, DWORD code)
{
    memset(w, 0, sizeof(*w));
    w->go = with_go ? CreateEventA(NULL, TRUE, FALSE, NULL) : NULL;
    w->code = code;
}

static void test_basic(void)
{
    struct worker w;
    HANDLE h;
    DWORD tid = 0, code, r;
    BOOL b;

    stage = "basic";
    init_worker(&w, TRUE, 0xdeadbeef);
    h = CreateThread(NULL, 0, worker_proc, &w, 0, &tid);
    ok(h != NULL, "CreateThread: error %d", (int)GetLastError());
    ok(tid != 0 && tid != GetCurrentThreadId(), "thread id %u (main %u)", (unsigned)tid,
       (unsigned)GetCurrentThreadId());
    ok(GetThreadId(h) == tid, "GetThreadId: %u, want %u", (unsigned)GetThreadId(h), (unsigned)tid);
    code = 0;
    b = GetExitCodeThread(h, &code);
    ok(b && code == STILL_ACTIVE, "GetExitCodeThread while running: %d code %u, want 1 and 259", b,
       (unsigned)code);
    ok(STILL_ACTIVE == 259, "STILL_ACTIVE is %u", (unsigned)STILL_ACTIVE);
    r = WaitForSingleObject(h, 0);
    ok(r == WAIT_TIMEOUT, "wait on a running thread: %u, want WAIT_TIMEOUT", (unsigned)r);
    r = WaitForSingleObject(h, 30);
    ok(r == WAIT_TIMEOUT, "wait(30) on a running thread: %u, want WAIT_TIMEOUT", (unsigned)r);
    SetEvent(w.go);
    r = WaitForSingleObject(h, 5000);
    ok(r == WAIT_OBJECT_0, "wait for the thread: %u, want WAIT_OBJECT_0", (unsigned)r);
    ok(w.ran && w.tid == tid, "thread ran %d with id %u, CreateThread gave %u", (int)w.ran, (unsigned)w.tid,
       (unsigned)tid);
    ok(w.param_seen == &w, "the start routine got %p, want %p", w.param_seen, (void *)&w);
    code = 0;
    SetLastError(0xdeadbeef);
    b = GetExitCodeThread(h, &code);
    ok(b && code == 0xdeadbeef, "GetExitCodeThread after exit: %d code %#x, want 1 and 0xdeadbeef", b,
       (unsigned)code);
    r = WaitForSingleObject(h, 0);
    ok(r == WAIT_OBJECT_0, "the thread object stays signalled: %u", (unsigned)r);
    r = WaitForSingleObjectEx(h, 0, TRUE);
    ok(r == WAIT_OBJECT_0, "WaitForSingleObjectEx on the exited thread: %u", (unsigned)r);
    ok(GetThreadId(h) == tid, "GetThreadId after exit: %u", (unsigned)GetThreadId(h));
    ok(CloseHandle(h), "CloseHandle: error %d", (int)GetLastError());
    SetLastError(0xdeadbeef);
    b = CloseHandle(h);
    ok(!b && GetLastError() == ERROR_INVALID_HANDLE, "second CloseHandle: %d error %d", b, (int)GetLastError());
    CloseHandle(w.go);

    /* lpThreadId may be NULL. */
    init_worker(&w, FALSE, 5);
    h = CreateThread(NULL, 0, worker_proc, &w, 0, NULL);
    ok(h != NULL, "CreateThread without lpThreadId: error %d", (int)GetLastError());
    r = WaitForSingleObject(h, 5000);
    ok(r == WAIT_OBJECT_0, "wait: %u", (unsigned)r);
    ok(GetExitCodeThread(h, &code) && code == 5, "exit code %u, want 5", (unsigned)code);
    ok(GetThreadId(h) == w.tid, "GetThreadId %u, thread saw %u", (unsigned)GetThreadId(h), (unsigned)w.tid);
    CloseHandle(h);

    /* The pseudo-handle of the calling thread is still active. */
    code = 0;
    ok(GetExitCodeThread(GetCurrentThread(), &code) && code == STILL_ACTIVE,
       "GetExitCodeThread(GetCurrentThread()): code %u", (unsigned)code);
}

static void test_suspended(void)
{
    struct worker w;
    HANDLE h;
    DWORD tid = 0, code, r;

    stage = "suspended";
    init_worker(&w, FALSE, 31);
    h = CreateThread(NULL, 0, worker_proc, &w, CREATE_SUSPENDED, &tid);
    ok(h != NULL && tid != 0, "CreateThread(CREATE_SUSPENDED): error %d", (int)GetLastError());
    Sleep(50);
    ok(!w.ran && w.tid == 0, "the suspended thread ran");
    r = WaitForSingleObject(h, 0);
    ok(r == WAIT_TIMEOUT, "wait on a suspended thread: %u", (unsigned)r);
    ok(GetExitCodeThread(h, &code) && code == STILL_ACTIVE, "suspended thread's exit code %u", (unsigned)code);
    r = SuspendThread(h);
    ok(r == 1, "SuspendThread on a created-suspended thread: %u, want 1", (unsigned)r);
    r = ResumeThread(h);
    ok(r == 2, "first ResumeThread: %u, want 2", (unsigned)r);
    r = WaitForSingleObject(h, 50);
    ok(r == WAIT_TIMEOUT && !w.ran, "the thread ran with a suspend count of 1 (%u)", (unsigned)r);
    r = ResumeThread(h);
    ok(r == 1, "second ResumeThread: %u, want 1", (unsigned)r);
    r = WaitForSingleObject(h, 5000);
    ok(r == WAIT_OBJECT_0, "wait after resuming: %u", (unsigned)r);
    ok(w.ran && w.tid == tid, "resumed thread ran %d, id %u, CreateThread gave %u", (int)w.ran, (unsigned)w.tid,
       (unsigned)tid);
    ok(GetExitCodeThread(h, &code) && code == 31, "exit code %u, want 31", (unsigned)code);
    r = ResumeThread(h);
    ok(r == 0, "ResumeThread on an exited thread: %u, want 0", (unsigned)r);
    r = SuspendThread(h);
    ok(r == (DWORD)-1, "SuspendThread on an exited thread: %u, want (DWORD)-1", (unsigned)r);
    CloseHandle(h);

    /* ResumeThread on a thread that was never suspended: 0. */
    init_worker(&w, TRUE, 0);
    h = CreateThread(NULL, 0, worker_proc, &w, 0, NULL);
    r = ResumeThread(h);
    ok(r == 0, "ResumeThread on a running thread: %u, want 0", (unsigned)r);
    SetEvent(w.go);
    ok(WaitForSingleObject(h, 5000) == WAIT_OBJECT_0, "running thread did not end");
    CloseHandle(h);
    CloseHandle(w.go);
}

/* ---- ExitThread ---- */
static volatile int after_exit;

static void leave_now(DWORD code)
{
    ExitThread(code);
}

static DWORD WINAPI exiting_proc(LPVOID p)
{
    leave_now((DWORD)(ULONG_PTR)p);
    after_exit = 1;
    return 1;
}

static void test_exit_thread(void)
{
    HANDLE h;
    DWORD code = 0, r;

    stage = "ExitThread";
    after_exit = 0;
    h = CreateThread(NULL, 0, exiting_proc, (LPVOID)(ULONG_PTR)77, 0, NULL);
    ok(h != NULL, "CreateThread: error %d", (int)GetLastError());
    r = WaitForSingleObject(h, 5000);
    ok(r == WAIT_OBJECT_0, "wait for the exiting thread: %u", (unsigned)r);
    ok(GetExitCodeThread(h, &code) && code == 77, "ExitThread(77): exit code %u", (unsigned)code);
    ok(!after_exit, "code after ExitThread ran");
    CloseHandle(h);
}

/* ---- waits over several threads, and mixed with events ---- */
static void test_wait_multiple(void)
{
    struct worker w[3];
    HANDLE h[3], mix[2];
    HANDLE ev, aev;
    DWORD r, code;
    int i;

    stage = "wait multiple";
    for (i = 0; i < 3; i++) {
        init_worker(&w[i], TRUE, (DWORD)(10 + i));
        h[i] = CreateThread(NULL, 0, worker_proc, &w[i], 0, NULL);
        ok(h[i] != NULL, "CreateThread %d: error %d", i, (int)GetLastError());
    }
    r = WaitForMultipleObjects(3, h, FALSE, 20);
    ok(r == WAIT_TIMEOUT, "wait-any, all running: %u", (unsigned)r);
    r = WaitForMultipleObjects(3, h, TRUE, 20);
    ok(r == WAIT_TIMEOUT, "wait-all, all running: %u", (unsigned)r);
    SetEvent(w[1].go);
    r = WaitForMultipleObjects(3, h, FALSE, 5000);
    ok(r == WAIT_OBJECT_0 + 1, "wait-any after thread 1 ended: %u, want WAIT_OBJECT_0+1", (unsigned)r);
    r = WaitForMultipleObjects(3, h, TRUE, 20);
    ok(r == WAIT_TIMEOUT, "wait-all with one ended: %u", (unsigned)r);
    SetEvent(w[0].go);
    SetEvent(w[2].go);
    r = WaitForMultipleObjects(3, h, TRUE, 5000);
    ok(r == WAIT_OBJECT_0, "wait-all after all ended: %u", (unsigned)r);
    r = WaitForMultipleObjects(3, h, FALSE, 0);
    ok(r == WAIT_OBJECT_0, "wait-any with all ended: %u, want the lowest index", (unsigned)r);
    for (i = 0; i < 3; i++) {
        ok(GetExitCodeThread(h[i], &code) && code == (DWORD)(10 + i), "thread %d exit code %u", i, (unsigned)code);
        CloseHandle(h[i]);
        CloseHandle(w[i].go);
    }

    /* A thread and a manual-reset event. */
    stage = "wait mixed";
    ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    init_worker(&w[0], TRUE, 1);
    h[0] = CreateThread(NULL, 0, worker_proc, &w[0], 0, NULL);
    mix[0] = ev;
    mix[1] = h[0];
    r = WaitForMultipleObjects(2, mix, FALSE, 20);
    ok(r == WAIT_TIMEOUT, "mixed wait-any, nothing signalled: %u", (unsigned)r);
    SetEvent(ev);
    r = WaitForMultipleObjects(2, mix, FALSE, 1000);
    ok(r == WAIT_OBJECT_0, "mixed wait-any, event set: %u", (unsigned)r);
    r = WaitForMultipleObjects(2, mix, TRUE, 20);
    ok(r == WAIT_TIMEOUT, "mixed wait-all, thread running: %u", (unsigned)r);
    ResetEvent(ev);
    SetEvent(w[0].go);
    r = WaitForMultipleObjects(2, mix, FALSE, 5000);
    ok(r == WAIT_OBJECT_0 + 1, "mixed wait-any, thread ended: %u, want WAIT_OBJECT_0+1", (unsigned)r);
    r = WaitForMultipleObjectsEx(2, mix, TRUE, 20, TRUE);
    ok(r == WAIT_TIMEOUT, "mixed wait-all, event clear: %u", (unsigned)r);
    SetEvent(ev);
    r = WaitForMultipleObjects(2, mix, TRUE, 1000);
    ok(r == WAIT_OBJECT_0, "mixed wait-all, both signalled: %u", (unsigned)r);
    CloseHandle(h[0]);
    CloseHandle(w[0].go);

    /* An unsatisfied wait-all does not consume an auto-reset event. */
    aev = CreateEventA(NULL, FALSE, TRUE, NULL);
    init_worker(&w[1], TRUE, 2);
    h[1] = CreateThread(NULL, 0, worker_proc, &w[1], 0, NULL);
    mix[0] = aev;
    mix[1] = h[1];
    r = WaitForMultipleObjects(2, mix, TRUE, 30);
    ok(r == WAIT_TIMEOUT, "wait-all, auto event set, thread running: %u", (unsigned)r);
    r = WaitForSingleObject(aev, 0);
    ok(r == WAIT_OBJECT_0, "the unsatisfied wait-all consumed the auto-reset event (%u)", (unsigned)r);
    SetEvent(aev);
    SetEvent(w[1].go);
    r = WaitForMultipleObjects(2, mix, TRUE, 5000);
    ok(r == WAIT_OBJECT_0, "wait-all, auto event set, thread ended: %u", (unsigned)r);
    r = WaitForSingleObject(aev, 0);
    ok(r == WAIT_TIMEOUT, "the satisfied wait-all left the auto-reset event set (%u)", (unsigned)r);
    CloseHandle(h[1]);
    CloseHandle(w[1].go);
    CloseHandle(aev);
    CloseHandle(ev);
}

/* Many threads at once: distinct ids, every exit code. */
static void test_many(void)
{
    enum { N = 24 };
    static struct worker w[N];
    HANDLE h[N];
    DWORD tid[N], code;
    int i, j, distinct = 1;

    stage = "many threads";
    for (i = 0; i < N; i++) {
        init_worker(&w[i], FALSE, (DWORD)(1000 + i));
        h[i] = CreateThread(NULL, 0, worker_proc, &w[i], 0, &tid[i]);
        ok(h[i] != NULL, "CreateThread %d: error %d", i, (int)GetLastError());
    }
    ok(WaitForMultipleObjects(N, h, TRUE, 10000) == WAIT_OBJECT_0, "wait-all over %d threads", N);
    for (i = 0; i < N; i++) {
        ok(GetExitCodeThread(h[i], &code) && code == (DWORD)(1000 + i), "thread %d exit code %u", i, (unsigned)code);
        ok(w[i].tid == tid[i], "thread %d: id %u inside, %u from CreateThread", i, (unsigned)w[i].tid,
           (unsigned)tid[i]);
        for (j = 0; j < i; j++)
            if (tid[j] == tid[i])
                distinct = 0;
        CloseHandle(h[i]);
    }
    ok(distinct, "two live threads share an id");
}

/* Closing the handle of a running thread leaves the thread running. */
static void test_close_running(void)
{
    static struct worker w; /* the thread still reads it after signalling `done` */
    HANDLE h;
    DWORD r, code;
    BOOL b;

    stage = "close running";
    init_worker(&w, TRUE, 3);
    w.done = CreateEventA(NULL, TRUE, FALSE, NULL);
    h = CreateThread(NULL, 0, worker_proc, &w, 0, NULL);
    ok(h != NULL, "CreateThread: error %d", (int)GetLastError());
    ok(CloseHandle(h), "CloseHandle on a running thread: error %d", (int)GetLastError());
    SetEvent(w.go);
    r = WaitForSingleObject(w.done, 5000);
    ok(r == WAIT_OBJECT_0 && w.ran, "the thread whose handle was closed did not go on (%u)", (unsigned)r);
    SetLastError(0xdeadbeef);
    b = GetExitCodeThread(h, &code);
    ok(!b && GetLastError() == ERROR_INVALID_HANDLE, "GetExitCodeThread on the closed handle: %d error %d", b,
       (int)GetLastError());
    Sleep(20);
    CloseHandle(w.done);
    CloseHandle(w.go);
}

static void test_bad_handles(void)
{
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    DWORD code = 0x1234, r;
    BOOL b;

    stage = "bad handles";
    SetLastError(0xdeadbeef);
    b = GetExitCodeThread(BOGUS_HANDLE, &code);
    ok(!b && GetLastError() == ERROR_INVALID_HANDLE && code == 0x1234, "GetExitCodeThread(bogus): %d error %d",
       b, (int)GetLastError());
    SetLastError(0xdeadbeef);
    b = GetExitCodeThread(NULL, &code);
    ok(!b && GetLastError() == ERROR_INVALID_HANDLE, "GetExitCodeThread(NULL): %d error %d", b,
       (int)GetLastError());
    SetLastError(0xdeadbeef);
    b = GetExitCodeThread(ev, &code);
    ok(!b && GetLastError() == ERROR_INVALID_HANDLE, "GetExitCodeThread(event): %d error %d", b,
       (int)GetLastError());
    SetLastError(0xdeadbeef);
    r = ResumeThread(BOGUS_HANDLE);
    ok(r == (DWORD)-1 && GetLastError() == ERROR_INVALID_HANDLE, "ResumeThread(bogus): %u error %d",
       (unsigned)r, (int)GetLastError());
    SetLastError(0xdeadbeef);
    r = ResumeThread(ev);
    ok(r == (DWORD)-1 && GetLastError() == ERROR_INVALID_HANDLE, "ResumeThread(event): %u error %d",
       (unsigned)r, (int)GetLastError());
    SetLastError(0xdeadbeef);
    r = SuspendThread(BOGUS_HANDLE);
    ok(r == (DWORD)-1 && GetLastError() == ERROR_INVALID_HANDLE, "SuspendThread(bogus): %u error %d",
       (unsigned)r, (int)GetLastError());
    SetLastError(0xdeadbeef);
    r = WaitForSingleObject(BOGUS_HANDLE, 0);
    ok(r == WAIT_FAILED && GetLastError() == ERROR_INVALID_HANDLE, "WaitForSingleObject(bogus): %u error %d",
       (unsigned)r, (int)GetLastError());
    SetLastError(0xdeadbeef);
    b = CloseHandle(BOGUS_HANDLE);
    ok(!b && GetLastError() == ERROR_INVALID_HANDLE, "CloseHandle(bogus): %d error %d", b, (int)GetLastError());
    SetLastError(0xdeadbeef);
    r = QueueUserAPC(NULL, BOGUS_HANDLE, 0);
    ok(r == 0, "QueueUserAPC(NULL, bogus): %u", (unsigned)r);
    CloseHandle(ev);
}

/* ---- QueueUserAPC to another thread ---- */
static volatile LONG apc_calls;
static volatile DWORD apc_tid;
static volatile ULONG_PTR apc_data;
static volatile LONG apc_seen_by_proc;

static void CALLBACK note_apc(ULONG_PTR data)
{
    apc_calls++;
    apc_tid = GetCurrentThreadId();
    apc_data = data;
}

struct sleeper {
    HANDLE ready;
    DWORD result;
    DWORD tid;
};

static DWORD WINAPI sleeper_proc(LPVOID p)
{
    struct sleeper *s = p;
    s->tid = GetCurrentThreadId();
    apc_seen_by_proc = apc_calls;
    if (s->ready)
        SetEvent(s->ready);
    s->result = SleepEx(INFINITE, TRUE);
    return 9;
}

static void test_apc_to_thread(void)
{
    struct sleeper s;
    HANDLE h;
    DWORD tid, r, code;

    stage = "QueueUserAPC to another thread";
    memset(&s, 0, sizeof(s));
    s.ready = CreateEventA(NULL, TRUE, FALSE, NULL);
    apc_calls = 0;
    h = CreateThread(NULL, 0, sleeper_proc, &s, 0, &tid);
    ok(h != NULL, "CreateThread: error %d", (int)GetLastError());
    ok(WaitForSingleObject(s.ready, 5000) == WAIT_OBJECT_0, "the sleeper did not start");
    Sleep(20);
    ok(apc_calls == 0, "an APC ran before one was queued");
    r = QueueUserAPC(note_apc, h, 0x55);
    ok(r != 0, "QueueUserAPC to the thread: error %d", (int)GetLastError());
    r = WaitForSingleObject(h, 5000);
    ok(r == WAIT_OBJECT_0, "the sleeper did not wake for the APC (%u)", (unsigned)r);
    ok(s.result == WAIT_IO_COMPLETION, "the sleeper's SleepEx(INFINITE, TRUE): %u, want WAIT_IO_COMPLETION",
       (unsigned)s.result);
    ok(apc_calls == 1 && apc_data == 0x55 && apc_tid == tid && tid != GetCurrentThreadId(),
       "APC ran %d times with %#llx on thread %u (the sleeper is %u)", (int)apc_calls,
       (unsigned long long)apc_data, (unsigned)apc_tid, (unsigned)tid);
    ok(GetExitCodeThread(h, &code) && code == 9, "sleeper exit code %u", (unsigned)code);
    ok(SleepEx(0, TRUE) == 0, "the APC was also queued to this thread");
    CloseHandle(h);

    /* Queued before the thread starts: it runs first, then the start routine. */
    stage = "QueueUserAPC before the start";
    memset(&s, 0, sizeof(s));
    apc_calls = 0;
    apc_seen_by_proc = -1;
    h = CreateThread(NULL, 0, sleeper_proc, &s, CREATE_SUSPENDED, &tid);
    ok(h != NULL, "CreateThread(CREATE_SUSPENDED): error %d", (int)GetLastError());
    r = QueueUserAPC(note_apc, h, 0x66);
    ok(r != 0, "QueueUserAPC to the suspended thread: error %d", (int)GetLastError());
    Sleep(20);
    ok(apc_calls == 0, "the APC ran while the thread was suspended");
    ok(ResumeThread(h) == 1, "ResumeThread");
    /* The start routine then sleeps alertably with nothing queued: wake it with a second APC. */
    Sleep(50);
    ok(apc_seen_by_proc == 1 && apc_data == 0x66 && apc_tid == tid,
       "APC queued before the start: the start routine saw %d calls (data %#llx, thread %u of %u)",
       (int)apc_seen_by_proc, (unsigned long long)apc_data, (unsigned)apc_tid, (unsigned)tid);
    ok(QueueUserAPC(note_apc, h, 0x67) != 0, "second QueueUserAPC: error %d", (int)GetLastError());
    r = WaitForSingleObject(h, 5000);
    ok(r == WAIT_OBJECT_0 && s.result == WAIT_IO_COMPLETION && apc_calls == 2,
       "second APC: wait %u, SleepEx %u, %d calls", (unsigned)r, (unsigned)s.result, (int)apc_calls);
    CloseHandle(h);
    CloseHandle(s.ready);
}

/* ---- stack size ---- */
static DWORD WINAPI deep_proc(LPVOID p)
{
    /* Touch most of a stack larger than any default (8 MiB on Linux, 1 MiB on Windows). */
    volatile char big[12 << 20];
    size_t i;
    (void)p;
    for (i = 0; i < sizeof(big); i += 4096)
        big[i] = (char)i;
    return (DWORD)(big[4096] + 100);
}

static DWORD WINAPI small_proc(LPVOID p)
{
    volatile char some[16 << 10];
    some[0] = 1;
    some[sizeof(some) - 1] = 2;
    return (DWORD)(ULONG_PTR)p + some[0] + some[sizeof(some) - 1];
}

static void test_stack_size(void)
{
    HANDLE h;
    DWORD code = 0;

    stage = "stack size";
    h = CreateThread(NULL, 16 << 20, deep_proc, NULL, 0, NULL);
    ok(h != NULL, "CreateThread(16 MiB): error %d", (int)GetLastError());
    ok(WaitForSingleObject(h, 5000) == WAIT_OBJECT_0, "deep thread did not end");
    ok(GetExitCodeThread(h, &code) && code == 100, "deep thread exit code %u", (unsigned)code);
    CloseHandle(h);
    h = CreateThread(NULL, 1, small_proc, (LPVOID)7, 0, NULL);
    ok(h != NULL, "CreateThread(1 byte): error %d", (int)GetLastError());
    ok(WaitForSingleObject(h, 5000) == WAIT_OBJECT_0, "small thread did not end");
    ok(GetExitCodeThread(h, &code) && code == 10, "small thread exit code %u", (unsigned)code);
    CloseHandle(h);
}

/* ---- a thread's overlapped receive is cancelled when it exits ---- */
struct receiver {
    SOCKET s;
    OVERLAPPED ov;
    char buf[16];
    int ret, err;
};

static DWORD WINAPI receiver_proc(LPVOID p)
{
    struct receiver *rc = p;
    WSABUF wb;
    DWORD flags = 0;
    wb.buf = rc->buf;
    wb.len = sizeof(rc->buf);
    rc->ret = WSARecv(rc->s, &wb, 1, NULL, &flags, &rc->ov, NULL);
    rc->err = WSAGetLastError();
    return 0;
}

static void test_exit_cancels_io(void)
{
    struct receiver rc;
    SOCKET c, s;
    HANDLE h;
    DWORD r, bytes = 0xdeadbeef, flags = 0;
    BOOL b;

    stage = "exit cancels I/O";
    ok(tu_tcp_pair(&c, &s) == 0, "tcp pair: %d", WSAGetLastError());
    memset(&rc, 0, sizeof(rc));
    rc.s = s;
    init_ov(&rc.ov, CreateEventA(NULL, TRUE, FALSE, NULL));
    h = CreateThread(NULL, 0, receiver_proc, &rc, 0, NULL);
    ok(WaitForSingleObject(h, 5000) == WAIT_OBJECT_0, "receiver thread did not end");
    ok(rc.ret == SOCKET_ERROR && rc.err == WSA_IO_PENDING, "receiver's WSARecv: %d error %d", rc.ret, rc.err);
    r = WaitForSingleObject(rc.ov.hEvent, 2000);
    ok(r == WAIT_OBJECT_0, "the exited thread's receive did not complete (%u)", (unsigned)r);
    b = WSAGetOverlappedResult(s, &rc.ov, &bytes, FALSE, &flags);
    ok(!b && WSAGetLastError() == WSA_OPERATION_ABORTED && bytes == 0,
       "exited thread's receive: %d error %d bytes %u, want 0 WSA_OPERATION_ABORTED 0", b, WSAGetLastError(),
       (unsigned)bytes);
    CloseHandle(h);
    CloseHandle(rc.ov.hEvent);
    closesocket(c);
    closesocket(s);
}

int main(void)
{
    pthread_t dog;

    tu_startup();
    pthread_create(&dog, NULL, watchdog, NULL);
    test_basic();
    test_suspended();
    test_exit_thread();
    test_wait_multiple();
    test_many();
    test_close_running();
    test_bad_handles();
    test_apc_to_thread();
    test_stack_size();
    test_exit_cancels_io();
    finished = 1;
    pthread_join(dog, NULL);
    WSACleanup();
    return test_done();
}
