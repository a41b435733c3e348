/* The data store's text rules: names, patterns, service names and the text of a
 * declaration (see store.h for what they mean). Pure; every check returns 0,
 * RS_E_INVAL (empty, or a byte outside the alphabet) or RS_E_RANGE (too long). */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "store.h"

/* 1..DS_NAME_MAX bytes of [A-Za-z0-9._/-]. */
uint32_t ds_name_check(const char *p, size_t n);
/* 1..DS_SERVICE_NAME_MAX bytes of [A-Za-z0-9_-]. */
uint32_t ds_service_name_check(const char *p, size_t n);
/* A name, "*", or name characters followed by one final '*' (at most DS_NAME_MAX
 * bytes in all). */
uint32_t ds_pattern_check(const char *p, size_t n);
/* Whether the (checked) pattern matches the name. */
int ds_pattern_match(const char *pattern, const char *name);

/* The length of the service name that a (checked) name is private to: the text
 * before its first dot when that is a service name; 0 for a public name. */
size_t ds_private_prefix(const char *name);

/* Copies a name-only buffer (one final NUL allowed) into out, a string of at most
 * DS_NAME_MAX bytes, after checking it with check (ds_name_check or
 * ds_pattern_check). */
uint32_t ds_take(const void *buf, size_t len, char out[DS_NAME_MAX + 1],
                 uint32_t (*check)(const char *, size_t));

/* Parses the text of a declaration (store.h, ds_declare) into d. On a refusal
 * *why says what was wrong (a static string). */
uint32_t ds_parse_decl(const void *buf, size_t len, struct ds_decl *d, const char **why);

/* A printable copy of untrusted bytes for the log: up to the first NUL or newline,
 * at most DS_NAME_MAX of them, anything unprintable or a quote as '?', "..." when
 * cut short. */
#define DS_SHOWN_SIZE (DS_NAME_MAX + 4)
void ds_shown(const void *buf, size_t len, char out[DS_SHOWN_SIZE]);
