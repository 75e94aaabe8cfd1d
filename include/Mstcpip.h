#include "mstcpip.h" /* ws2-uring: <Mstcpip.h> is the Windows spelling of <mstcpip.h> */
