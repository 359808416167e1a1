/*
 * banned.h - functions that must not be used in perfreg: unbounded string
 * writes and number parsing without error checking. Included last by every
 * source file of the engine and the CLI; using one is a compile error.
 * Use pr_strbuf_addf, snprintf, memcpy with a checked length, strtod/strtoull
 * with an end pointer.
 */
#ifndef PR_BANNED_H
#define PR_BANNED_H

#define PR_BANNED_(func) sorry_##func##_is_banned_in_perfreg

#undef strcpy
#define strcpy(x, y) PR_BANNED_(strcpy)
#undef strcat
#define strcat(x, y) PR_BANNED_(strcat)
#undef strncpy
#define strncpy(x, y, n) PR_BANNED_(strncpy)
#undef sprintf
#define sprintf(...) PR_BANNED_(sprintf)
#undef vsprintf
#define vsprintf(...) PR_BANNED_(vsprintf)
#undef atoi
#define atoi(x) PR_BANNED_(atoi)
#undef atof
#define atof(x) PR_BANNED_(atof)
#undef atol
#define atol(x) PR_BANNED_(atol)
#undef gets
#define gets(x) PR_BANNED_(gets)

#endif
