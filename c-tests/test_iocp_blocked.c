/* A thread released by a completion port that blocks stops counting against the port's
 * concurrency value, so the port releases another waiting thread for a queued packet meanwhile
 * (MS docs "I/O Completion Ports": "...when a running thread enters a wait state ... the
 * system can allow another thread to run", and the concurrency value limits only the threads
 * that run). Checked with a port of concurrency 1 and two worker threads: the first packet's
 * thread blocks, in turn, in WaitForSingleObject on an event, in Sleep, in a blocking recv, in
 * EnterCriticalSection and in AcquireSRWLockExclusive; the second packet must reach the other
 * thread while the first is still blocked, which is what then unblocks it (the event is set,
 * the data sent, the lock released) -- without the rule the program would deadlock until the
 * wait timed out. (Wine releases every waiting thread whatever the concurrency value, so it
 * passes there too; the rule that a thread running on is counted is test_iocp_concurrency's,
 * native only.) */
#include "testutil.h"

enum { K_QUIT = 1, K_BLOCK, K_MARK };
enum { B_EVENT, B_SLEEP, B_RECV, B_CS, B_SRW };

static HANDLE port, ev_block, ev_marked, ev_blocking;
static volatile LONG how;
static SOCKET rs;
static CRITICAL_SECTION cs;
static SRWLOCK srw = SRWLOCK_INIT;
static volatile DWORD block_result;
static volatile LONG marks;

static DWORD WINAPI worker(LPVOID arg)
{
    DWORD n;
    ULONG_PTR key;
    OVERLAPPED *o;
    (void)arg;
    for (;;) {
        if (!GetQueuedCompletionStatus(port, &n, &key, &o, 10000))
            return 1;
        if (key == K_QUIT)
            return 0;
        if (key == K_MARK) {
            InterlockedIncrement(&marks);
            SetEvent(ev_marked);
            continue;
        }
        SetEvent(ev_blocking);
        switch (how) {
        case B_EVENT:
            block_result = WaitForSingleObject(ev_block, 4000);
            break;
        case B_SLEEP:
            Sleep(1500);
            block_result = WAIT_OBJECT_0;
            break;
        case B_RECV: {
            char c = 0;
            int r = recv(rs, &c, 1, 0);
            block_result = r == 1 && c == 'x' ? WAIT_OBJECT_0 : (DWORD)WSAGetLastError();
            break;
        }
        case B_CS:
            EnterCriticalSection(&cs);
            LeaveCriticalSection(&cs);
            block_result = WAIT_OBJECT_0;
            break;
        case B_SRW:
            AcquireSRWLockExclusive(&srw);
            ReleaseSRWLockExclusive(&srw);
            block_result = WAIT_OBJECT_0;
            break;
        }
    }
}

static const char *names[] = {"WaitForSingleObject", "Sleep", "blocking recv", "EnterCriticalSection",
                              "AcquireSRWLockExclusive"};

static void run(LONG b, SOCKET peer)
{
    unsigned long long t0;
    DWORD r;
    block_result = 0xdeadbeef;
    how = b;
    ResetEvent(ev_marked);
    ResetEvent(ev_blocking);
    if (b == B_CS)
        EnterCriticalSection(&cs);
    else if (b == B_SRW)
        AcquireSRWLockExclusive(&srw);
    ok(PostQueuedCompletionStatus(port, 0, K_BLOCK, NULL), "post: %lu", (unsigned long)GetLastError());
    ok(WaitForSingleObject(ev_blocking, 3000) == WAIT_OBJECT_0, "%s: no thread took the first packet", names[b]);
    t0 = tu_now_ms();
    ok(PostQueuedCompletionStatus(port, 0, K_MARK, NULL), "post: %lu", (unsigned long)GetLastError());
    /* The Sleep case unblocks by itself after 1.5 s: the packet must come well before. */
    r = WaitForSingleObject(ev_marked, b == B_SLEEP ? 1000 : 3000);
    ok(r == WAIT_OBJECT_0, "%s: the second packet was not given to the other thread while the first blocked "
       "(wait %lu after %llu ms)", names[b], (unsigned long)r, tu_now_ms() - t0);
    /* Unblock the first thread. */
    if (b == B_EVENT)
        SetEvent(ev_block);
    else if (b == B_RECV)
        ok(send(peer, "x", 1, 0) == 1, "send: %d", WSAGetLastError());
    else if (b == B_CS)
        LeaveCriticalSection(&cs);
    else if (b == B_SRW)
        ReleaseSRWLockExclusive(&srw);
    t0 = tu_now_ms();
    while (block_result == 0xdeadbeef && tu_now_ms() - t0 < 4000)
        Sleep(10);
    ok(block_result == WAIT_OBJECT_0, "%s: the blocked thread ended with %#lx", names[b],
       (unsigned long)block_result);
    ResetEvent(ev_block);
}

int main(void)
{
    HANDLE th[2];
    SOCKET peer;
    int i;

    tu_startup();
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    ok(port != NULL, "CreateIoCompletionPort: %lu", (unsigned long)GetLastError());
    ev_block = CreateEventA(NULL, TRUE, FALSE, NULL);
    ev_marked = CreateEventA(NULL, TRUE, FALSE, NULL);
    ev_blocking = CreateEventA(NULL, TRUE, FALSE, NULL);
    InitializeCriticalSection(&cs);
    ok(tu_tcp_pair(&peer, &rs) == 0, "tcp pair: %d", WSAGetLastError());
    for (i = 0; i < 2; i++) {
        th[i] = CreateThread(NULL, 0, worker, NULL, 0, NULL);
        ok(th[i] != NULL, "CreateThread: %lu", (unsigned long)GetLastError());
    }
    Sleep(100); /* both workers asleep in the port */

    run(B_EVENT, peer);
    run(B_SLEEP, peer);
    run(B_RECV, peer);
    run(B_CS, peer);
    run(B_SRW, peer);
    ok(marks == 5, "%ld marks, want 5", (long)marks);

    for (i = 0; i < 2; i++)
        PostQueuedCompletionStatus(port, 0, K_QUIT, NULL);
    for (i = 0; i < 2; i++) {
        DWORD code = 99;
        ok(WaitForSingleObject(th[i], 5000) == WAIT_OBJECT_0, "worker %d did not end", i);
        ok(GetExitCodeThread(th[i], &code) && code == 0, "worker %d exit code %lu", i, (unsigned long)code);
        CloseHandle(th[i]);
    }
    closesocket(peer);
    closesocket(rs);
    DeleteCriticalSection(&cs);
    CloseHandle(ev_block);
    CloseHandle(ev_marked);
    CloseHandle(ev_blocking);
    CloseHandle(port);
    WSACleanup();
    return test_done();
}
