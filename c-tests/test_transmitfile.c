/* TransmitFile (through SIO_GET_EXTENSION_FUNCTION_POINTER) of a file the test creates with
 * CreateFileA/WriteFile:
 * - synchronous (no OVERLAPPED): TRUE; the peer receives head + file + tail exactly, in order;
 *   nNumberOfBytesToWrite 0 sends the whole file from the file pointer;
 * - overlapped: FALSE/ERROR_IO_PENDING (or TRUE), then the event and WSAGetOverlappedResult give
 *   head + file + tail bytes; the OVERLAPPED's Offset is where the file part starts, and
 *   nNumberOfBytesToWrite limits it;
 * - no file, buffers only: head + tail; no file and no buffers: TRUE, nothing sent;
 * - an invalid socket WSAENOTSOCK, an unconnected one WSAENOTCONN.
 * The file comes from GetTempPathA/GetTempFileNameA and CreateFileA on both sides.
 * Sources: MS docs TransmitFile, TRANSMIT_FILE_BUFFERS; Wine dlls/ws2_32/tests/sock.c
 * test_TransmitFile. */
#include "testutil.h"
#include <mswsock.h>

#define WAIT_MS 3000
#define FILE_LEN 20000

static LPFN_TRANSMITFILE pTransmitFile;
static char content[FILE_LEN];

static HANDLE make_file(char *path)
{
    HANDLE f;
    DWORD n = 0;
    int i;
    char dir[MAX_PATH];
    GetTempPathA(sizeof(dir), dir);
    GetTempFileNameA(dir, "ws2", 0, path);
    for (i = 0; i < FILE_LEN; i++)
        content[i] = (char)('a' + (i * 31 + i / 97) % 26);
    f = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL,
                    NULL);
    ok(f != INVALID_HANDLE_VALUE, "CreateFileA(%s): error %u", path, (unsigned)GetLastError());
    ok(WriteFile(f, content, FILE_LEN, &n, NULL) && n == FILE_LEN, "WriteFile: error %u wrote %u",
       (unsigned)GetLastError(), (unsigned)n);
    SetFilePointer(f, 0, NULL, FILE_BEGIN);
    return f;
}

/* Receive exactly len bytes from s and compare them with want. */
#define expect_bytes(s, want, len) expect_bytes_at(__LINE__, s, want, len)
static void expect_bytes_at(int line, SOCKET s, const char *want, int len)
{
    char *buf = malloc(len ? len : 1);
    int got = tu_recv_all(s, buf, len);
    tu_ok(got == len && !memcmp(buf, want, len), __FILE__, line, "received %d bytes%s, want %d", got,
          got == len ? " that differ" : "", len);
    free(buf);
}

static void expect_nothing(SOCKET s)
{
    ok(tu_wait_for(s, 'r', 200) == 0, "unexpected data");
}

