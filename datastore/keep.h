/* The data store kept outside itself, so that a new incarnation starts with what
 * the last one answered (see keep.c). */
#pragma once
#include "store.h"

/* Maps the keep frame (RS_GIVEN_KEEP); 0, or -1 when it is missing or too small
 * (then nothing is kept: DS runs as before, empty after each restart). */
int keep_open(void);
/* Fills s from the newest sealed copy, with its capabilities taken back from the
 * capability store (RS_GIVEN_STORE) into fresh slots of DS's; 1 when there was
 * one and it held, 0 when there was none (s is then left alone), -1 when what
 * was there is corrupt (s is then left alone too). env is s's new window. */
int keep_load(struct ds_store *s, const struct ds_env *env);
/* Copies s into the other half and seals it (after every call, before its
 * answer), after giving the capability store any capability s holds that it
 * does not (and dropping the ones s let go). */
void keep_save(const struct ds_store *s);
/* The store let go of the capability in slot (before it is deleted). */
void keep_forget(uint64_t slot);
/* Whether s holds together (pure, unit-tested): every count in range, every
 * string ended, every index pointing at something. */
int keep_store_valid(const struct ds_store *s);
