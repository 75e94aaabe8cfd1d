/* The Windows fd_set: a count and an array of FD_SETSIZE (64) SOCKETs, and the FD_ZERO /
 * FD_SET / FD_CLR / FD_ISSET macros and __WSAFDIsSet working on it: no duplicates, removal
 * keeps the order of the rest, entries beyond FD_SETSIZE are dropped. The values placed in the
 * sets are arbitrary SOCKET numbers; the macros do not look at the sockets themselves. */
#include "testutil.h"
#include <stddef.h>

#define S(n) ((SOCKET)(0x1000 + (n) * 4))

static void test_layout(void)
{
    fd_set set;

    ok(FD_SETSIZE == 64, "FD_SETSIZE %d", (int)FD_SETSIZE);
    ok(sizeof(set.fd_count) == 4, "fd_count size %d", (int)sizeof(set.fd_count));
    ok(sizeof(set.fd_array[0]) == sizeof(SOCKET), "fd_array element size %d", (int)sizeof(set.fd_array[0]));
    ok(sizeof(set.fd_array) / sizeof(set.fd_array[0]) == 64, "fd_array length %d",
       (int)(sizeof(set.fd_array) / sizeof(set.fd_array[0])));
    ok(offsetof(fd_set, fd_count) == 0, "fd_count offset %d", (int)offsetof(fd_set, fd_count));
    ok(offsetof(fd_set, fd_array) == sizeof(SOCKET), "fd_array offset %d", (int)offsetof(fd_set, fd_array));
    ok(sizeof(fd_set) == sizeof(SOCKET) + 64 * sizeof(SOCKET), "sizeof(fd_set) %d", (int)sizeof(fd_set));
}

static void test_zero_set_isset(void)
{
    fd_set set;
    unsigned int i;

    memset(&set, 0xcc, sizeof(set));
    FD_ZERO(&set);
    ok(set.fd_count == 0, "FD_ZERO count %u", set.fd_count);
    ok(!FD_ISSET(S(1), &set), "FD_ISSET on empty set");
    ok(!__WSAFDIsSet(S(1), &set), "__WSAFDIsSet on empty set");

    FD_SET(S(1), &set);
    ok(set.fd_count == 1 && set.fd_array[0] == S(1), "after one FD_SET: count %u", set.fd_count);
    ok(FD_ISSET(S(1), &set), "FD_ISSET after FD_SET");
    ok(__WSAFDIsSet(S(1), &set) != 0, "__WSAFDIsSet after FD_SET");
    ok(!FD_ISSET(S(2), &set), "FD_ISSET of absent socket");
    ok(__WSAFDIsSet(S(2), &set) == 0, "__WSAFDIsSet of absent socket");

    /* Adding a socket already present does nothing. */
    FD_SET(S(1), &set);
    ok(set.fd_count == 1, "duplicate FD_SET count %u", set.fd_count);
    FD_SET(S(2), &set);
    FD_SET(S(3), &set);
    FD_SET(S(2), &set);
    FD_SET(S(1), &set);
    ok(set.fd_count == 3, "count after mixed duplicates %u", set.fd_count);
    for (i = 0; i < 3; i++)
        ok(set.fd_array[i] == S(i + 1), "slot %u holds %#llx", i, (unsigned long long)set.fd_array[i]);

    /* INVALID_SOCKET is just another value to the macros. */
    FD_SET(INVALID_SOCKET, &set);
    ok(set.fd_count == 4 && set.fd_array[3] == INVALID_SOCKET, "INVALID_SOCKET added: count %u", set.fd_count);
    ok(FD_ISSET(INVALID_SOCKET, &set), "FD_ISSET(INVALID_SOCKET)");

    FD_ZERO(&set);
    ok(set.fd_count == 0, "FD_ZERO again count %u", set.fd_count);
    ok(!FD_ISSET(S(1), &set), "FD_ISSET after FD_ZERO");
}

