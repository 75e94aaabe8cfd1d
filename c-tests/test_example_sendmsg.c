/* examples/sendmsg.c (the Winsock "sendmsg" sample form: WSASendMsg with IN_PKTINFO /
 * IN6_PKTINFO control data choosing the source, overlapped WSARecvMsg with IP_PKTINFO /
 * IPV6_PKTINFO reporting the destination, walked with the WSA_CMSG_* macros) over 127.0.0.1 and
 * ::1: every datagram must arrive intact, from the sender's address, with exactly one
 * packet-information message naming the receiver's address. */
#include "testutil.h"

#define SENDMSG_NO_MAIN
#include "../examples/sendmsg.c"

int main(void)
{
    tu_startup();
    ok(sendmsg_run("127.0.0.1", 40, 700) == 0, "IPv4: every datagram verified");
    ok(sendmsg_run("::1", 40, 700) == 0, "IPv6: every datagram verified");
    ok(sendmsg_run("127.0.0.1", 5, 1) == 0, "IPv4: one-byte datagrams verified");
    ok(sendmsg_run("::1", 5, 8192) == 0, "IPv6: 8192-byte datagrams verified");
    WSACleanup();
    return test_done();
}
