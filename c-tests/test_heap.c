/* Heaps and LocalAlloc/GlobalAlloc: sizes as requested, zeroing (also on growth), in-place
 * reallocation, fixed-maximum heaps, HeapDestroy, moveable blocks with Lock/Unlock. */
#include "testutil.h"

static int all_zero(const unsigned char *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

static void test_process_heap(void)
{
    HANDLE h = GetProcessHeap();
    unsigned char *p, *q;
    ok(h != NULL, "GetProcessHeap gave NULL");
    ok(GetProcessHeap() == h, "GetProcessHeap not stable");

    p = (unsigned char *)HeapAlloc(h, HEAP_ZERO_MEMORY, 100);
    ok(p != NULL, "HeapAlloc(100) failed");
    ok(((ULONG_PTR)p & 15) == 0, "block %p not 16-byte aligned", (void *)p);
    ok(all_zero(p, 100), "HEAP_ZERO_MEMORY block not zeroed");
    ok(HeapSize(h, 0, p) == 100, "HeapSize %lu, want 100", (unsigned long)HeapSize(h, 0, p));
    memset(p, 0xab, 100);

    q = (unsigned char *)HeapReAlloc(h, HEAP_ZERO_MEMORY, p, 100000);
    ok(q != NULL, "HeapReAlloc grow failed");
    if (q) {
        ok(q[0] == 0xab && q[99] == 0xab, "contents not kept on growth");
        ok(all_zero(q + 100, 100000 - 100), "growth not zeroed with HEAP_ZERO_MEMORY");
        ok(HeapSize(h, 0, q) == 100000, "HeapSize after grow %lu", (unsigned long)HeapSize(h, 0, q));
        p = q;
    }
    q = (unsigned char *)HeapReAlloc(h, 0, p, 10);
    ok(q != NULL, "HeapReAlloc shrink failed");
    if (q) {
        ok(q[0] == 0xab && q[9] == 0xab, "contents not kept on shrink");
        ok(HeapSize(h, 0, q) == 10, "HeapSize after shrink %lu", (unsigned long)HeapSize(h, 0, q));
        p = q;
    }
    /* Growing far beyond the block cannot happen in place. */
    SetLastError(0xdeadbeef);
    q = (unsigned char *)HeapReAlloc(h, HEAP_REALLOC_IN_PLACE_ONLY, p, 4 * 1024 * 1024);
    ok(q == NULL, "in-place growth to 4 MB succeeded");
    ok(GetLastError() == ERROR_NOT_ENOUGH_MEMORY, "in-place failure error %lu",
       (unsigned long)GetLastError());
    ok(HeapSize(h, 0, p) == 10, "failed in-place realloc changed the size");
    /* Shrinking in place always works and keeps the address. */
    q = (unsigned char *)HeapReAlloc(h, HEAP_REALLOC_IN_PLACE_ONLY, p, 4);
    ok(q == p, "in-place shrink moved or failed (%p -> %p)", (void *)p, (void *)q);
    ok(HeapSize(h, 0, p) == 4, "HeapSize after in-place shrink");

    ok(HeapFree(h, 0, p) == TRUE, "HeapFree failed: %lu", (unsigned long)GetLastError());
    ok(HeapFree(h, 0, NULL) == TRUE, "HeapFree(NULL) did not return TRUE");
    ok(HeapFree(h, HEAP_NO_SERIALIZE, NULL) == TRUE, "HeapFree(NO_SERIALIZE, NULL)");

    p = (unsigned char *)HeapAlloc(h, HEAP_NO_SERIALIZE, 0);
    ok(p != NULL, "HeapAlloc(0) gave NULL");
    ok(HeapSize(h, 0, p) == 0, "HeapSize of a 0-byte block");
    HeapFree(h, 0, p);

    /* An impossible size fails with NULL. */
    p = (unsigned char *)HeapAlloc(h, 0, ~(SIZE_T)0 - 4096);
    ok(p == NULL, "HeapAlloc(~0) succeeded");
}

static void test_private_heaps(void)
{
    HANDLE h = HeapCreate(0, 0, 0), fixed;
    void *blocks[64];
    int i, n;
    unsigned char *p;

    ok(h != NULL && h != GetProcessHeap(), "HeapCreate growable");
    for (i = 0; i < 64; i++) {
        blocks[i] = HeapAlloc(h, 0, 1000 + i);
        ok(blocks[i] != NULL, "private alloc %d", i);
    }
    ok(HeapSize(h, 0, blocks[5]) == 1005, "private HeapSize");
    ok(HeapFree(h, 0, blocks[0]), "private HeapFree");
    p = (unsigned char *)HeapAlloc(h, HEAP_ZERO_MEMORY, 2 * 1024 * 1024);
    ok(p != NULL && all_zero(p, 2 * 1024 * 1024), "2 MB zeroed block in a growable heap");
    /* HeapDestroy frees every block of the heap. */
    ok(HeapDestroy(h) == TRUE, "HeapDestroy: %lu", (unsigned long)GetLastError());

    /* A heap with a maximum size refuses allocations beyond it. */
    fixed = HeapCreate(0, 0, 65536);
    ok(fixed != NULL, "HeapCreate(0, 0, 65536)");
    p = (unsigned char *)HeapAlloc(fixed, 0, 1000);
    ok(p != NULL, "small alloc in a fixed heap");
    ok(HeapAlloc(fixed, 0, 200000) == NULL, "200000 bytes from a 64 KB heap");
    for (n = 0; n < 200; n++)
        if (!HeapAlloc(fixed, 0, 1000))
            break;
    ok(n > 10 && n < 66, "a 64 KB heap gave %d blocks of 1000 bytes", n);
    ok(HeapFree(fixed, 0, p), "free in a full fixed heap");
    ok(HeapAlloc(fixed, 0, 500) != NULL, "alloc after a free in the fixed heap");
    ok(HeapDestroy(fixed), "HeapDestroy(fixed)");
}

static void test_local_global(void)
{
    HANDLE h;
    HLOCAL l, l2;
    HGLOBAL g;
    unsigned char *p;

    l = LocalAlloc(LPTR, 64);
    ok(l != NULL, "LocalAlloc(LPTR)");
    ok(all_zero((unsigned char *)l, 64), "LPTR not zeroed");
    ok(LocalSize(l) == 64, "LocalSize %lu", (unsigned long)LocalSize(l));
    ok(LocalLock(l) == (LPVOID)l, "LocalLock of a fixed block is its address");
    l2 = LocalReAlloc(l, 4096, LMEM_MOVEABLE | LMEM_ZEROINIT);
    ok(l2 != NULL, "LocalReAlloc grow: %lu", (unsigned long)GetLastError());
    if (l2) {
        ok(LocalSize(l2) == 4096, "LocalSize after grow");
        ok(all_zero((unsigned char *)l2, 4096), "LMEM_ZEROINIT growth not zeroed");
        l = l2;
    }
    ok(LocalFree(l) == NULL, "LocalFree did not return NULL");
    ok(LocalFree(NULL) == NULL, "LocalFree(NULL)");

    l = LocalAlloc(LMEM_FIXED, 10);
    ok(l != NULL && LocalSize(l) == 10, "LMEM_FIXED");
    LocalFree(l);

    /* A fixed block is never locked: LocalUnlock fails with ERROR_NOT_LOCKED, GlobalUnlock
     * returns TRUE. */
    l = LocalAlloc(LMEM_FIXED, 8);
    SetLastError(0xdeadbeef);
    ok(LocalUnlock(l) == FALSE && GetLastError() == ERROR_NOT_LOCKED, "LocalUnlock(fixed): error %lu",
       (unsigned long)GetLastError());
    g = GlobalAlloc(GMEM_FIXED, 8);
    ok(GlobalUnlock(g) == TRUE, "GlobalUnlock(fixed)");
    GlobalFree(g);
    /* Without LMEM_MOVEABLE a fixed block only resizes in place. */
    SetLastError(0xdeadbeef);
    ok(LocalReAlloc(l, 1000000, 0) == NULL && GetLastError() == ERROR_NOT_ENOUGH_MEMORY,
       "LocalReAlloc(fixed, 1 MB, 0): error %lu", (unsigned long)GetLastError());
    LocalFree(l);

    /* Moveable: the handle is not the memory; Lock gives the memory, Unlock counts down. */
    l = LocalAlloc(LHND, 32);
    ok(l != NULL, "LocalAlloc(LHND)");
    p = (unsigned char *)LocalLock(l);
    ok(p != NULL && all_zero(p, 32), "LocalLock(moveable)");
    ok(p != (unsigned char *)l, "moveable handle %p is its memory", (void *)l);
    ok(LocalLock(l) == p, "second LocalLock");
    ok(LocalUnlock(l) == TRUE, "LocalUnlock with a count of 2 returns TRUE");
    SetLastError(0xdeadbeef);
    ok(LocalUnlock(l) == FALSE && GetLastError() == NO_ERROR, "last LocalUnlock: error %lu",
       (unsigned long)GetLastError());
    SetLastError(0xdeadbeef);
    ok(LocalUnlock(l) == FALSE && GetLastError() == ERROR_NOT_LOCKED,
       "LocalUnlock of an unlocked block: error %lu", (unsigned long)GetLastError());
    ok(LocalSize(l) == 32, "LocalSize(moveable)");
    /* Reallocating a moveable block keeps its handle; the contents move with it. */
    p[0] = 0x5a;
    l2 = LocalReAlloc(l, 1000000, LMEM_MOVEABLE);
    ok(l2 == l, "LocalReAlloc(moveable) handle %p -> %p", (void *)l, (void *)l2);
    ok(LocalSize(l) == 1000000, "LocalSize after moveable growth %lu", (unsigned long)LocalSize(l));
    p = (unsigned char *)LocalLock(l);
    ok(p != NULL && p[0] == 0x5a, "contents after moveable growth");
    LocalUnlock(l);
    ok(LocalFree(l) == NULL, "LocalFree(moveable)");

    /* Unknown flag bits and odd heap arguments are accepted, as Windows does. */
    h = HeapCreate(0, 100000, 65536);
    ok(h != NULL, "HeapCreate with initial > maximum: error %lu", (unsigned long)GetLastError());
    if (h)
        HeapDestroy(h);

    g = GlobalAlloc(GPTR, 128);
    ok(g != NULL && all_zero((unsigned char *)g, 128), "GlobalAlloc(GPTR)");
    ok(GlobalSize(g) == 128, "GlobalSize %lu", (unsigned long)GlobalSize(g));
    ok(GlobalFree(g) == NULL, "GlobalFree did not return NULL");
    g = GlobalAlloc(GMEM_FIXED, 7);
    ok(g != NULL && GlobalSize(g) == 7, "GMEM_FIXED");
    GlobalFree(g);
    g = GlobalAlloc(GHND, 16);
    p = (unsigned char *)GlobalLock(g);
    ok(p != NULL && all_zero(p, 16), "GlobalLock(GHND)");
    SetLastError(0xdeadbeef);
    ok(GlobalUnlock(g) == FALSE && GetLastError() == NO_ERROR, "GlobalUnlock: error %lu",
       (unsigned long)GetLastError());
    ok(GlobalFree(g) == NULL, "GlobalFree(moveable)");
}

int main(void)
{
    test_process_heap();
    test_private_heaps();
    test_local_global();
    return test_done();
}