static void test_clr(void)
{
    fd_set set;
    unsigned int i;

    FD_ZERO(&set);
    for (i = 0; i < 6; i++)
        FD_SET(S(i), &set);
    ok(set.fd_count == 6, "count %u", set.fd_count);

    /* Removing from the middle shifts the rest down, in order. */
    FD_CLR(S(2), &set);
    ok(set.fd_count == 5, "count after FD_CLR %u", set.fd_count);
    ok(set.fd_array[0] == S(0) && set.fd_array[1] == S(1) && set.fd_array[2] == S(3) && set.fd_array[3] == S(4) &&
           set.fd_array[4] == S(5),
       "order after FD_CLR middle");
    ok(!FD_ISSET(S(2), &set), "cleared socket still set");
    ok(FD_ISSET(S(3), &set) && FD_ISSET(S(5), &set), "others lost");

    /* First and last. */
    FD_CLR(S(0), &set);
    ok(set.fd_count == 4 && set.fd_array[0] == S(1), "after clearing first: count %u first %#llx", set.fd_count,
       (unsigned long long)set.fd_array[0]);
    FD_CLR(S(5), &set);
    ok(set.fd_count == 3 && set.fd_array[2] == S(4), "after clearing last: count %u", set.fd_count);

    /* Clearing an absent socket changes nothing. */
    FD_CLR(S(42), &set);
    ok(set.fd_count == 3, "count after clearing absent %u", set.fd_count);
    ok(set.fd_array[0] == S(1) && set.fd_array[1] == S(3) && set.fd_array[2] == S(4), "order after absent clear");

    /* Clearing twice. */
    FD_CLR(S(3), &set);
    FD_CLR(S(3), &set);
    ok(set.fd_count == 2 && set.fd_array[0] == S(1) && set.fd_array[1] == S(4), "after double clear: count %u",
       set.fd_count);

    FD_CLR(S(1), &set);
    FD_CLR(S(4), &set);
    ok(set.fd_count == 0, "emptied: count %u", set.fd_count);
    FD_CLR(S(4), &set);
    ok(set.fd_count == 0, "clear on empty set: count %u", set.fd_count);
}

static void test_capacity(void)
{
    fd_set set;
    unsigned int i, bad = 0;

    FD_ZERO(&set);
    for (i = 0; i < FD_SETSIZE; i++)
        FD_SET(S(i), &set);
    ok(set.fd_count == FD_SETSIZE, "full set count %u", set.fd_count);
    for (i = 0; i < FD_SETSIZE; i++)
        if (set.fd_array[i] != S(i) || !FD_ISSET(S(i), &set))
            bad++;
    ok(bad == 0, "%u slots wrong in a full set", bad);

    /* Beyond FD_SETSIZE: silently ignored. */
    FD_SET(S(FD_SETSIZE), &set);
    FD_SET(S(FD_SETSIZE + 1), &set);
    ok(set.fd_count == FD_SETSIZE, "count after overflow %u", set.fd_count);
    ok(!FD_ISSET(S(FD_SETSIZE), &set), "overflowing socket reported set");
    ok(set.fd_array[FD_SETSIZE - 1] == S(FD_SETSIZE - 1), "last slot overwritten");

    /* A duplicate of a present socket on a full set still does nothing. */
    FD_SET(S(10), &set);
    ok(set.fd_count == FD_SETSIZE, "count after duplicate on full set %u", set.fd_count);

    /* Room again after a clear; the new one goes to the end. */
    FD_CLR(S(0), &set);
    ok(set.fd_count == FD_SETSIZE - 1 && set.fd_array[0] == S(1), "after clear on full set: count %u",
       set.fd_count);
    FD_SET(S(100), &set);
    ok(set.fd_count == FD_SETSIZE && set.fd_array[FD_SETSIZE - 1] == S(100), "refill: count %u last %#llx",
       set.fd_count, (unsigned long long)set.fd_array[FD_SETSIZE - 1]);
    ok(FD_ISSET(S(100), &set) && !FD_ISSET(S(0), &set), "refill membership");
}

static void test_wsafdisset_scans_count(void)
{
    fd_set set;

    /* Only the first fd_count entries count. */
    FD_ZERO(&set);
    set.fd_array[0] = S(7);
    set.fd_array[1] = S(8);
    set.fd_count = 1;
    ok(__WSAFDIsSet(S(7), &set) != 0, "entry inside count not found");
    ok(__WSAFDIsSet(S(8), &set) == 0, "entry beyond count found");
    set.fd_count = 2;
    ok(__WSAFDIsSet(S(8), &set) != 0, "entry found after raising count");
    set.fd_count = 0;
    ok(__WSAFDIsSet(S(7), &set) == 0, "entry found with count 0");
}

int main(void)
{
    tu_startup();
    test_layout();
    test_zero_set_isset();
    test_clr();
    test_capacity();
    test_wsafdisset_scans_count();
    WSACleanup();
    return test_done();
}
