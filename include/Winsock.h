#include "winsock.h" /* ws2-uring: <Winsock.h> is the Windows spelling of <winsock.h> */
