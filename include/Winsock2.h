#include "winsock2.h" /* ws2-uring: <Winsock2.h> is the Windows spelling of <winsock2.h> */
