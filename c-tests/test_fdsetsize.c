/* A program's own FD_SETSIZE (256, defined before the first Winsock header, as Windows allows):
 * fd_set grows to a u_int count plus 256 SOCKETs, FD_SET fills it up to 256 entries and ignores
 * more, and select() handles 200 sockets (100 connected loopback pairs): data sent on every 7th
 * pair makes exactly those receiving sockets readable, the read set is rewritten to them in the
 * order they were given, every socket is writable, and the return value counts both sets. */
#define FD_SETSIZE 256
#include "testutil.h"

#define PAIRS 100

static SOCKET cli[PAIRS], srv[PAIRS];

static void test_layout(void)
{
    fd_set set;
    unsigned i;

    ok(FD_SETSIZE == 256, "FD_SETSIZE is %d, want the program's 256", (int)FD_SETSIZE);
    ok(sizeof(fd_set) == 8 + 256 * 8, "sizeof(fd_set) %u, want %u", (unsigned)sizeof(fd_set),
       (unsigned)(8 + 256 * 8));
    ok(sizeof(set.fd_array) / sizeof(set.fd_array[0]) == 256, "fd_array has %u entries",
       (unsigned)(sizeof(set.fd_array) / sizeof(set.fd_array[0])));

    /* FD_SET takes up to FD_SETSIZE distinct sockets, then ignores more; duplicates are not
     * added twice. */
    FD_ZERO(&set);
    for (i = 0; i < 300; i++)
        FD_SET((SOCKET)(0x1000 + 4 * i), &set);
    ok(set.fd_count == 256, "fd_count after 300 FD_SETs: %u, want 256", set.fd_count);
    ok(set.fd_array[255] == (SOCKET)(0x1000 + 4 * 255), "last entry %#llx",
       (unsigned long long)set.fd_array[255]);
    ok(FD_ISSET((SOCKET)(0x1000 + 4 * 200), &set) && !FD_ISSET((SOCKET)(0x1000 + 4 * 256), &set),
       "FD_ISSET beyond 64 entries");
    FD_SET((SOCKET)0x1000, &set);
    ok(set.fd_count == 256, "duplicate FD_SET changed fd_count to %u", set.fd_count);
    FD_CLR((SOCKET)(0x1000 + 4 * 100), &set);
    ok(set.fd_count == 255 && !FD_ISSET((SOCKET)(0x1000 + 4 * 100), &set) &&
           set.fd_array[100] == (SOCKET)(0x1000 + 4 * 101),
       "FD_CLR in a large set: count %u", set.fd_count);
}

static int make_pairs(void)
{
    struct sockaddr_in a;
    int i;
    SOCKET l = tu_listener(&a);

    for (i = 0; i < PAIRS; i++) {
        cli[i] = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        if (cli[i] == INVALID_SOCKET || connect(cli[i], (struct sockaddr *)&a, sizeof(a))) {
            ok(0, "pair %d: connect error %d", i, WSAGetLastError());
            break;
        }
        srv[i] = accept(l, NULL, NULL);
        if (srv[i] == INVALID_SOCKET) {
            ok(0, "pair %d: accept error %d", i, WSAGetLastError());
            break;
        }
    }
    closesocket(l);
    return i == PAIRS;
}

static void test_select_200(void)
{
    fd_set rd, wr;
    struct timeval tv;
    int i, r, nready = 0, k;
    char buf[8];

    if (!make_pairs())
        return;

    for (i = 0; i < PAIRS; i += 7) {
        ok(send(cli[i], "7", 1, 0) == 1, "send on pair %d: error %d", i, WSAGetLastError());
        nready++;
    }
    for (i = 0; i < PAIRS; i += 7)
        ok(tu_wait_for(srv[i], 'r', 2000) == 1, "pair %d: data did not arrive within 2 s", i);

    /* The sets hold all 200 sockets, client and server of each pair in turn. */
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    for (i = 0; i < PAIRS; i++) {
        FD_SET(cli[i], &rd);
        FD_SET(srv[i], &rd);
        FD_SET(cli[i], &wr);
        FD_SET(srv[i], &wr);
    }
    ok(rd.fd_count == 2 * PAIRS && wr.fd_count == 2 * PAIRS, "set counts %u %u", rd.fd_count,
       wr.fd_count);

    /* Readability alone. */
    tv.tv_sec = 2;
    tv.tv_usec = 0;
    WSASetLastError(0xdeadbeef);
    r = select(0, &rd, NULL, NULL, &tv);
    ok(r == nready, "select over %d sockets: got %d error %d, want %d", 2 * PAIRS, r,
       WSAGetLastError(), nready);
    ok(rd.fd_count == (u_int)nready, "read set rewritten to %u sockets, want %d", rd.fd_count, nready);
    for (k = 0, i = 0; i < PAIRS; i += 7, k++)
        ok(k < (int)rd.fd_count && rd.fd_array[k] == srv[i],
           "read set entry %d: %#llx, want the server end of pair %d (%#llx)", k,
           k < (int)rd.fd_count ? (unsigned long long)rd.fd_array[k] : 0ull, i,
           (unsigned long long)srv[i]);
    for (i = 0; i < PAIRS; i++)
        ok(FD_ISSET(srv[i], &rd) == (i % 7 == 0) && !FD_ISSET(cli[i], &rd),
           "pair %d readability: server %d client %d", i, FD_ISSET(srv[i], &rd) != 0,
           FD_ISSET(cli[i], &rd) != 0);

    /* Readability and writability together: every connected socket is writable; the return value
     * counts memberships in both sets. */
    FD_ZERO(&rd);
    for (i = 0; i < PAIRS; i++) {
        FD_SET(cli[i], &rd);
        FD_SET(srv[i], &rd);
    }
    tv.tv_sec = 2;
    tv.tv_usec = 0;
    r = select(0, &rd, &wr, NULL, &tv);
    ok(r == nready + 2 * PAIRS, "select read+write: got %d error %d, want %d", r, WSAGetLastError(),
       nready + 2 * PAIRS);
    ok(rd.fd_count == (u_int)nready, "read set %u, want %d", rd.fd_count, nready);
    ok(wr.fd_count == 2 * PAIRS, "write set %u, want %d", wr.fd_count, 2 * PAIRS);
    for (i = 0; i < PAIRS && wr.fd_count == 2 * PAIRS; i++)
        ok(wr.fd_array[2 * i] == cli[i] && wr.fd_array[2 * i + 1] == srv[i],
           "write set order at pair %d", i);

    /* Reading the byte leaves nothing readable. */
    for (i = 0; i < PAIRS; i += 7)
        ok(recv(srv[i], buf, sizeof(buf), 0) == 1 && buf[0] == '7', "recv on pair %d", i);
    FD_ZERO(&rd);
    for (i = 0; i < PAIRS; i++) {
        FD_SET(cli[i], &rd);
        FD_SET(srv[i], &rd);
    }
    tv.tv_sec = 0;
    tv.tv_usec = 0;
    r = select(0, &rd, NULL, NULL, &tv);
    ok(r == 0 && rd.fd_count == 0, "after reading: select %d, read set %u", r, rd.fd_count);

    for (i = 0; i < PAIRS; i++) {
        closesocket(cli[i]);
        closesocket(srv[i]);
    }
}

int main(void)
{
    tu_startup();
    test_layout();
    test_select_200();
    WSACleanup();
    return test_done();
}
