#include "mswsock.h" /* ws2-uring: <Mswsock.h> is the Windows spelling of <mswsock.h> */
