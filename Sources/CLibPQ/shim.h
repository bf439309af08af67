#ifndef STRANDED_CLIBPQ_SHIM_H
#define STRANDED_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
