/* inet_addr's Windows grammar (dotted parts in decimal, octal or hex, short forms, what may
 * follow the address) and inet_ntoa's per-thread buffer. */
#include "testutil.h"
#include <ctype.h>
#include <pthread.h>

/* Expected addresses are host-order values a.b.c.d = 0xaabbccdd; NONE = INADDR_NONE. */
#define NONE 0xffffffffu

static const struct {
    const char *in;
    unsigned int want;
} addr_tests[] = {
    {"1.2.3.4", 0x01020304},
    {"1 2 3 4", 0x00000001},
    {"1.2.3. 4", NONE},
    {"1.2.3 .4", 0x01020003},
    {"1.2.3 \xfe\xff", 0x01020003},
    {"3.4.5.6.7", NONE},
    {"3.4.5.6. 7", NONE},
    {"3.4.5.6  7", 0x03040506},
    {" 3.4.5.6", NONE},
    {"\t3.4.5.6", NONE},
    {"3.4.5.6 ", 0x03040506},
    {"3.4.5.6  ", 0x03040506},
    {"3. 4.5.6", NONE},
    {"3 .4.5.6", 0x00000003},
    {"1.2.3", 0x01020003},
    {".1.2.3", NONE},
    {"0.0.0.0", 0x00000000},
    {"", NONE},
    {" 0", NONE},
    {"0xa1a2b3b4 ", 0xa1a2b3b4},
    {".", NONE},
    {" ", 0x00000000},
    {"\t", NONE},
    {"  ", NONE},
    {"127.127.127.255", 0x7f7f7fff},
    {"127.127.127.255:123", NONE},
    {"127.127.127.256", NONE},
    {"a", NONE},
    {"1.2.3.0xaA", 0x010203aa},
    {"1.1.1.0x", NONE},
    {"1.2.3.010", 0x01020308},
    {"1.2.3.00", 0x01020300},
    {"1.2.3.0a", NONE},
    {"1.1.1.0o10", NONE},
    {"1.1.1.0b10", NONE},
    {"1.1.1.-2", NONE},
    {"1", 0x00000001},
    {"1.2", 0x01000002},
    {"203569230", 0x0c22384e},
    {"[0.1.2.3]", NONE},
    {"0x00010203", 0x00010203},
    {"0x2134", 0x00002134},
    {"1234BEEF", NONE},
    {"017700000001", 0x7f000001},
    {"0777", 0x000001ff},
    {"2607:f0d0:1002:51::4", NONE},
    {"::177.32.45.20", NONE},
    {"::1/128", NONE},
    {"::1", NONE},
    {":1", NONE},
    {"255.255.255.255", 0xffffffff},
    {"1.2.65535", 0x0102ffff},
    {"1.2.65536", NONE},
    {"1.16777215", 0x01ffffff},
    {"256.1.1.1", NONE},
};

static void test_inet_addr(void)
{
    unsigned int i;
    u_long addr;
    char str[8];

    WSASetLastError(0xdeadbeef);
    addr = inet_addr(NULL);
    ok(addr == INADDR_NONE, "inet_addr(NULL) = %#lx", (unsigned long)addr);
    ok(WSAGetLastError() == WSAEFAULT, "inet_addr(NULL) error %d", WSAGetLastError());

    for (i = 0; i < sizeof(addr_tests) / sizeof(addr_tests[0]); i++) {
        u_long want = addr_tests[i].want == NONE ? INADDR_NONE : htonl(addr_tests[i].want);
        WSASetLastError(0xdeadbeef);
        addr = inet_addr(addr_tests[i].in);
        ok(addr == want, "inet_addr(\"%s\") = %#lx, want %#lx", addr_tests[i].in, (unsigned long)addr,
           (unsigned long)want);
        /* A string that is not an address is not an error: the last error stays. */
        ok(WSAGetLastError() == (int)0xdeadbeef, "inet_addr(\"%s\") touched the last error: %d",
           addr_tests[i].in, WSAGetLastError());
    }

    /* After a three-part address, only white space may follow. */
    strcpy(str, "1.2.3");
    str[6] = 0;
    for (i = 1; i < 256; i++) {
        u_long want;
        if (isdigit((int)i))
            continue;
        str[5] = (char)i;
        want = isspace((int)i) ? htonl(0x01020003) : INADDR_NONE;
        addr = inet_addr(str);
        ok(addr == want, "inet_addr(\"1.2.3\" + char %u) = %#lx, want %#lx", i, (unsigned long)addr,
           (unsigned long)want);
    }
}

struct ntoa_thread {
    const char *str;
    char copy[16];
};

static void *ntoa_thread_proc(void *param)
{
    struct ntoa_thread *t = param;
    struct in_addr in;
    in.s_addr = inet_addr("4.3.2.1");
    t->str = inet_ntoa(in);
    strcpy(t->copy, t->str);
    return NULL;
}

static void test_inet_ntoa(void)
{
    struct in_addr in;
    struct ntoa_thread t;
    pthread_t thread;
    char *str, *str2;

    in.s_addr = htonl(0x01020304);
    str = inet_ntoa(in);
    ok(str && !strcmp(str, "1.2.3.4"), "inet_ntoa = %s", str ? str : "(null)");

    in.s_addr = 0;
    str2 = inet_ntoa(in);
    ok(str2 && !strcmp(str2, "0.0.0.0"), "inet_ntoa(0) = %s", str2 ? str2 : "(null)");
    /* The same per-thread buffer: the earlier result was replaced. */
    ok(str2 == str, "inet_ntoa returned a different buffer on the same thread");
    ok(!strcmp(str, "0.0.0.0"), "first result is now %s", str);

    in.s_addr = htonl(0x15102020);
    str = inet_ntoa(in);
    ok(!strcmp(str, "21.16.32.32"), "inet_ntoa = %s", str);
    in.s_addr = INADDR_NONE;
    str = inet_ntoa(in);
    ok(!strcmp(str, "255.255.255.255"), "inet_ntoa = %s", str);

    in.s_addr = htonl(0x01020304);
    str = inet_ntoa(in);
    memset(&t, 0, sizeof(t));
    ok(pthread_create(&thread, NULL, ntoa_thread_proc, &t) == 0, "pthread_create");
    pthread_join(thread, NULL);
    ok(!strcmp(t.copy, "4.3.2.1"), "other thread got %s", t.copy);
    /* Another thread's call does not touch this thread's buffer. */
    ok(!strcmp(str, "1.2.3.4"), "this thread's result became %s", str);
}

int main(void)
{
    tu_startup();
    test_inet_addr();
    test_inet_ntoa();
    WSACleanup();
    return test_done();
}
