/* TEST-ONLY stand-in for Windows' bcryptprimitives.dll, for running the Windows build under Wine 8:
 * Rust-built extensions (pydantic_core) import ProcessPrng from it, which Wine 8 lacks. Real
 * Windows 10+ has it; this file never goes into the bundle (installer/windows/build-wine.sh checks).
 * ProcessPrng fills the buffer from the system's generator, as on Windows; RtlGenRandom is
 * advapi32's SystemFunction036. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
    while (size > 0) {
        ULONG chunk = size > 0x10000000 ? 0x10000000 : (ULONG)size;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        size -= chunk;
    }
    return TRUE;
}
