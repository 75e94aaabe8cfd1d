#include "mstcpip.h" /* ws2-uring: <MSTcpIP.h> is the Windows spelling of <mstcpip.h> */
