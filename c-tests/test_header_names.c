/* The header names as Windows code spells them (Windows' file system ignores case):
 * <WinSock2.h>, <WS2tcpip.h>, <MSWSock.h>, <Windows.h>, <MSTcpIP.h>, <WinSock.h> and the other
 * common spellings all resolve, and together with <strsafe.h> and <tchar.h> give a program that
 * uses each header's API. mingw-w64 installs its headers in lower case and a cross build on Linux
 * is case-sensitive, so the Wine build includes the lower-case names; the native build includes
 * every Windows spelling (include-matrix.sh also checks each one preprocesses exactly as the
 * lower-case header). */
#include "testutil.h"
#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>
#include <mstcpip.h>
#include <winsock.h>
#include <tchar.h>
#include <strsafe.h>
#else
#include <WinSock2.h>
#include <Winsock2.h>
#include <WS2tcpip.h>
#include <Ws2tcpip.h>
#include <MSWSock.h>
#include <Mswsock.h>
#include <Windows.h>
#include <MSTcpIP.h>
#include <Mstcpip.h>
#include <WinSock.h>
#include <Winsock.h>
#include <Ws2def.h>
#include <Ws2ipdef.h>
#include <tchar.h>
#include <Strsafe.h>
#endif

int _tmain(int argc, _TCHAR **argv)
{
    SOCKET s;
    struct sockaddr_in a;
    struct tcp_keepalive ka;
    GUID guid = WSAID_ACCEPTEX;
    LPFN_ACCEPTEX accept_ex = NULL;
    DWORD bytes = 0;
    TCHAR text[INET_ADDRSTRLEN + 16], addr[INET_ADDRSTRLEN];
    size_t len = 0;
    HRESULT hr;

    UNREFERENCED_PARAMETER(argc);
    UNREFERENCED_PARAMETER(argv);
    tu_startup();

    s = tu_listener(&a);

    /* <mstcpip.h>: keep-alive values on a socket. */
    ka.onoff = 1;
    ka.keepalivetime = 30000;
    ka.keepaliveinterval = 1000;
    ok(WSAIoctl(s, SIO_KEEPALIVE_VALS, &ka, sizeof(ka), NULL, 0, &bytes, NULL, NULL) == 0,
       "SIO_KEEPALIVE_VALS: error %d", WSAGetLastError());

    /* <mswsock.h>: the AcceptEx extension function. */
    ok(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &accept_ex, sizeof(accept_ex), &bytes,
                NULL, NULL) == 0,
       "SIO_GET_EXTENSION_FUNCTION_POINTER: error %d", WSAGetLastError());
    ok(accept_ex != NULL && bytes == sizeof(accept_ex), "AcceptEx pointer, %lu bytes", (unsigned long)bytes);

    /* <ws2tcpip.h>, <strsafe.h>, <tchar.h>: the address as text. */
    ok(inet_ntop(AF_INET, &a.sin_addr, addr, _countof(addr)) != NULL, "inet_ntop: error %d", WSAGetLastError());
    hr = StringCchPrintf(text, _countof(text), _T("%s:%u"), addr, (unsigned)ntohs(a.sin_port));
    ok(hr == S_OK, "StringCchPrintf: %08lx", (unsigned long)hr);
    ok(_tcsncmp(text, _T("127.0.0.1:"), 10) == 0 && _ttoi(text + 10) == ntohs(a.sin_port), "address text '%s'",
       text);
    ok(StringCchLength(text, _countof(text), &len) == S_OK && len == _tcslen(text), "StringCchLength");

    closesocket(s);
    tu_check_tcp_pair();
    WSACleanup();
    return test_done();
}
