/* examples/wsapoll.c (the Winsock "wsapoll" sample form: non-blocking client and server end
 * driven by one WSAPoll loop) over 127.0.0.1 and ::1 on ephemeral ports: every byte of the
 * stream must come back intact and both ends must see the orderly close. */
#include "testutil.h"

#define WSAPOLL_NO_MAIN
#include "../examples/wsapoll.c"

int main(void)
{
    unsigned long long t0;
    tu_startup();
    t0 = tu_now_ms();
    ok(wsapoll_run("127.0.0.1", "0", 500000) == 0, "IPv4: every byte echoed and verified");
    ok(wsapoll_run("::1", "0", 200000) == 0, "IPv6: every byte echoed and verified");
    ok(wsapoll_run("127.0.0.1", "0", 1) == 0, "IPv4: one byte echoed and verified");
    ok(tu_now_ms() - t0 < 30000, "done in %llu ms", tu_now_ms() - t0);
    WSACleanup();
    return test_done();
}
