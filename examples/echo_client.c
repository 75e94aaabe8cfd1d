/* A Windows TCP echo client: several connections at once, one thread each (CreateThread), each
 * sending many messages of varied sizes and reading every echo back, checking every byte. At the
 * end it prints the throughput (messages/s, MB/s both ways) and the round-trip latency.
 *
 * Portable Windows C: builds unchanged with mingw-w64 / MSVC for Windows and, on Linux, against
 * ws2-uring:  cc -I include examples/echo_client.c -o echo_client -L target/release -lws2_32
 *
 * Usage: echo_client PORT [MESSAGES] [HOST] [CONNECTIONS]
 *   PORT         the server's port
 *   MESSAGES     messages per connection (default 200)
 *   HOST         the server's address (default 127.0.0.1)
 *   CONNECTIONS  connections at once (default 4)
 * Exits 0 only when every echo of every connection came back intact.
 *
 * A program can include this file with ECHO_CLIENT_NO_MAIN defined and call echo_client_run.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLI_MAX_CONNECTIONS 64
#define CLI_MAX_MESSAGE 16384
#define CLI_TIMEOUT_MS 20000 /* SO_RCVTIMEO / SO_SNDTIMEO of every connection */

/* Message sizes, cycled through: tiny, odd, around an MTU, page-sized and large. */
static const int cli_sizes[] = {1, 7, 64, 100, 512, 1400, 1500, 4096, 9000, 16384, 3, 12000};
#define CLI_NSIZES ((int)(sizeof(cli_sizes) / sizeof(cli_sizes[0])))

struct cli_state {
    const char *host, *port;
    int messages;
    CRITICAL_SECTION lock; /* guards everything below */
    int connections_ok, errors;
    unsigned long long verified_msgs, verified_bytes;
    double lat_sum_us, lat_min_us, lat_max_us;
};

struct cli_conn {
    struct cli_state *st;
    int id;
};

/* Microseconds from some fixed point, from the performance counter. */
static double cli_now_us(void)
{
    LARGE_INTEGER count, freq;
    QueryPerformanceCounter(&count);
    QueryPerformanceFrequency(&freq);
    return (double)count.QuadPart * 1e6 / (double)freq.QuadPart;
}

/* The byte at offset i of message m of connection c: deterministic, differs between them. */
static char cli_pattern(int c, int m, int i)
{
    return (char)((c * 131 + m * 31 + i * 7 + (i >> 8)) & 0xff);
}

/* Report a failure, with the system's text for the error when there is one. */
static int cli_fail(struct cli_conn *cc, const char *what, int err)
{
    LPSTR text = NULL;
    DWORD len = 0;
    if (err != 0)
        len = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS |
                                 FORMAT_MESSAGE_ALLOCATE_BUFFER,
                             NULL, (DWORD)err, 0, (LPSTR)&text, 0, NULL);
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
        text[--len] = '\0';
    if (len > 0)
        fprintf(stderr, "echo_client: connection %d: %s (error %d: %s)\n", cc->id, what, err, text);
    else
        fprintf(stderr, "echo_client: connection %d: %s (error %d)\n", cc->id, what, err);
    if (text != NULL)
        LocalFree(text);
    EnterCriticalSection(&cc->st->lock);
    cc->st->errors++;
    LeaveCriticalSection(&cc->st->lock);
    return 1;
}

static DWORD WINAPI cli_connection(LPVOID arg)
{
    struct cli_conn *cc = (struct cli_conn *)arg;
    struct cli_state *st = cc->st;
    static const DWORD timeout = CLI_TIMEOUT_MS;
    struct addrinfo hints, *res = NULL, *ai;
    SOCKET s = INVALID_SOCKET;
    char *out = NULL, *in = NULL;
    double lat_sum = 0, lat_min = 1e300, lat_max = 0;
    unsigned long long bytes = 0;
    int m, i, r;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    r = getaddrinfo(st->host, st->port, &hints, &res);
    if (r != 0)
        return cli_fail(cc, "getaddrinfo failed", r);
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        s = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (s == INVALID_SOCKET)
            continue;
        if (connect(s, ai->ai_addr, (int)ai->ai_addrlen) == 0)
            break;
        closesocket(s);
        s = INVALID_SOCKET;
    }
    freeaddrinfo(res);
    if (s == INVALID_SOCKET)
        return cli_fail(cc, "could not connect", WSAGetLastError());
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof(timeout));
    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, (const char *)&timeout, sizeof(timeout));

    out = (char *)HeapAlloc(GetProcessHeap(), 0, CLI_MAX_MESSAGE);
    in = (char *)HeapAlloc(GetProcessHeap(), 0, CLI_MAX_MESSAGE);
    if (out == NULL || in == NULL) {
        r = cli_fail(cc, "out of memory", 0);
        goto done;
    }
    for (m = 0; m < st->messages; m++) {
        int len = cli_sizes[(m + cc->id) % CLI_NSIZES], got = 0, sent = 0;
        double t0 = cli_now_us(), lat;
        for (i = 0; i < len; i++)
            out[i] = cli_pattern(cc->id, m, i);
        while (sent < len) {
            int n = send(s, out + sent, len - sent, 0);
            if (n == SOCKET_ERROR) {
                r = cli_fail(cc, "send failed", WSAGetLastError());
                goto done;
            }
            sent += n;
        }
        while (got < len) {
            int n = recv(s, in + got, len - got, 0);
            if (n == SOCKET_ERROR) {
                r = cli_fail(cc, "recv failed", WSAGetLastError());
                goto done;
            }
            if (n == 0) {
                r = cli_fail(cc, "the server closed the connection early", 0);
                goto done;
            }
            got += n;
        }
        lat = cli_now_us() - t0;
        if (memcmp(in, out, (size_t)len) != 0) {
            for (i = 0; i < len && in[i] == out[i]; i++)
                ;
            fprintf(stderr, "echo_client: connection %d: message %d differs at byte %d\n", cc->id,
                    m, i);
            r = cli_fail(cc, "echo mismatch", 0);
            goto done;
        }
        bytes += (unsigned long long)len;
        lat_sum += lat;
        if (lat < lat_min)
            lat_min = lat;
        if (lat > lat_max)
            lat_max = lat;
    }
    /* Orderly close: FIN, then the server's FIN (recv returns 0). */
    shutdown(s, SD_SEND);
    r = recv(s, in != NULL ? in : (char *)&m, 1, 0);
    if (r != 0) {
        r = cli_fail(cc, "expected the server to close after our FIN", WSAGetLastError());
        goto done;
    }
    EnterCriticalSection(&st->lock);
    st->connections_ok++;
    st->verified_msgs += (unsigned long long)st->messages;
    st->verified_bytes += bytes;
    st->lat_sum_us += lat_sum;
    if (lat_min < st->lat_min_us)
        st->lat_min_us = lat_min;
    if (lat_max > st->lat_max_us)
        st->lat_max_us = lat_max;
    LeaveCriticalSection(&st->lock);
    printf("connection %d: %d messages, %llu bytes echoed and verified\n", cc->id, st->messages,
           bytes);
    fflush(stdout);
    r = 0;
