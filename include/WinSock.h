#include "winsock.h" /* ws2-uring: <WinSock.h> is the Windows spelling of <winsock.h> */
