#include "ws2tcpip.h" /* ws2-uring: <Ws2tcpip.h> is the Windows spelling of <ws2tcpip.h> */
