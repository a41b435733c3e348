/* Read-only files: the boot modules RS gave this task read capabilities for
 * (slots RS_GIVEN_FILES onwards, declared with `files` in init.lua), opened with
 * fopen() as "NAME" or "/boot/NAME". The module is copied into the heap when
 * opened, so reads never fail half way; every way of writing is refused with
 * EROFS, a name with no capability with ENOENT. Lua's io.open, io.lines and
 * file:read/seek run on these. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rs_invoke.h>
#include <rs_service.h>
#include "rs_libc.h"

#define FILE_MAX (1u << 20)         /* bytes of one file held open */
#define READ_CHUNK 4096             /* the kernel's limit per image read */

struct rs_file {
    size_t size, pos;
    char data[];
};

static ssize_t file_read(void *cookie, char *buf, size_t n)
{
    struct rs_file *f = cookie;
    size_t k = f->size - f->pos < n ? f->size - f->pos : n;
    memcpy(buf, f->data + f->pos, k);
    f->pos += k;
    return (ssize_t)k;
}

static int file_seek(void *cookie, off_t *off, int whence)
{
    struct rs_file *f = cookie;
    off_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (off_t)f->pos
               : whence == SEEK_END ? (off_t)f->size : -1;
    if (base < 0 || *off < -base || base + *off > (off_t)f->size) {
        errno = EINVAL;
        return -1;
    }
    f->pos = (size_t)(base + *off);
    *off = (off_t)f->pos;
    return 0;
}

static int file_close(void *cookie)
{
    free(cookie);
    return 0;
}

/* The module name in a path: "NAME" or "/boot/NAME"; NULL for any other path. */
static const char *module_name(const char *path)
{
    if (!strncmp(path, "/boot/", 6))
        path += 6;
    return *path && !strchr(path, '/') ? path : 0;
}

uint64_t rs_file_find(const char *path, uint64_t *size)
{
    const char *name = module_name(path);
    for (uint64_t slot = RS_GIVEN_FILES; name && slot < RS_GIVEN_FILES + RS_GIVEN_FILES_MAX;
         slot++) {
        uint64_t module, w[4];
        if (!rs_image_info(slot, &module, size, &w[0], &w[1], &w[2], &w[3])
            && !strncmp((const char *)w, name, sizeof w))
            return slot;
    }
    return 0;
}

/* The whole module in slot, in a new rs_file; NULL with errno set. */
static struct rs_file *load(uint64_t slot, uint64_t size)
{
    if (size > FILE_MAX) {
        errno = EFBIG;
        return 0;
    }
    struct rs_file *f = malloc(sizeof *f + size);
    if (!f)
        return 0;
    *f = (struct rs_file){ .size = size };
    for (uint64_t at = 0, got = 1; at < size; at += got) {
        if (rs_image_read(slot, at, READ_CHUNK, (uint64_t)(f->data + at), &got) || !got) {
            free(f);
            errno = EIO;
            return 0;
        }
    }
    return f;
}

FILE *fopen(const char *path, const char *mode)
{
    uint64_t size = 0, slot = rs_file_find(path, &size);
    if (mode[0] != 'r' || strchr(mode, '+')) {
        errno = EROFS;
        return 0;
    }
    if (!slot) {
        errno = ENOENT;
        return 0;
    }
    struct rs_file *f = load(slot, size);
    if (!f)
        return 0;
    cookie_io_functions_t io = { .read = file_read, .seek = file_seek, .close = file_close };
    FILE *fp = fopencookie(f, "r", io);
    if (!fp)
        free(f);
    return fp;
}

int remove(const char *path)
{
    errno = rs_file_find(path, &(uint64_t){ 0 }) ? EROFS : ENOENT;
    return -1;
}

int rename(const char *from, const char *to)
{
    (void)to;
    errno = rs_file_find(from, &(uint64_t){ 0 }) ? EROFS : ENOENT;
    return -1;
}
