#include "ws2tcpip.h" /* ws2-uring: <WS2tcpip.h> is the Windows spelling of <ws2tcpip.h> */
