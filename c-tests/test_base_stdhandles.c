/* ReadFile, WriteFile and CloseHandle on the standard handles of GetStdHandle. The test puts
 * pipes and the null device behind the standard handles itself (CreatePipe and SetStdHandle on
 * Windows, pipe and dup2 on our side), so the results do not depend on how it is started:
 * a write gives its count, also through an OVERLAPPED; a read of a pipe whose writer is gone
 * fails with ERROR_BROKEN_PIPE, of the null device succeeds with 0 bytes; a write to a pipe
 * without reader fails with ERROR_NO_DATA (and the process goes on); a closed standard handle
 * releases the pipe (its reader sees the end) and then fails with ERROR_INVALID_HANDLE. */
#include "testutil.h"
#ifndef _WIN32
#include <fcntl.h>
#include <unistd.h>
#endif

/* A pipe: `rd` and `wr` are what the test keeps (a HANDLE or a descriptor). */
struct tpipe {
#ifdef _WIN32
    HANDLE rd, wr;
#else
    int rd, wr;
#endif
};

static int make_pipe(struct tpipe *p)
{
#ifdef _WIN32
    return CreatePipe(&p->rd, &p->wr, NULL, 0) ? 0 : -1;
#else
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    p->rd = fds[0];
    p->wr = fds[1];
    return 0;
#endif
}

/* Read up to `n` bytes from the test's end of a pipe: the count, 0 at the end, -1 on error. */
static long pipe_read(struct tpipe *p, char *buf, DWORD n)
{
#ifdef _WIN32
    DWORD got = 0;
    if (!ReadFile(p->rd, buf, n, &got, NULL))
        return GetLastError() == ERROR_BROKEN_PIPE ? 0 : -1;
    return (long)got;
#else
    return (long)read(p->rd, buf, n);
#endif
}

static void pipe_write(struct tpipe *p, const char *s)
{
#ifdef _WIN32
    DWORD n = 0;
    WriteFile(p->wr, s, (DWORD)strlen(s), &n, NULL);
#else
    ssize_t r = write(p->wr, s, strlen(s));
    (void)r;
#endif
}

static void close_rd(struct tpipe *p)
{
#ifdef _WIN32
    CloseHandle(p->rd);
#else
    close(p->rd);
#endif
}

static void close_wr(struct tpipe *p)
{
#ifdef _WIN32
    CloseHandle(p->wr);
#else
    close(p->wr);
#endif
}

/* The saved standard handle (Windows) or a copy of its descriptor (our side). */
struct saved {
    DWORD which;
#ifdef _WIN32
    HANDLE h;
#else
    int fd, copy;
#endif
};

static void save_std(struct saved *s, DWORD which)
{
    s->which = which;
#ifdef _WIN32
    s->h = GetStdHandle(which);
#else
    s->fd = which == STD_INPUT_HANDLE ? 0 : which == STD_OUTPUT_HANDLE ? 1 : 2;
    s->copy = dup(s->fd);
#endif
}

/* Put the read (`reader`) or write end of a pipe behind a standard handle; on our side the
 * standard descriptor becomes that end and the test's own descriptor for it is closed. */
static void set_std_pipe(struct saved *s, struct tpipe *p, int reader)
{
#ifdef _WIN32
    SetStdHandle(s->which, reader ? p->rd : p->wr);
#else
    int *end = reader ? &p->rd : &p->wr;
    dup2(*end, s->fd);
    close(*end);
    *end = -1;
#endif
}

/* Put the null device behind a standard handle. */
static void set_std_null(struct saved *s)
{
#ifdef _WIN32
    HANDLE h = CreateFileA("NUL", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, 0, NULL);
    SetStdHandle(s->which, h);
#else
    int fd = open("/dev/null", O_RDWR);
    dup2(fd, s->fd);
    close(fd);
#endif
}

/* Put the saved standard handle back; on Windows also close what the test put there. */
static void restore_std(struct saved *s)
{
#ifdef _WIN32
    HANDLE cur = GetStdHandle(s->which);
    SetStdHandle(s->which, s->h);
    if (cur != s->h)
        CloseHandle(cur);
#else
    dup2(s->copy, s->fd);
    close(s->copy);
#endif
}

