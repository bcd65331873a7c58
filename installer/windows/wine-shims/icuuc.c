/* TEST-ONLY stand-in for Windows' own icuuc.dll, for running the Windows build under Wine 8, which
 * has no ICU. Qt6Core (6.10+) links these 20 converter functions from the system's ICU; with every
 * converter "not found" Qt uses its own codecs (UTF-8, UTF-16, Latin-1 are all the app needs).
 * Real Windows 10 1903+ ships icuuc.dll: this file is never copied into the bundle or the installer
 * (installer/windows/build-wine.sh puts it in the Wine prefix's system32 and checks the bundle). */
#include <stddef.h>
#include <stdint.h>

typedef int UErrorCode;
#define U_FILE_ACCESS_ERROR 4
#define EXPORT __declspec(dllexport)

static void fail(UErrorCode *err) { if (err && *err <= 0) *err = U_FILE_ACCESS_ERROR; }

EXPORT void *ucnv_open(const char *name, UErrorCode *err) { (void)name; fail(err); return NULL; }
EXPORT void ucnv_close(void *cnv) { (void)cnv; }
EXPORT void ucnv_reset(void *cnv) { (void)cnv; }
EXPORT int8_t ucnv_getMaxCharSize(const void *cnv) { (void)cnv; return 1; }
EXPORT const char *ucnv_getName(const void *cnv, UErrorCode *err) { (void)cnv; fail(err); return NULL; }
EXPORT const char *ucnv_getStandardName(const char *name, const char *standard, UErrorCode *err)
{ (void)name; (void)standard; fail(err); return NULL; }
EXPORT int32_t ucnv_countAvailable(void) { return 0; }
EXPORT const char *ucnv_getAvailableName(int32_t n) { (void)n; return NULL; }
EXPORT void ucnv_getToUCallBack(const void *cnv, void **action, const void **context)
{ (void)cnv; if (action) *action = NULL; if (context) *context = NULL; }
EXPORT void ucnv_getFromUCallBack(const void *cnv, void **action, const void **context)
{ (void)cnv; if (action) *action = NULL; if (context) *context = NULL; }
EXPORT void ucnv_setToUCallBack(void *cnv, void *a, const void *c, void **oa, const void **oc, UErrorCode *err)
{ (void)cnv; (void)a; (void)c; if (oa) *oa = NULL; if (oc) *oc = NULL; fail(err); }
EXPORT void ucnv_setFromUCallBack(void *cnv, void *a, const void *c, void **oa, const void **oc, UErrorCode *err)
{ (void)cnv; (void)a; (void)c; if (oa) *oa = NULL; if (oc) *oc = NULL; fail(err); }
EXPORT void ucnv_toUnicode(void *cnv, void **t, const void *tl, const char **s, const char *sl, int32_t *o,
                           int8_t flush, UErrorCode *err)
{ (void)cnv; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)flush; fail(err); }
EXPORT void ucnv_fromUnicode(void *cnv, char **t, const char *tl, const void **s, const void *sl, int32_t *o,
                             int8_t flush, UErrorCode *err)
{ (void)cnv; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)flush; fail(err); }
EXPORT int32_t ucnv_toUCountPending(const void *cnv, UErrorCode *err) { (void)cnv; fail(err); return 0; }
EXPORT int32_t ucnv_fromUCountPending(const void *cnv, UErrorCode *err) { (void)cnv; fail(err); return 0; }
EXPORT void ucnv_cbToUWriteUChars(void *args, const void *src, int32_t len, int32_t off, UErrorCode *err)
{ (void)args; (void)src; (void)len; (void)off; fail(err); }
EXPORT void ucnv_cbFromUWriteUChars(void *args, const void **s, const void *sl, int32_t off, UErrorCode *err)
{ (void)args; (void)s; (void)sl; (void)off; fail(err); }
EXPORT void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *c, void *a, const void *cu, int32_t l, int32_t cp,
                                            int reason, UErrorCode *err)
{ (void)c; (void)a; (void)cu; (void)l; (void)cp; (void)reason; fail(err); }
EXPORT void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *c, void *a, const char *cb, int32_t l, int reason,
                                          UErrorCode *err)
{ (void)c; (void)a; (void)cb; (void)l; (void)reason; fail(err); }