done:
    if (out != NULL)
        HeapFree(GetProcessHeap(), 0, out);
    if (in != NULL)
        HeapFree(GetProcessHeap(), 0, in);
    closesocket(s);
    return (DWORD)r;
}

/* Run `connections` connections to host:port at once, `messages` messages each. Returns 0 when
 * every byte of every echo was verified. WSAStartup must have been called. */
static int echo_client_run(const char *host, const char *port, int connections, int messages)
{
    struct cli_state st;
    struct cli_conn conns[CLI_MAX_CONNECTIONS];
    HANDLE threads[CLI_MAX_CONNECTIONS];
    int n = 0, i, ok_all;
    double t0, secs;

    if (connections < 1 || connections > CLI_MAX_CONNECTIONS || messages < 1) {
        fprintf(stderr, "echo_client: CONNECTIONS must be 1..%d and MESSAGES at least 1\n",
                CLI_MAX_CONNECTIONS);
        return 2;
    }
    memset(&st, 0, sizeof(st));
    st.host = host;
    st.port = port;
    st.messages = messages;
    st.lat_min_us = 1e300;
    InitializeCriticalSection(&st.lock);

    printf("%d connections to %s port %s, %d messages each\n", connections, host, port, messages);
    fflush(stdout);
    t0 = cli_now_us();
    for (i = 0; i < connections; i++) {
        conns[i].st = &st;
        conns[i].id = i + 1;
        threads[i] = CreateThread(NULL, 0, cli_connection, &conns[i], 0, NULL);
        if (threads[i] == NULL) {
            fprintf(stderr, "echo_client: CreateThread failed: %lu\n", (unsigned long)GetLastError());
            st.errors++;
            break;
        }
        n++;
    }
    if (n > 0 && WaitForMultipleObjects((DWORD)n, threads, TRUE, 60000) != WAIT_OBJECT_0) {
        fprintf(stderr, "echo_client: the connections did not finish in time\n");
        DeleteCriticalSection(&st.lock);
        return 1; /* threads still use st: leave them (the process exits) */
    }
    secs = (cli_now_us() - t0) / 1e6;
    for (i = 0; i < n; i++)
        CloseHandle(threads[i]);

    ok_all = st.connections_ok == connections && st.errors == 0;
    printf("%d of %d connections verified: %llu messages, %llu bytes echoed in %.3f s\n",
           st.connections_ok, connections, st.verified_msgs, st.verified_bytes, secs);
    if (st.verified_msgs > 0 && secs > 0)
        printf("throughput: %.0f msgs/s, %.2f MB/s each way; round-trip latency: avg %.1f us, "
               "min %.1f us, max %.1f us\n",
               (double)st.verified_msgs / secs, (double)st.verified_bytes / secs / 1e6,
               st.lat_sum_us / (double)st.verified_msgs, st.lat_min_us, st.lat_max_us);
    fflush(stdout);
    DeleteCriticalSection(&st.lock);
    return ok_all ? 0 : 1;
}

#ifndef ECHO_CLIENT_NO_MAIN
int main(int argc, char **argv)
{
    const char *port = argc > 1 ? argv[1] : "5555";
    int messages = argc > 2 ? atoi(argv[2]) : 200;
    const char *host = argc > 3 ? argv[3] : "127.0.0.1";
    int connections = argc > 4 ? atoi(argv[4]) : 4;
    WSADATA wsa;
    int r = WSAStartup(MAKEWORD(2, 2), &wsa);
    if (r != 0) {
        fprintf(stderr, "echo_client: WSAStartup failed: %d\n", r);
        return 1;
    }
    r = echo_client_run(host, port, connections, messages);
    WSACleanup();
    return r;
}
#endif
