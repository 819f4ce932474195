/* Test harness only, never shipped: Wine 8.0 (Debian 12) has no bcryptprimitives.dll, whose
 * ProcessPrng Rust's standard library imports on Windows, so no Rust .exe loads under it. This
 * stand-in forwards to RtlGenRandom (advapi32's SystemFunction036), which Wine has. It is copied
 * into the Wine prefix's system32 by scripts/wine-check.sh. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
