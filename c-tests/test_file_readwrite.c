/* File handles from CreateFileA: WriteFile, ReadFile, SetFilePointer, the end of the file read
 * synchronously (TRUE with 0 bytes) and through an OVERLAPPED offset beyond it (FALSE with
 * ERROR_HANDLE_EOF, and GetOverlappedResult reporting the same), DeleteFileA. */
#include "testutil.h"

int main(void)
{
    char dir[MAX_PATH], path[MAX_PATH], buf[32];
    DWORD n = 0xdead;
    OVERLAPPED ov;
    HANDLE f;
    BOOL b;

    ok(GetTempPathA(sizeof(dir), dir) > 0, "GetTempPathA: error %lu", (unsigned long)GetLastError());
    ok(GetTempFileNameA(dir, "ws2", 0, path) != 0, "GetTempFileNameA: error %lu", (unsigned long)GetLastError());
    f = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    ok(f != INVALID_HANDLE_VALUE, "CreateFileA: error %lu", (unsigned long)GetLastError());

    b = WriteFile(f, "0123456789", 10, &n, NULL);
    ok(b && n == 10, "WriteFile: got %d, %lu bytes", b, (unsigned long)n);
    ok(SetFilePointer(f, 0, NULL, FILE_BEGIN) == 0, "SetFilePointer: error %lu", (unsigned long)GetLastError());

    n = 0xdead;
    b = ReadFile(f, buf, sizeof(buf), &n, NULL);
    ok(b && n == 10 && !memcmp(buf, "0123456789", 10), "ReadFile: got %d, %lu bytes", b, (unsigned long)n);
    n = 0xdead;
    b = ReadFile(f, buf, sizeof(buf), &n, NULL);
    ok(b && n == 0, "ReadFile at the end: got %d, %lu bytes, want TRUE with 0", b, (unsigned long)n);

    /* An OVERLAPPED offset inside the file reads from there. */
    memset(&ov, 0, sizeof(ov));
    ov.Offset = 4;
    n = 0xdead;
    b = ReadFile(f, buf, 3, &n, &ov);
    ok(b && n == 3 && !memcmp(buf, "456", 3), "ReadFile at offset 4: got %d, %lu bytes", b, (unsigned long)n);
    n = 0xdead;
    b = GetOverlappedResult(f, &ov, &n, FALSE);
    ok(b && n == 3, "GetOverlappedResult after the offset read: got %d, %lu bytes", b, (unsigned long)n);

    /* An OVERLAPPED offset beyond the end: ERROR_HANDLE_EOF, from ReadFile and from
     * GetOverlappedResult alike. */
    memset(&ov, 0, sizeof(ov));
    ov.Offset = 100;
    SetLastError(0xdeadbeef);
    b = ReadFile(f, buf, sizeof(buf), &n, &ov);
    ok(!b && GetLastError() == ERROR_HANDLE_EOF, "ReadFile beyond the end: got %d error %lu, want FALSE %d", b,
       (unsigned long)GetLastError(), (int)ERROR_HANDLE_EOF);
    SetLastError(0xdeadbeef);
    n = 0xdead;
    b = GetOverlappedResult(f, &ov, &n, FALSE);
    ok(!b && GetLastError() == ERROR_HANDLE_EOF && n == 0,
       "GetOverlappedResult beyond the end: got %d error %lu bytes %lu, want FALSE %d 0", b,
       (unsigned long)GetLastError(), (unsigned long)n, (int)ERROR_HANDLE_EOF);

    ok(CloseHandle(f), "CloseHandle: error %lu", (unsigned long)GetLastError());
    ok(DeleteFileA(path), "DeleteFileA: error %lu", (unsigned long)GetLastError());
    return test_done();
}
