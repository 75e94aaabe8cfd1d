/*
 * ws2-uring: <mswsock.h> -- Microsoft Winsock extensions: the extension-function pointer
 * types and their WSAID_* GUIDs (AcceptEx, ConnectEx, DisconnectEx, GetAcceptExSockaddrs,
 * TransmitFile, TransmitPackets, WSARecvMsg, WSASendMsg, WSAPoll), TF_* / TP_* flags,
 * TRANSMIT_FILE_BUFFERS, TRANSMIT_PACKETS_ELEMENT, and the Microsoft-specific socket options.
 * Pulls in <winsock2.h>.
 *
 * Obtain the functions with WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER); AcceptEx,
 * GetAcceptExSockaddrs and TransmitFile are also exported by name, as mswsock.dll exports them.
 */
#ifndef _MSWSOCK_
#define _MSWSOCK_

#include <winsock2.h>

#ifdef __cplusplus
extern "C" {
#endif

/* SO_CONNDATA .. SO_UPDATE_CONNECT_CONTEXT are defined by <ws2def.h> (through <winsock2.h>). */
#ifndef TCP_BSDURGENT
#define TCP_BSDURGENT 0x7000
#endif

#ifndef SIO_UDP_CONNRESET
#define SIO_UDP_CONNRESET _WSAIOW(IOC_VENDOR, 12)
#endif
#define SIO_BSP_HANDLE _WSAIOR(IOC_WS2, 27)
#define SIO_BSP_HANDLE_SELECT _WSAIOR(IOC_WS2, 28)
#define SIO_BSP_HANDLE_POLL _WSAIOR(IOC_WS2, 29)
#define SIO_EXT_SELECT _WSAIORW(IOC_WS2, 30)
#define SIO_EXT_POLL _WSAIORW(IOC_WS2, 31)
#define SIO_EXT_SENDMSG _WSAIORW(IOC_WS2, 32)
#define SIO_BASE_HANDLE _WSAIOR(IOC_WS2, 34)

/* ---- TransmitFile ---- */
#define TF_DISCONNECT 0x01
#define TF_REUSE_SOCKET 0x02
#define TF_WRITE_BEHIND 0x04
#define TF_USE_DEFAULT_WORKER 0x00
#define TF_USE_SYSTEM_THREAD 0x10
#define TF_USE_KERNEL_APC 0x20

typedef struct _TRANSMIT_FILE_BUFFERS {
    LPVOID Head;
    DWORD HeadLength;
    LPVOID Tail;
    DWORD TailLength;
} TRANSMIT_FILE_BUFFERS, *PTRANSMIT_FILE_BUFFERS, *LPTRANSMIT_FILE_BUFFERS;

typedef BOOL (PASCAL *LPFN_TRANSMITFILE)(SOCKET hSocket, HANDLE hFile,
                                         DWORD nNumberOfBytesToWrite,
                                         DWORD nNumberOfBytesPerSend,
                                         LPOVERLAPPED lpOverlapped,
                                         LPTRANSMIT_FILE_BUFFERS lpTransmitBuffers,
                                         DWORD dwReserved);
#define WSAID_TRANSMITFILE \
    { 0xb5367df0, 0xcbac, 0x11cf, { 0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92 } }

WINSOCK_API_LINKAGE BOOL PASCAL TransmitFile(SOCKET hSocket, HANDLE hFile, DWORD nNumberOfBytesToWrite, DWORD nNumberOfBytesPerSend, LPOVERLAPPED lpOverlapped, LPTRANSMIT_FILE_BUFFERS lpTransmitBuffers, DWORD dwReserved);

/* ---- AcceptEx / GetAcceptExSockaddrs ---- */
typedef BOOL (PASCAL *LPFN_ACCEPTEX)(SOCKET sListenSocket, SOCKET sAcceptSocket,
                                     PVOID lpOutputBuffer, DWORD dwReceiveDataLength,
                                     DWORD dwLocalAddressLength, DWORD dwRemoteAddressLength,
                                     LPDWORD lpdwBytesReceived, LPOVERLAPPED lpOverlapped);
#define WSAID_ACCEPTEX \
    { 0xb5367df1, 0xcbac, 0x11cf, { 0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92 } }

typedef VOID (PASCAL *LPFN_GETACCEPTEXSOCKADDRS)(PVOID lpOutputBuffer, DWORD dwReceiveDataLength,
                                                 DWORD dwLocalAddressLength,
                                                 DWORD dwRemoteAddressLength,
                                                 struct sockaddr **LocalSockaddr,
                                                 LPINT LocalSockaddrLength,
                                                 struct sockaddr **RemoteSockaddr,
                                                 LPINT RemoteSockaddrLength);
#define WSAID_GETACCEPTEXSOCKADDRS \
    { 0xb5367df2, 0xcbac, 0x11cf, { 0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92 } }

WINSOCK_API_LINKAGE BOOL PASCAL AcceptEx(SOCKET sListenSocket, SOCKET sAcceptSocket, PVOID lpOutputBuffer, DWORD dwReceiveDataLength, DWORD dwLocalAddressLength, DWORD dwRemoteAddressLength, LPDWORD lpdwBytesReceived, LPOVERLAPPED lpOverlapped);
WINSOCK_API_LINKAGE VOID PASCAL GetAcceptExSockaddrs(PVOID lpOutputBuffer, DWORD dwReceiveDataLength, DWORD dwLocalAddressLength, DWORD dwRemoteAddressLength, struct sockaddr **LocalSockaddr, LPINT LocalSockaddrLength, struct sockaddr **RemoteSockaddr, LPINT RemoteSockaddrLength);

/* ---- TransmitPackets ---- */
#define TP_ELEMENT_MEMORY 1
#define TP_ELEMENT_FILE 2
#define TP_ELEMENT_EOP 4

typedef struct _TRANSMIT_PACKETS_ELEMENT {
    ULONG dwElFlags;
    ULONG cLength;
    __extension__ union {
        __extension__ struct {
            LARGE_INTEGER nFileOffset;
            HANDLE hFile;
        };
        PVOID pBuffer;
    };
} TRANSMIT_PACKETS_ELEMENT, *PTRANSMIT_PACKETS_ELEMENT, *LPTRANSMIT_PACKETS_ELEMENT;

#define TP_DISCONNECT TF_DISCONNECT
#define TP_REUSE_SOCKET TF_REUSE_SOCKET
#define TP_USE_DEFAULT_WORKER TF_USE_DEFAULT_WORKER
#define TP_USE_SYSTEM_THREAD TF_USE_SYSTEM_THREAD
#define TP_USE_KERNEL_APC TF_USE_KERNEL_APC

typedef BOOL (PASCAL *LPFN_TRANSMITPACKETS)(SOCKET hSocket,
                                            LPTRANSMIT_PACKETS_ELEMENT lpPacketArray,
                                            DWORD nElementCount, DWORD nSendSize,
                                            LPOVERLAPPED lpOverlapped, DWORD dwFlags);
#define WSAID_TRANSMITPACKETS \
    { 0xd9689da0, 0x1f90, 0x11d3, { 0x99, 0x71, 0x00, 0xc0, 0x4f, 0x68, 0xc8, 0x76 } }

/* ---- ConnectEx / DisconnectEx ---- */
typedef BOOL (PASCAL *LPFN_CONNECTEX)(SOCKET s, const struct sockaddr *name, int namelen,
                                      PVOID lpSendBuffer, DWORD dwSendDataLength,
                                      LPDWORD lpdwBytesSent, LPOVERLAPPED lpOverlapped);
#define WSAID_CONNECTEX \
    { 0x25a207b9, 0xddf3, 0x4660, { 0x8e, 0xe9, 0x76, 0xe5, 0x8c, 0x74, 0x06, 0x3e } }

typedef BOOL (PASCAL *LPFN_DISCONNECTEX)(SOCKET s, LPOVERLAPPED lpOverlapped, DWORD dwFlags,
                                         DWORD dwReserved);
#define WSAID_DISCONNECTEX \
    { 0x7fda2e11, 0x8630, 0x436f, { 0xa0, 0x31, 0xf5, 0x36, 0xa6, 0xee, 0xc1, 0x57 } }

#define DE_REUSE_SOCKET TF_REUSE_SOCKET

/* ---- network location awareness ---- */
#define NLA_NAMESPACE_GUID \
    { 0x6642243a, 0x3ba8, 0x4aa6, { 0xba, 0xa5, 0x2e, 0x0b, 0xd7, 0x1f, 0xdd, 0x83 } }
#define NLA_SERVICE_CLASS_GUID \
    { 0x37e515, 0xb5c9, 0x4a43, { 0xba, 0xda, 0x8b, 0x48, 0xa8, 0x7a, 0xd2, 0x39 } }
#define NLA_ALLUSERS_NETWORK 0x00000001
#define NLA_FRIENDLY_NAME 0x00000002

/* ---- WSARecvMsg / WSASendMsg / WSAPoll ---- */
typedef INT (PASCAL *LPFN_WSARECVMSG)(SOCKET s, LPWSAMSG lpMsg, LPDWORD lpdwNumberOfBytesRecvd,
                                      LPWSAOVERLAPPED lpOverlapped,
                                      LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
#define WSAID_WSARECVMSG \
    { 0xf689d7c8, 0x6f1f, 0x436b, { 0x8a, 0x53, 0xe5, 0x4f, 0xe3, 0x51, 0xc3, 0x22 } }

typedef struct {
    int result;
    ULONG fds;
    INT timeout;
    __extension__ WSAPOLLFD fdArray[0];
} WSAPOLLDATA, *LPWSAPOLLDATA;

typedef INT (WSAAPI *LPFN_WSAPOLL)(LPWSAPOLLFD fdarray, ULONG nfds, INT timeout);
#define WSAID_WSAPOLL \
    { 0x18C76F85, 0xDC66, 0x4964, { 0x97, 0x2E, 0x23, 0xC2, 0x72, 0x38, 0x31, 0x2B } }

typedef struct {
    LPWSAMSG lpMsg;
    DWORD dwFlags;
    LPDWORD lpNumberOfBytesSent;
    LPWSAOVERLAPPED lpOverlapped;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine;
} WSASENDMSG, *LPWSASENDMSG;

typedef INT (WSAAPI *LPFN_WSASENDMSG)(SOCKET s, LPWSAMSG lpMsg, DWORD dwFlags,
                                      LPDWORD lpNumberOfBytesSent, LPWSAOVERLAPPED lpOverlapped,
                                      LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
#define WSAID_WSASENDMSG \
    { 0xa441e712, 0x754f, 0x43ca, { 0x84, 0xa7, 0x0d, 0xee, 0x44, 0xcf, 0x60, 0x6d } }

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* _MSWSOCK_ */
