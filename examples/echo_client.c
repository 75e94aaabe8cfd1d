/* A Windows-style TCP echo client: connects, sends messages of varied sizes, reads each echo
 * back and checks every byte.
 *
 * Portable Windows C: builds unchanged with mingw-w64 / MSVC for Windows and, on Linux, against
 * ws2-uring:  cc -I include examples/echo_client.c -o echo_client -L target/release -lws2_32
 *
 * Usage: echo_client PORT [MESSAGES] [HOST]
 *   PORT      the server's port
 *   MESSAGES  how many messages to send (default 200)
 *   HOST      the server's address (default 127.0.0.1)
 * Exits 0 when every echo came back intact.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Message sizes, cycled through: tiny, odd, around an MTU, page-sized and large. */
static const int sizes[] = {1, 7, 64, 100, 512, 1400, 1500, 4096, 9000, 16384, 32768, 3, 65000};
#define NSIZES ((int)(sizeof(sizes) / sizeof(sizes[0])))
#define MAX_MESSAGE 65536

/* Milliseconds from some fixed point: GetTickCount64 on Windows, C11 timespec_get elsewhere. */
static double now_ms(void)
{
#ifdef _WIN32
    return (double)GetTickCount64();
#else
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
#endif
}

/* The content of message `seq`: a byte pattern that differs per message and per offset. */
static void fill(char *buf, int len, unsigned seq)
{
    unsigned x = seq * 2654435761u + 12345u;
    int i;
    for (i = 0; i < len; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (char)(x >> 16);
    }
}

int main(int argc, char **argv)
{
    const char *port = argc > 1 ? argv[1] : "5555";
    int messages = argc > 2 ? atoi(argv[2]) : 200;
    const char *host = argc > 3 ? argv[3] : "127.0.0.1";
    static char out[MAX_MESSAGE], in[MAX_MESSAGE];
    unsigned long long sent_bytes = 0;
    struct addrinfo hints, *res = NULL, *ai;
    SOCKET s = INVALID_SOCKET;
    int verified = 0, bad = 0, smallest = MAX_MESSAGE, largest = 0;
    double start, elapsed;
    WSADATA wsa;
    int r, m;

    if (messages < 1) {
        fprintf(stderr, "echo_client: MESSAGES must be at least 1\n");
        return 2;
    }
    r = WSAStartup(MAKEWORD(2, 2), &wsa);
    if (r != 0) {
        fprintf(stderr, "echo_client: WSAStartup failed: %d\n", r);
        return 1;
    }

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    r = getaddrinfo(host, port, &hints, &res);
    if (r != 0) {
        fprintf(stderr, "echo_client: getaddrinfo(%s, %s) failed: %d\n", host, port, r);
        WSACleanup();
        return 1;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        s = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (s == INVALID_SOCKET)
            continue;
        if (connect(s, ai->ai_addr, (int)ai->ai_addrlen) == 0)
            break;
        closesocket(s);
        s = INVALID_SOCKET;
    }
    freeaddrinfo(res);
    if (s == INVALID_SOCKET) {
        fprintf(stderr, "echo_client: cannot connect to %s:%s: %d\n", host, port,
                WSAGetLastError());
        WSACleanup();
        return 1;
    }
    printf("echo_client: connected to %s:%s\n", host, port);

    start = now_ms();
    for (m = 0; m < messages; m++) {
        int len = sizes[m % NSIZES], done;
        fill(out, len, (unsigned)m);
        for (done = 0; done < len;) {
            int n = send(s, out + done, len - done, 0);
            if (n == SOCKET_ERROR) {
                fprintf(stderr, "echo_client: message %d: send failed: %d\n", m,
                        WSAGetLastError());
                goto out;
            }
            done += n;
        }
        sent_bytes += (unsigned long long)len;
        for (done = 0; done < len;) {
            int n = recv(s, in + done, len - done, 0);
            if (n == SOCKET_ERROR || n == 0) {
                fprintf(stderr, "echo_client: message %d: %s after %d of %d bytes: %d\n", m,
                        n == 0 ? "connection closed" : "recv failed", done, len,
                        WSAGetLastError());
                goto out;
            }
            done += n;
        }
        if (memcmp(out, in, (size_t)len) != 0) {
            int i = 0;
            while (out[i] == in[i])
                i++;
            fprintf(stderr, "echo_client: message %d (%d bytes): echo differs at byte %d\n", m,
                    len, i);
            bad++;
        } else {
            verified++;
        }
    }
out:
    elapsed = now_ms() - start;
    if (shutdown(s, SD_SEND) == SOCKET_ERROR)
        fprintf(stderr, "echo_client: shutdown failed: %d\n", WSAGetLastError());
    closesocket(s);
    WSACleanup();
    for (m = 0; m < messages && m < NSIZES; m++) {
        if (sizes[m] < smallest)
            smallest = sizes[m];
        if (sizes[m] > largest)
            largest = sizes[m];
    }
    printf("echo_client: %d of %d messages echoed and verified (%d..%d bytes each), "
           "%llu bytes each way, %.1f ms\n",
           verified, messages, smallest, largest, sent_bytes, elapsed);
    return verified == messages && bad == 0 ? 0 : 1;
}