int main(void)
{
    static const char line[] = "test_base_stdhandles: a line written with WriteFile\n";
    HANDLE err = GetStdHandle(STD_ERROR_HANDLE);
    OVERLAPPED ov;
    struct tpipe p;
    struct saved s;
    char buf[64];
    DWORD n;
    BOOL r;
    long got;

    /* Standard error, as ctest or a terminal gives it. */
    n = 0xdeadbeef;
    r = WriteFile(err, line, (DWORD)strlen(line), &n, NULL);
    ok(r && n == strlen(line), "WriteFile(stderr): %d count %lu error %lu", r, (unsigned long)n,
       (unsigned long)GetLastError());
    n = 0xdeadbeef;
    r = WriteFile(err, line, 0, &n, NULL);
    ok(r && n == 0, "WriteFile(stderr, 0 bytes): %d count %lu", r, (unsigned long)n);

    /* Standard input: a pipe holding "hello" whose writer is closed. */
    fflush(stdout);
    save_std(&s, STD_INPUT_HANDLE);
    ok(make_pipe(&p) == 0, "pipe");
    pipe_write(&p, "hello");
    close_wr(&p);
    set_std_pipe(&s, &p, 1);
    memset(buf, 0, sizeof(buf));
    n = 0xdeadbeef;
    r = ReadFile(GetStdHandle(STD_INPUT_HANDLE), buf, sizeof(buf), &n, NULL);
    ok(r && n == 5 && memcmp(buf, "hello", 5) == 0, "ReadFile(stdin pipe): %d count %lu '%.5s'", r,
       (unsigned long)n, buf);
    n = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    r = ReadFile(GetStdHandle(STD_INPUT_HANDLE), buf, sizeof(buf), &n, NULL);
    ok(!r && GetLastError() == ERROR_BROKEN_PIPE && n == 0,
       "ReadFile(stdin pipe, writer gone): %d error %lu count %lu", r, (unsigned long)GetLastError(),
       (unsigned long)n);
    restore_std(&s);

    /* Standard input: the null device ends at once, successfully. */
    save_std(&s, STD_INPUT_HANDLE);
    set_std_null(&s);
    n = 0xdeadbeef;
    r = ReadFile(GetStdHandle(STD_INPUT_HANDLE), buf, sizeof(buf), &n, NULL);
    ok(r && n == 0, "ReadFile(stdin null device): %d count %lu error %lu", r, (unsigned long)n,
       (unsigned long)GetLastError());
    restore_std(&s);

    /* Standard output: a pipe, written with an OVERLAPPED (done at once, reported through it). */
    fflush(stdout);
    save_std(&s, STD_OUTPUT_HANDLE);
    ok(make_pipe(&p) == 0, "pipe");
    set_std_pipe(&s, &p, 0);
    memset(&ov, 0, sizeof(ov));
    n = 0xdeadbeef;
    r = WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), "world", 5, &n, &ov);
    ok(r && n == 5, "WriteFile(stdout pipe, OVERLAPPED): %d count %lu error %lu", r, (unsigned long)n,
       (unsigned long)GetLastError());
    ok(ov.Internal == 0 && ov.InternalHigh == 5, "OVERLAPPED: Internal %#lx InternalHigh %lu",
       (unsigned long)ov.Internal, (unsigned long)ov.InternalHigh);
    n = 0xdeadbeef;
    r = GetOverlappedResult(GetStdHandle(STD_OUTPUT_HANDLE), &ov, &n, FALSE);
    ok(r && n == 5, "GetOverlappedResult(stdout pipe): %d count %lu error %lu", r, (unsigned long)n,
       (unsigned long)GetLastError());
    memset(buf, 0, sizeof(buf));
    got = pipe_read(&p, buf, sizeof(buf));
    ok(got == 5 && memcmp(buf, "world", 5) == 0, "pipe got %ld '%.5s'", got, buf);
    restore_std(&s);
    close_rd(&p);

    /* Standard output: a pipe without reader. */
    save_std(&s, STD_OUTPUT_HANDLE);
    ok(make_pipe(&p) == 0, "pipe");
    close_rd(&p);
    set_std_pipe(&s, &p, 0);
    n = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    r = WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), "lost", 4, &n, NULL);
    ok(!r && GetLastError() == ERROR_NO_DATA && n == 0, "WriteFile(stdout pipe, reader gone): %d error %lu count %lu",
       r, (unsigned long)GetLastError(), (unsigned long)n);
    restore_std(&s);

    /* CloseHandle on standard output: the pipe behind it is released (the reader sees the end),
     * and the handle fails from then on. The test's own stdout is put back afterwards. */
    fflush(stdout);
    save_std(&s, STD_OUTPUT_HANDLE);
    ok(make_pipe(&p) == 0, "pipe");
    set_std_pipe(&s, &p, 0);
    {
        HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
        r = CloseHandle(out);
        ok(r, "CloseHandle(stdout): error %lu", (unsigned long)GetLastError());
        got = pipe_read(&p, buf, sizeof(buf));
        ok(got == 0, "pipe after CloseHandle(stdout): %ld", got);
        n = 0xdeadbeef;
        SetLastError(0xdeadbeef);
        r = WriteFile(out, "x", 1, &n, NULL);
        ok(!r && GetLastError() == ERROR_INVALID_HANDLE, "WriteFile on a closed standard handle: %d error %lu", r,
           (unsigned long)GetLastError());
        SetLastError(0xdeadbeef);
        r = CloseHandle(out);
        ok(!r && GetLastError() == ERROR_INVALID_HANDLE, "second CloseHandle(stdout): %d error %lu", r,
           (unsigned long)GetLastError());
    }
#ifdef _WIN32
    SetStdHandle(STD_OUTPUT_HANDLE, s.h);
#else
    restore_std(&s);
#endif
    close_rd(&p);

    return test_done();
}