int main(void)
{
    GUID g = WSAID_TRANSMITFILE;
    char head[] = "HEAD:", tail[] = ":TAIL";
    char path[MAX_PATH];
    TRANSMIT_FILE_BUFFERS tb;
    SOCKET c, s, u;
    OVERLAPPED ov;
    HANDLE f;
    DWORD n = 0, fl;
    BOOL b;
    int r;

    tu_startup();
    u = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    r = WSAIoctl(u, SIO_GET_EXTENSION_FUNCTION_POINTER, &g, sizeof(g), &pTransmitFile, sizeof(pTransmitFile), &n,
                 NULL, NULL);
    ok(r == 0 && pTransmitFile, "WSAID_TRANSMITFILE: got %d error %d", r, WSAGetLastError());
    if (!pTransmitFile)
        return test_done();
    f = make_file(path);

    WSASetLastError(0xdeadbeef);
    b = pTransmitFile(INVALID_SOCKET, f, 0, 0, NULL, NULL, 0);
    ok(!b && WSAGetLastError() == WSAENOTSOCK, "INVALID_SOCKET: got %d error %d, want WSAENOTSOCK", b,
       WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    b = pTransmitFile(u, f, 0, 0, NULL, NULL, 0);
    ok(!b && WSAGetLastError() == WSAENOTCONN, "unconnected: got %d error %d, want WSAENOTCONN", b,
       WSAGetLastError());
    closesocket(u);

    if (tu_tcp_pair(&c, &s)) {
        ok(0, "tcp pair: error %d", WSAGetLastError());
        return test_done();
    }
    tb.Head = head;
    tb.HeadLength = 5;
    tb.Tail = tail;
    tb.TailLength = 5;

    /* nothing at all */
    ok(pTransmitFile(c, NULL, 0, 0, NULL, NULL, 0), "TransmitFile(nothing): error %d", WSAGetLastError());
    expect_nothing(s);

    /* buffers only */
    ok(pTransmitFile(c, NULL, 0, 0, NULL, &tb, 0), "TransmitFile(buffers): error %d", WSAGetLastError());
    expect_bytes(s, "HEAD::TAIL", 10);

    /* synchronous, whole file, head and tail */
    SetFilePointer(f, 0, NULL, FILE_BEGIN);
    ok(pTransmitFile(c, f, 0, 0, NULL, &tb, 0), "TransmitFile(file): error %d", WSAGetLastError());
    expect_bytes(s, head, 5);
    expect_bytes(s, content, FILE_LEN);
    expect_bytes(s, tail, 5);
    expect_nothing(s);

    /* synchronous, file only, from the file pointer, a 1000-byte send size */
    SetFilePointer(f, 100, NULL, FILE_BEGIN);
    ok(pTransmitFile(c, f, 0, 1000, NULL, NULL, 0), "TransmitFile(file at 100): error %d", WSAGetLastError());
    expect_bytes(s, content + 100, FILE_LEN - 100);
    expect_nothing(s);

    /* overlapped, whole file with head and tail */
    init_ov(&ov, CreateEventA(NULL, TRUE, FALSE, NULL));
    ov.Offset = 0;
    ov.OffsetHigh = 0;
    WSASetLastError(0xdeadbeef);
    b = pTransmitFile(c, f, 0, 0, &ov, &tb, 0);
    ok(b || WSAGetLastError() == ERROR_IO_PENDING, "overlapped TransmitFile: got %d error %d", b, WSAGetLastError());
    expect_bytes(s, head, 5);
    expect_bytes(s, content, FILE_LEN);
    expect_bytes(s, tail, 5);
    ok(WaitForSingleObject(ov.hEvent, WAIT_MS) == WAIT_OBJECT_0, "overlapped TransmitFile did not complete");
    n = 0xdeadbeef;
    b = WSAGetOverlappedResult(c, &ov, &n, FALSE, &fl);
    ok(b && n == FILE_LEN + 10, "WSAGetOverlappedResult: got %d bytes %u error %d, want %u", b, (unsigned)n,
       WSAGetLastError(), (unsigned)(FILE_LEN + 10));

    /* overlapped, Offset 10, 300 bytes */
    init_ov(&ov, ov.hEvent);
    ResetEvent(ov.hEvent);
    ov.Offset = 10;
    ov.OffsetHigh = 0;
    WSASetLastError(0xdeadbeef);
    b = pTransmitFile(c, f, 300, 0, &ov, NULL, 0);
    ok(b || WSAGetLastError() == ERROR_IO_PENDING, "overlapped TransmitFile(10, 300): got %d error %d", b,
       WSAGetLastError());
    expect_bytes(s, content + 10, 300);
    ok(WaitForSingleObject(ov.hEvent, WAIT_MS) == WAIT_OBJECT_0, "overlapped TransmitFile did not complete");
    b = WSAGetOverlappedResult(c, &ov, &n, FALSE, &fl);
    ok(b && n == 300, "WSAGetOverlappedResult: got %d bytes %u, want 300", b, (unsigned)n);
    expect_nothing(s);

    CloseHandle(ov.hEvent);
    CloseHandle(f);
    DeleteFileA(path);
    closesocket(c);
    closesocket(s);
    WSACleanup();
    return test_done();
}
