#include <stdarg.h>
#include <stdio.h>

#include "internal.h"

/* 256 bytes holds the longest message (a gather index error with 20-digit
 * numbers is under 100). */
static _Thread_local char last_error[256];

sm_status sm__fail(sm_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return status;
}

const char *sm_last_error(void)
{
    return last_error;
}

const char *sm_strerror(sm_status status)
{
    switch (status) {
    case SM_OK: return "success";
    case SM_EINVAL: return "invalid argument";
    case SM_EOVERFLOW: return "size overflow";
    case SM_ERANGE: return "index out of range";
    case SM_EUNSUPPORTED: return "backend not supported by this CPU";
    case SM_ENOTFOUND: return "no such backend";
    case SM_ENOMEM: return "out of memory";
    case SM_EALIAS: return "output overlaps another buffer";
    case SM_ENOREMOVED: return "no removed patch";
    }
    return "unknown status";
}

const char *sm_version(void)
{
    return SIMDMASK_VERSION_STRING;
}
